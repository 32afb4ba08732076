import type { ScenarioSpec } from '../scenario/spec.js';

/**
 * How long a profiled run warms up and then profiles: the scenario's own warm-up and trial
 * length, bounded so a long scenario does not produce a huge profile, and a tiny one still gets
 * enough samples (1 kHz sampling: 1 s is ~1000 samples).
 */
export function profileWindow(spec: ScenarioSpec): { warmupSeconds: number; seconds: number } {
  return {
    warmupSeconds: clamp(spec.load.warmupSeconds, 0.5, 10),
    seconds: clamp(spec.load.durationSeconds, 1, 30),
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
