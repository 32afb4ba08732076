import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

/** Opens a connection, optionally sends a partial request, then resets it (TCP RST). */
function connectAndReset(baseUrl: string, partial: string): Promise<void> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      if (partial) socket.write(partial);
      setTimeout(() => {
        socket.resetAndDestroy();
        setTimeout(resolve, 50);
      }, 30);
    });
    socket.on('error', () => undefined);
  });
}

describe('a client that resets its connection', () => {
  let lab: RunningLab;
  beforeAll(async () => {
    lab = await startInProcessLab();
  });
  afterAll(() => lab.close());

  it('is not counted as a request the lab refused (no phantom 400s in http_errors_total)', async () => {
    await connectAndReset(lab.baseUrl, ''); // an idle (keep-alive) connection
    await connectAndReset(lab.baseUrl, 'GET /api/work HTTP/1.1\r\nHost: x\r\n'); // mid-request
    const text = await (await fetch(`${lab.baseUrl}/metrics`)).text();
    // Before the fix both resets (ECONNRESET) were counted as status="400", path="unparsed".
    expect(text).not.toMatch(/^http_errors_total\{[^}]*path="unparsed"/m);
  });
});
