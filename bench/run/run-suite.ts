import type { ScenarioOutcome } from '../results/results.js';
import { runScenarioSides, type ScenarioEvent, type Side } from './run-scenario.js';
import type { ScenarioSpec } from '../scenario/schema.js';

export interface SuiteRunOptions {
  trials: number | null;
  signal: AbortSignal;
  onEvent: (scenario: string, event: ScenarioEvent) => void;
}

/** Runs scenarios one after another on every side; outcomes[scenario][side]. Stops early when interrupted. */
export async function runSuite(
  scenarios: ReadonlyArray<{ spec: ScenarioSpec; hash: string }>,
  sides: readonly Side[],
  options: SuiteRunOptions,
): Promise<ScenarioOutcome[][]> {
  const outcomes: ScenarioOutcome[][] = [];
  for (const { spec, hash } of scenarios) {
    if (options.signal.aborted) break;
    outcomes.push(
      await runScenarioSides(spec, hash, sides, {
        ...(options.trials !== null ? { trials: options.trials } : {}),
        signal: options.signal,
        onEvent: (event) => options.onEvent(spec.name, event),
      }),
    );
  }
  return outcomes;
}
