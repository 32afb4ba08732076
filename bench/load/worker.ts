#!/usr/bin/env node
import { runPlan } from './generator.js';
import { parseLoadPlan } from './plan.js';
import { isCloseMessage, isRunMessage, type WorkerMessage } from './worker-protocol.js';

/**
 * The load generator's process: receives plans from `openLoadSession` over IPC, one at a time,
 * runs each and sends its result back, until told to close (or its parent goes). It runs apart
 * from the lab so the generator never shares (or steals) the server's event loop, and it stays up
 * between trials: a fresh process per trial cost ~0.5 s of wall time each (fork, start-up, exit).
 */

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send?.(message, undefined, {}, () => resolve());
  });
}

async function handle(message: unknown): Promise<void> {
  if (!isRunMessage(message)) {
    await send({ type: 'error', kind: 'invalid-plan', message: 'load worker: expected a {type:"run", plan, progressIntervalMs} message' });
    return;
  }
  const parsed = parseLoadPlan(message.plan);
  if (!parsed.ok) {
    await send({ type: 'error', kind: 'invalid-plan', message: parsed.message });
    return;
  }
  try {
    const result = await runPlan(parsed.plan, {
      progressIntervalMs: message.progressIntervalMs,
      onProgress: (progress) => void send({ type: 'progress', progress }),
    });
    await send({ type: 'result', result });
  } catch (error) {
    // Our own bug, not the user's: keep the stack.
    await send({ type: 'error', kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
  }
}

function main(): void {
  if (process.send === undefined) {
    process.stderr.write('load worker: expected to be started by runLoad with an IPC channel, found none\n');
    process.exitCode = 2;
    return;
  }
  // Orphaned (the parent died or killed the channel): stop sending load at once.
  process.once('disconnect', () => process.exit(1));
  let queue = Promise.resolve();
  process.on('message', (message: unknown) => {
    queue = queue.then(async () => {
      if (isCloseMessage(message)) {
        process.removeAllListeners('disconnect');
        process.removeAllListeners('message');
        process.disconnect();
        return;
      }
      await handle(message);
    });
  });
}

main();
