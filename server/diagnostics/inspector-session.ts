import { Session } from 'node:inspector/promises';

/**
 * An inspector session connected to this very process: V8's profilers without `--inspect`,
 * a restart or a native addon. Each capture gets its own session, closed whatever happens.
 */
export async function withInspectorSession<T>(use: (session: Session) => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  try {
    return await use(session);
  } finally {
    session.disconnect();
  }
}
