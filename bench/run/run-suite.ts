import type { ScenarioOutcome } from '../results/results.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { runScenarioSides, type ScenarioEvent, type Side } from './run-scenario.js';

export interface SuiteRunOptions {
  trials: number | null;
  /** Per scenario: how many trials, numbered from where (adaptive looks add trials to earlier runs). */
  extension?: ReadonlyMap<string, { trials: number; firstTrialIndex: number }>;
  signal: AbortSignal;
  onEvent: (scenario: string, event: ScenarioEvent) => void;
}

/** The labs a suite runs: this checkout alone, or a reference build interleaved with it (A/B, A/A). */
export interface SuiteSides {
  current: Side;
  reference?: Side;
}

/** One scenario's outcomes: the current side's, and the reference side's when there is one. */
export interface ScenarioRun {
  current: ScenarioOutcome;
  reference: ScenarioOutcome | null;
}

/** Runs scenarios one after another on every side; stops early when interrupted. */
export async function runSuite(
  scenarios: ReadonlyArray<{ spec: ScenarioSpec; hash: string }>,
  sides: SuiteSides,
  options: SuiteRunOptions,
): Promise<ScenarioRun[]> {
  // The reference goes first, so trial 1 runs it first and the A B, B A … order is the same on every run.
  const order = sides.reference ? [sides.reference, sides.current] : [sides.current];
  const runs: ScenarioRun[] = [];
  for (const { spec, hash } of scenarios) {
    if (options.signal.aborted) break;
    const extension = options.extension?.get(spec.name);
    const outcomes = await runScenarioSides(spec, hash, order, {
      ...(extension
        ? { trials: extension.trials, firstTrialIndex: extension.firstTrialIndex }
        : options.trials !== null
          ? { trials: options.trials }
          : {}),
      signal: options.signal,
      onEvent: (event) => options.onEvent(spec.name, event),
    });
    const [first, second] = outcomes as [ScenarioOutcome, ScenarioOutcome | undefined];
    runs.push(second ? { reference: first, current: second } : { reference: null, current: first });
  }
  return runs;
}
