import { aggregateTrials } from '../results/aggregate.js';
import { detectCpuPlan, type CpuPlan } from '../process/cpu-affinity.js';
import { variantCorrectness } from '../results/correctness.js';
import { formatTail } from '../process/lab-process.js';
import { startTarget } from '../target/start-target.js';
import type { TargetProcess } from '../target/target-process.js';
import { metricNamesOf, targetNoun } from '../target/target-spec.js';
import { openLoadSession, type LoadProgress } from '../load/run-load.js';
import type { LoadPlan } from '../load/types.js';
import type { ScenarioOutcome, ScenarioOutcomeBase } from '../results/results.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { NO_SERVER_METRICS, serverTrialMetrics, type Families } from '../results/server-metrics.js';
import { runDuet } from '../load/duet.js';
import { readHdrSnapshot, scrapeMetrics } from './scrape.js';
import { evaluateThresholds } from '../results/thresholds.js';
import { trialMetrics, trialValidity, type DuetMeasurement, type TrialResult } from '../results/trial.js';

export type ScenarioEvent =
  | { kind: 'starting-lab'; side: string; /** "lab" or "target". */ noun: string }
  | { kind: 'warmup'; side: string; durationSeconds: number }
  | { kind: 'trial-start'; side: string; index: number; total: number; durationSeconds: number }
  | { kind: 'load'; side: string; progress: LoadProgress; durationSeconds: number }
  | { kind: 'trial-done'; side: string; trial: TrialResult; total: number };

/** One build to measure: this checkout, or another git ref's worktree in A/B runs. */
export interface Side {
  /** e.g. "current", "baseline", or "A"/"B" in calibration. */
  label: string;
  /** Where its compiled lab lives; default this package. */
  labRoot?: string;
  /** The project folder a command target runs in (its cwd is relative to it); default the working directory. */
  projectRoot?: string;
}

export interface RunScenarioOptions {
  /** Overrides the scenario's trial count (`--trials`); per side. */
  trials?: number;
  /** The first trial's number (default 1): later looks continue an earlier run's numbering. */
  firstTrialIndex?: number;
  /** Where labs and the load generator run; default: pinned apart when the machine allows. */
  cpuPlan?: CpuPlan;
  signal?: AbortSignal;
  onEvent?: (event: ScenarioEvent) => void;
}

/** Runs one scenario against this checkout's lab. Never throws: the outcome says what happened. */
export async function runScenario(spec: ScenarioSpec, hash: string, options: RunScenarioOptions = {}): Promise<ScenarioOutcome> {
  const [outcome] = await runScenarioSides(spec, hash, [{ label: 'current' }], options);
  return outcome as ScenarioOutcome;
}

/**
 * Runs one scenario against one or more labs. Each side's lab runs as a child process, replaced
 * by a fresh, warmed-up one every `trialsPerLab` trials, and the sides' trials interleave A B,
 * B A, A B … so drift on a noisy machine hits every side alike. Each trial scrapes /metrics,
 * drives load from a separate process, and scrapes again. Returns one outcome per side, in
 * order; never throws.
 */
