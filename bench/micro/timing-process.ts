/**
 * One side's timing child (timing-child.ts), driven over stdin/stdout: wait until it is ready,
 * then ask for trials one at a time. Every wait is bounded; a child that dies, hangs or says
 * something unexpected ends the session with one line and its last output, never a hang.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { supervise } from '../process/supervised-child.js';
import { parseTimingMessage, type TaskTiming, type TimingMessage, type TimingPlan } from './timing-protocol.js';

export type TimingReply<T> = { ok: true; value: T } | { ok: false; error: string };

export interface TimingSession {
  /** Each task's answer digest, once set up and warmed up. */
  ready(): Promise<TimingReply<Record<string, string | null>>>;
  trial(index: number): Promise<TimingReply<Record<string, TaskTiming>>>;
  /** Ends the child (stdin closed, then signals) and waits for it. */
  close(): Promise<void>;
}

const KEEP_LINES = 20;

export function startTimingChild(script: string, plan: TimingPlan, options: { timeoutMs: number; signal?: AbortSignal }): TimingSession {
  const child = spawn(process.execPath, [script, JSON.stringify(plan)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const supervised = supervise(child, KEEP_LINES);
  const messages: TimingMessage[] = [];
  let waiting: (() => void) | null = null;
  let problem: string | null = null;
  const wake = () => {
    const w = waiting;
    waiting = null;
    w?.();
  };
  child.on('error', (error) => {
    problem ??= `the timing child did not start: ${error.message}`;
    wake();
  });
  child.stdin.on('error', () => {}); // EPIPE when the child died first: reported through its exit.
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = parseTimingMessage(line);
    if (message === null) supervised.remember(line);
    else messages.push(message);
    wake();
  });
  createInterface({ input: child.stderr }).on('line', (line) => supervised.remember(line));
  void supervised.exited.then((exit) => {
    problem ??= `the timing child exited (${exit.signal ?? `code ${exit.code}`})`;
    wake();
  });
  const onAbort = () => {
    problem ??= 'interrupted';
    void supervised.stop(1_000);
    wake();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort(); // aborted already: no event will come

  const lastWords = () => {
    const output = supervised.recentOutput();
    return output.length > 0 ? `; last output: ${output.slice(-5).join(' | ')}` : '';
  };

  async function next<T extends TimingMessage['type']>(type: T): Promise<TimingReply<Extract<TimingMessage, { type: T }>>> {
    const deadline = performance.now() + options.timeoutMs;
    for (;;) {
      const message = messages.shift();
      if (message?.type === 'error') return { ok: false, error: `the timing child failed: ${message.message}${lastWords()}` };
      if (message?.type === type) return { ok: true, value: message as Extract<TimingMessage, { type: T }> };
      if (message !== undefined) return { ok: false, error: `the timing child sent ${message.type}, expected ${type}` };
      if (problem !== null) return { ok: false, error: `${problem}${lastWords()}` };
      const left = deadline - performance.now();
      if (left <= 0) {
        void supervised.stop(1_000);
        return { ok: false, error: `the timing child did not answer within ${options.timeoutMs / 1000} s${lastWords()}` };
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  return {
    async ready() {
      const reply = await next('ready');
      return reply.ok ? { ok: true, value: reply.value.answers } : reply;
    },
    async trial(index) {
      if (problem !== null) return { ok: false, error: `${problem}${lastWords()}` };
      child.stdin.write(`${JSON.stringify({ trial: index })}\n`);
      const reply = await next('trial');
      if (!reply.ok) return reply;
      if (reply.value.trial !== index)
        return { ok: false, error: `the timing child answered trial ${reply.value.trial}, expected ${index}` };
      return { ok: true, value: reply.value.tasks };
    },
    async close() {
      options.signal?.removeEventListener('abort', onAbort);
      child.stdin.end();
      await supervised.stop(2_000);
    },
  };
}
