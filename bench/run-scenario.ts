import { aggregateTrials } from './aggregate.js';
import { variantCorrectness } from './correctness.js';
import { formatTail, startLabProcess, type LabProcess } from './lab-process.js';
import { runLoad, type LoadProgress } from './load/run-load.js';
import type { LoadPlan, LoadResult } from './load/types.js';
import type { ScenarioOutcome, ScenarioOutcomeBase } from './results.js';
import type { ScenarioSpec } from './scenario/schema.js';
import { scrapeMetrics, serverTrialMetrics } from './server-metrics.js';
import { evaluateThresholds } from './thresholds.js';
import { trialMetrics, trialValidity, type TrialResult } from './trial.js';

export type ScenarioEvent =
  | { kind: 'starting-lab' }
  | { kind: 'warmup'; durationSeconds: number }
  | { kind: 'trial-start'; index: number; total: number; durationSeconds: number }
  | { kind: 'load'; progress: LoadProgress; durationSeconds: number }
  | { kind: 'trial-done'; trial: TrialResult; total: number };

export interface RunScenarioOptions {
  /** Overrides the scenario's trial count (`--trials`). */
  trials?: number;
  /** Where the compiled lab lives (another worktree for A/B); default: this checkout. */
  labRoot?: string;
  signal?: AbortSignal;
  onEvent?: (event: ScenarioEvent) => void;
}

/** The route the lab's request histogram is read for. */
const MEASURED_ROUTE = '/api/work';

/**
 * Runs one scenario end to end: starts the lab as a child process with the scenario's knobs,
 * warms it up, then for each trial scrapes /metrics, drives load from a separate process, and
 * scrapes again. Never throws for a failed run: the outcome says what happened.
 */
export async function runScenario(spec: ScenarioSpec, hash: string, options: RunScenarioOptions = {}): Promise<ScenarioOutcome> {
  const startedMs = performance.now();
  const emit = options.onEvent ?? (() => {});
  const trialCount = options.trials ?? spec.load.trials;
  const trials: TrialResult[] = [];
  const finish = (): ScenarioOutcomeBase => {
    const aggregate = aggregateTrials(trials);
    return {
      name: spec.name,
      hash,
      spec,
      trials,
      aggregate,
      correctness: variantCorrectness(trials),
      thresholds: aggregate ? evaluateThresholds(spec.thresholds, aggregate.metrics) : [],
      durationSeconds: (performance.now() - startedMs) / 1000,
    };
  };

  let lab: LabProcess | null = null;
  // Aborted when the user interrupts or when the lab dies mid-run, so no load keeps running.
  const runAbort = new AbortController();
  const onOuterAbort = () => runAbort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let labDied: string | null = null;
  let stopping = false;

  try {
    emit({ kind: 'starting-lab' });
    lab = await startLabProcess({ args: spec.serverArgs, ...(options.labRoot ? { root: options.labRoot } : {}) });
    const running = lab;
    void running.exited.then(({ code, signal }) => {
      if (stopping || runAbort.signal.aborted) return;
      labDied = `the lab exited unexpectedly (${signal ?? `code ${code}`}) during the run`;
      runAbort.abort(new Error(labDied));
    });

    if (spec.load.warmupSeconds > 0) {
      emit({ kind: 'warmup', durationSeconds: spec.load.warmupSeconds });
      await runLoad(loadPlan(spec, running.appUrl, spec.load.warmupSeconds, spec.load.seed + 1_000_000), {
        signal: runAbort.signal,
        onProgress: (progress) => emit({ kind: 'load', progress, durationSeconds: spec.load.warmupSeconds }),
      });
    }

    for (let index = 1; index <= trialCount; index++) {
      emit({ kind: 'trial-start', index, total: trialCount, durationSeconds: spec.load.durationSeconds });
      const startedAt = new Date().toISOString();
      const before = await scrapeMetrics(running.appUrl);
      const client: LoadResult = await runLoad(loadPlan(spec, running.appUrl, spec.load.durationSeconds, spec.load.seed + index), {
        signal: runAbort.signal,
        onProgress: (progress) => emit({ kind: 'load', progress, durationSeconds: spec.load.durationSeconds }),
      });
      const after = await scrapeMetrics(running.appUrl);
      const server = serverTrialMetrics(before, after, MEASURED_ROUTE);
      const trial: TrialResult = {
        index,
        startedAt,
        validity: trialValidity(client, spec.validity),
        client,
        errorRatio: client.sent > 0 ? client.errors / client.sent : 0,
        server,
        metrics: trialMetrics(client, server),
      };
      trials.push(trial);
      emit({ kind: 'trial-done', trial, total: trialCount });
    }

    stopping = true;
    const exit = await stopLab(running);
    lab = null;
    if (exit !== null) {
      return { ...finish(), status: 'errored', error: exit, labOutput: running.recentOutput() } 
    }
    const result = finish();
    const validTrials = trials.filter((t) => t.validity.valid).length;
    const needed = Math.ceil(trialCount / 2);
    if (validTrials < needed) {
      const reasons = [...new Set(trials.flatMap((t) => (t.validity.valid ? [] : t.validity.reasons)))];
      return {
        ...result,
        status: 'invalid',
        reason: `${validTrials} of ${trialCount} trials valid (need ${needed}): ${reasons.join('; ')}`,
      } 
    }
    return { ...result, status: 'ok' } 
  } catch (error) {
    const labOutput = lab?.recentOutput() ?? [];
    const message = labDied ?? (options.signal?.aborted ? 'interrupted' : (error as Error).message);
    return { ...finish(), status: 'errored', error: message, labOutput } 
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    runAbort.abort(new Error('scenario finished'));
    if (lab) await lab.stop(2_000);
  }
}

/** Stops the lab gracefully; a non-zero exit means it had trouble (say so, with its output). */
async function stopLab(lab: LabProcess): Promise<string | null> {
  const { code, signal } = await lab.stop();
  if (code === 0) return null;
  return `the lab did not shut down cleanly (${signal ?? `exit code ${code}`})${formatTail(lab.recentOutput())}`;
}

export function loadPlan(spec: ScenarioSpec, baseUrl: string, durationSeconds: number, seed: number): LoadPlan {
  const common = {
    baseUrl,
    variants: spec.requests,
    durationSeconds,
    requestTimeoutMs: spec.load.requestTimeoutMs,
    seed,
  };
  return spec.load.model === 'open'
    ? { ...common, model: 'open', rateRps: spec.load.rateRps ?? 1, maxConnections: spec.load.connections }
    : { ...common, model: 'closed', connections: spec.load.connections };
}
