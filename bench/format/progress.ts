import type { ScenarioEvent } from '../run/run-scenario.js';
import { formatMs } from '../../lib/text-table.js';

export interface ProgressReporter {
  event(scenario: string, event: ScenarioEvent): void;
  /** Clears any live line before other output. */
  done(): void;
}

/**
 * Progress on stderr: a live, rewritten line on a terminal; plain lines, one per step, in CI
 * logs (and whenever stderr is not a TTY).
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  return stream.isTTY ? liveReporter(stream) : plainReporter(stream);
}

function plainReporter(stream: NodeJS.WritableStream): ProgressReporter {
  return {
    event(scenario, event) {
      const line = describe(label(scenario, event.side), event, false);
      if (line !== null) stream.write(`${line}\n`);
    },
    done() {},
  };
}

function liveReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let live = false;
  const clear = () => {
    if (live) stream.write('\r\x1b[2K');
    live = false;
  };
  return {
    event(scenario, event) {
      if (event.kind === 'load') {
        clear();
        const { progress, durationSeconds } = event;
        const fraction = Math.min(1, progress.elapsedSeconds / durationSeconds);
        const bar = '#'.repeat(Math.round(fraction * 20)).padEnd(20, '.');
        stream.write(
          `${label(scenario, event.side)}  [${bar}] ${progress.elapsedSeconds.toFixed(1)}/${durationSeconds} s  sent ${progress.sent}  done ${progress.completed}  errors ${progress.errors}`,
        );
        live = true;
        return;
      }
      const line = describe(label(scenario, event.side), event, true);
      if (line === null) return;
      clear();
      stream.write(`${line}\n`);
    },
    done: clear,
  };
}

/** "hot-loop" for a plain run, "hot-loop/baseline" when several sides are measured. */
function label(scenario: string, side: string): string {
  return side === 'current' ? scenario : `${scenario}/${side}`;
}

function describe(scenario: string, event: ScenarioEvent, tty: boolean): string | null {
  switch (event.kind) {
    case 'starting-lab':
      return `${scenario}: starting the ${event.noun}`;
    case 'warmup':
      return `${scenario}: warm-up ${event.durationSeconds} s (discarded)`;
    case 'trial-start':
      return tty ? null : `${scenario}: trial ${event.index}/${event.total} (${event.durationSeconds} s)`;
    case 'load':
      return null;
    case 'trial-done': {
      const { trial } = event;
      const verdict = trial.validity.valid ? 'valid' : `INVALID (${trial.validity.reasons.join('; ')})`;
      return `${scenario}: trial ${trial.index}/${event.total}: ${trial.client.achievedRps.toFixed(1)} req/s, p50 ${formatMs(trial.client.latency.p50Ms)} ms, p95 ${formatMs(trial.client.latency.p95Ms)} ms, p99 ${formatMs(trial.client.latency.p99Ms)} ms, ${trial.client.errors} errors, ${verdict}`;
    }
  }
}
