import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientErrorResponse } from '../../server/http-server.js';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

/** Sends raw bytes and returns everything the server wrote before closing. */
function rawExchange(baseUrl: string, request: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.once('close', () => resolve(answer));
    socket.once('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}

function parsed(answer: string): { status: number; body: unknown } {
  const [head, body = ''] = answer.split('\r\n\r\n');
  return { status: Number(head?.split(' ')[1]), body: JSON.parse(body) };
}

describe("requests Node's HTTP parser refuses before the app runs", () => {
  let lab: RunningLab;
  beforeAll(async () => {
    lab = await startInProcessLab();
  });
  afterAll(() => lab.close());

  it('get a JSON body naming the problem, not an empty 400', async () => {
    const cases: Array<[string | Buffer, number, string]> = [
      ['BREW /api/work HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'unknown HTTP method'],
      [Buffer.concat([Buffer.from('GET /api/w'), Buffer.from([0xff, 0xfe]), Buffer.from('ork HTTP/1.1\r\nHost: x\r\n\r\n')]), 400, ''],
      ['GET /api/work HTTP/1.1\r\nBad Header: x\r\n\r\n', 400, 'invalid header'],
      [`GET /api/work?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'request line and headers are larger than 16 KiB'],
    ];
    for (const [request, status, message] of cases) {
      const answer = parsed(await rawExchange(lab.baseUrl, request));
      expect(answer.status, String(request).slice(0, 40)).toBe(status);
      expect(answer.body).toMatchObject({ error: 'bad_request' });
      if (message) expect((answer.body as { message: string }).message).toBe(message);
    }
  });

  it('say so when the client closed in the middle of its request', async () => {
    const { hostname, port } = new URL(lab.baseUrl);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect(Number(port), hostname, () => socket.end('GET /api/work HTTP/1.1\r\nHost: x\r\n'));
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      socket.once('close', () => resolve(text));
    });
    expect(parsed(answer)).toEqual({
      status: 400,
      body: { error: 'bad_request', message: 'the connection was closed in the middle of a request' },
    });
  });

  it('are counted in http_errors_total as unparsed', async () => {
    await rawExchange(lab.baseUrl, 'BREW / HTTP/1.1\r\n\r\n');
    const text = await (await fetch(`${lab.baseUrl}/metrics`)).text();
    const count = /^http_errors_total\{method="unparsed",path="unparsed",status="400"\} (\d+)$/m.exec(text)?.[1];
    expect(Number(count)).toBeGreaterThanOrEqual(1);
  });

  it('name unknown parser codes too', () => {
    expect(clientErrorResponse('HPE_SOMETHING_NEW')).toEqual({ status: 400, message: 'malformed HTTP request (HPE_SOMETHING_NEW)' });
    expect(clientErrorResponse('ERR_HTTP_REQUEST_TIMEOUT').status).toBe(408);
  });
});
