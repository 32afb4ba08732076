#!/usr/bin/env node
import { runPlan } from './generator.js';
import { parseLoadPlan } from './plan.js';
import { isRunMessage, type WorkerMessage } from './worker-protocol.js';

/**
 * The load generator's process: receives one plan from `runLoad` over IPC, runs it, sends the
 * result back and exits. It runs apart from the lab so the generator never shares (or steals)
 * the server's event loop.
 */

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send?.(message, undefined, {}, () => resolve());
  });
}

async function main(): Promise<void> {
  if (process.send === undefined) {
    process.stderr.write('load worker: expected to be started by runLoad with an IPC channel, found none\n');
    process.exitCode = 2;
    return;
  }
  // Orphaned (the parent died or killed the channel): stop sending load at once.
  process.once('disconnect', () => process.exit(1));

  const message = await new Promise<unknown>((resolve) => process.once('message', resolve));
  if (!isRunMessage(message)) {
    await send({ type: 'error', kind: 'invalid-plan', message: 'load worker: expected a {type:"run", plan, progressIntervalMs} message' });
  } else {
    const parsed = parseLoadPlan(message.plan);
    if (!parsed.ok) {
      await send({ type: 'error', kind: 'invalid-plan', message: parsed.message });
    } else {
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
  }
  process.removeAllListeners('disconnect');
  process.disconnect();
}

await main();