export async function runScenarioSides(
  spec: ScenarioSpec,
  hash: string,
  sides: readonly Side[],
  options: RunScenarioOptions = {},
): Promise<ScenarioOutcome[]> {
  const startedMs = performance.now();
  const emit = options.onEvent ?? (() => {});
  const cpuPlan = options.cpuPlan ?? detectCpuPlan();
  const trialCount = options.trials ?? spec.load.trials;
  // Trials added to an earlier run continue its numbering: the pairs stay distinct, and seeds new.
  const first = options.firstTrialIndex ?? 1;
  const last = first + trialCount - 1;
  /** Everything one side of the run owns: its current lab, its trials, how its last lab stopped. */
  const runs: SideRun[] = sides.map((side) => ({ side, lab: null, trials: [], stopProblem: null, lastOutput: [] }));
  const intentionallyStopped = new Set<TargetProcess>();
  const noun = targetNoun(spec.target);
  const metricNames = metricNamesOf(spec.target);
  const runAbort = new AbortController();
  const onOuterAbort = () => runAbort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort(); // aborted already: no event will come
  let labDied: string | null = null;
  const named = (run: SideRun) => (sides.length > 1 ? `${run.side.label} ` : '');

  const finish = (run: SideRun): ScenarioOutcomeBase => {
    const aggregate = aggregateTrials(run.trials);
    return {
      name: spec.name,
      hash,
      spec,
      trials: run.trials,
      aggregate,
      correctness: variantCorrectness(run.trials),
      thresholds: aggregate ? evaluateThresholds(spec.thresholds, aggregate.metrics) : [],
      durationSeconds: (performance.now() - startedMs) / 1000,
    };
  };
  /** The labs' last words (of the running labs, else of the last ones stopped), tagged by side in A/B runs. */
  const labOutput = () => {
    const tagged = (run: SideRun, lines: readonly string[]) =>
      sides.length > 1 ? lines.map((l) => `[${run.side.label}] ${l}`) : [...lines];
    const current = runs.flatMap((run) => (run.lab ? tagged(run, run.lab.recentOutput()) : []));
    return current.length > 0 ? current : runs.flatMap((run) => tagged(run, run.lastOutput));
  };
  const startLabs = async (announce: boolean) => {
    await Promise.all(
      runs.map(async (run) => {
        if (announce) emit({ kind: 'starting-lab', side: run.side.label, noun });
        const lab = await startTarget(spec.target, {
          labArgs: spec.serverArgs,
          cpus: cpuPlan.labCpus,
          ...(run.side.labRoot ? { labRoot: run.side.labRoot } : {}),
          ...(run.side.projectRoot ? { projectRoot: run.side.projectRoot } : {}),
        });
        void lab.exited.then(({ code, signal }) => {
          if (intentionallyStopped.has(lab) || runAbort.signal.aborted) return;
          labDied = `the ${named(run)}${noun} exited unexpectedly (${signal ?? `code ${code}`}) during the run`;
          runAbort.abort(new Error(labDied));
        });
        run.lab = lab;
      }),
    );
  };
  /** Stops the current labs; the first unclean exit of each side is kept. */
  const stopLabs = async () => {
    await Promise.all(
      runs.map(async (run) => {
        const lab = run.lab;
        if (!lab) return;
        run.lastOutput = lab.recentOutput();
        intentionallyStopped.add(lab);
        run.lab = null;
        run.stopProblem ??= await stopLab(lab);
      }),
    );
  };
  // One load worker for the whole scenario: a process per trial cost ~0.5 s each (fork, start-up, exit).
  const load = openLoadSession({ cpus: cpuPlan.generatorCpus });
  const drive = (run: SideRun, durationSeconds: number, seed: number) =>
    load.run(loadPlan(spec, (run.lab as TargetProcess).appUrl, durationSeconds, seed), {
      signal: runAbort.signal,
      onProgress: (progress) => emit({ kind: 'load', side: run.side.label, progress, durationSeconds }),
    });

  /** One request at a time to each side in turn (bench/load/duet.ts); what each side's server spent per request. */
  const scrape = async (lab: TargetProcess): Promise<Families | null> =>
    metricNames === null ? null : scrapeMetrics(lab.appUrl, metricNames.path);
  const duet = async (seed: number): Promise<DuetMeasurement[]> => {
    const labsNow = runs.map((run) => run.lab as TargetProcess);
    const before = await Promise.all(labsNow.map(scrape));
    const result = await runDuet(
      {
        baseUrls: labsNow.map((lab) => lab.appUrl),
        variants: spec.requests,
        durationSeconds: spec.load.duetSeconds,
        requestTimeoutMs: spec.load.requestTimeoutMs,
        seed,
      },
      runAbort.signal,
    );
    const after = await Promise.all(labsNow.map(scrape));
    return labsNow.map((_, i) => {
      const server = metricNames ? serverTrialMetrics(before[i] as Families, after[i] as Families, metricNames) : NO_SERVER_METRICS;
      const side = result.sides[i] ?? { sent: 0, completed: 0, errors: 0 };
      return {
        requests: side.sent,
        errors: side.errors,
        cpuMsPerRequest: server.cpuMsPerRequest,
        sections: Object.fromEntries(Object.entries(server.sections).map(([name, h]) => [name, { count: h.count, meanMs: h.meanMs }])),
      };
    });
  };

  try {
    // Fresh lab processes every `trialsPerLab` trials: two identical processes can differ by
    // several percent for their whole life (JIT decisions, memory layout), which would be a bias
    // between sides; several processes per side turn it into noise the statistics handle.
    for (let index = first; index <= last; index++) {
      const freshLabs = (index - first) % spec.load.trialsPerLab === 0;
      if (freshLabs) await startLabs(index === first);
      if (freshLabs && spec.load.warmupSeconds > 0) {
        for (const run of runs) {
          if (index === first) emit({ kind: 'warmup', side: run.side.label, durationSeconds: spec.load.warmupSeconds });
          await drive(run, spec.load.warmupSeconds, spec.load.seed + 1_000_000 + index);
        }
      }
      for (const i of interleavedOrder(runs.length, index)) {
        const run = runs[i] as SideRun;
        const lab = run.lab as TargetProcess;
        emit({ kind: 'trial-start', side: run.side.label, index, total: last, durationSeconds: spec.load.durationSeconds });
        const startedAt = new Date().toISOString();
        const [before, hdrBefore] = await Promise.all([scrape(lab), readHdrSnapshot(lab.pprofUrl)]);
        // Both sides get the same seed for trial k, hence the same request mix.
        const client = await drive(run, spec.load.durationSeconds, spec.load.seed + index);
        const [after, hdrAfter] = await Promise.all([scrape(lab), readHdrSnapshot(lab.pprofUrl)]);
        const server =
          metricNames && before && after
            ? serverTrialMetrics(before, after, metricNames, { before: hdrBefore, after: hdrAfter })
            : NO_SERVER_METRICS;
        const trial: TrialResult = {
          index,
          startedAt,
          validity: trialValidity(client, spec.validity),
          client,
          errorRatio: client.sent > 0 ? client.errors / client.sent : 0,
          server,
          duet: null,
          metrics: trialMetrics(client, server),
        };
        run.trials.push(trial);
        emit({ kind: 'trial-done', side: run.side.label, trial, total: last });
      }
      // The duet measures what the server spent per request: nothing to read without its metrics.
      if (spec.load.duetSeconds > 0 && metricNames !== null) {
        const measured = await duet(spec.load.seed + 2_000_000 + index);
        runs.forEach((run, i) => {
          const trial = run.trials.at(-1) as TrialResult;
          const side = measured[i] as DuetMeasurement;
          trial.duet = side;
          trial.metrics = trialMetrics(trial.client, trial.server, side);
          if (side.errors > 0) {
            const reason = `${side.errors} of ${side.requests} duet request(s) failed`;
            trial.validity = trial.validity.valid
              ? { valid: false, reasons: [reason] }
              : { valid: false, reasons: [...trial.validity.reasons, reason] };
          }
        });
      }
      if ((index - first + 1) % spec.load.trialsPerLab === 0 || index === last) await stopLabs();
    }

    const output = labOutput();
    return runs.map((run) =>
      run.stopProblem
        ? { ...finish(run), status: 'errored', error: run.stopProblem, labOutput: output }
        : judgeValidity(finish(run), trialCount),
    );
  } catch (error) {
    const message = labDied ?? (options.signal?.aborted ? 'interrupted' : (error as Error).message);
    const output = labOutput();
    return runs.map((run) => ({ ...finish(run), status: 'errored', error: message, labOutput: output }));
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    runAbort.abort(new Error('scenario finished'));
    const running = runs.flatMap((run) => (run.lab ? [run.lab] : []));
    for (const lab of running) intentionallyStopped.add(lab);
    await Promise.all([...running.map((lab) => lab.stop(2_000)), load.close()]);
  }
}

