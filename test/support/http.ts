import { request } from 'node:http';

export type GetResult = { status: number; body: string } | { error: string };

/**
 * A GET that resolves with status and body, or with the error code (ECONNREFUSED, …); never
 * rejects. `newConnection` sends it on its own socket (so node:cluster spreads requests).
 */
export function get(url: string, options: { newConnection?: boolean; keepAlive?: boolean } = {}): Promise<GetResult> {
  return new Promise((resolve) => {
    const headers = options.keepAlive === false ? {} : { connection: 'keep-alive' };
    const req = request(url, { headers, ...(options.newConnection ? { agent: false } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end();
  });
}

/** Polls `condition` every 10 ms until it holds or `timeoutMs` passes. */
export async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
