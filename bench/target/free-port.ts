import { createServer } from 'node:net';

/**
 * A loopback port free at this moment, for a service that cannot be told to pick its own and
 * report it. Another process could take it before the service binds; the service then fails to
 * start and says so, which the bench reports.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