interface SideRun {
  side: Side;
  lab: TargetProcess | null;
  trials: TrialResult[];
  /** Why its lab did not stop cleanly, the first time one did not. */
  stopProblem: string | null;
  /** The last lines of its most recently stopped lab. */
  lastOutput: string[];
}

/** Sides in A B, B A, A B … order for trial `index` (1-based); one side is just itself. */
export function interleavedOrder(sideCount: number, index: number): number[] {
  const order = Array.from({ length: sideCount }, (_, i) => i);
  return index % 2 === 1 ? order : order.reverse();
}

/** A scenario needs at least half its trials valid to be trusted. */
function judgeValidity(base: ScenarioOutcomeBase, trialCount: number): ScenarioOutcome {
  const validTrials = base.trials.filter((t) => t.validity.valid).length;
  const needed = Math.ceil(trialCount / 2);
  if (validTrials >= needed) return { ...base, status: 'ok' };
  const reasons = [...new Set(base.trials.flatMap((t) => (t.validity.valid ? [] : t.validity.reasons)))];
  return { ...base, status: 'invalid', reason: `${validTrials} of ${trialCount} trials valid (need ${needed}): ${reasons.join('; ')}` };
}

/** Stops a target gracefully; an unclean exit means it had trouble (say so, with its output). */
async function stopLab(lab: TargetProcess): Promise<string | null> {
  const exit = await lab.stop();
  if (lab.stoppedCleanly(exit)) return null;
  return `the ${lab.noun} did not shut down cleanly (${exit.signal ?? `exit code ${exit.code}`})${formatTail(lab.recentOutput())}`;
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
