import { tallyCpuProfile, type CpuProfile } from './cpuprofile.js';
import { frameKey, type FunctionSamples, type StackTally } from './stack-tally.js';
import type { DifferentialRow } from './types.js';

export interface Differential {
  baselineBusySamples: number;
  currentBusySamples: number;
  /** Functions whose self share grew, most first. */
  bySelf: DifferentialRow[];
  /** Functions whose total (inclusive) share grew, most first. */
  byTotal: DifferentialRow[];
}

/**
 * Where the CPU time moved between two profiles (pure): for every function on either side, its
 * share of busy samples (self and total) in each, and the change. Shares, not sample counts, so
 * profiles of different lengths compare; the ms columns show the absolute side of the story.
 */
export function differentialProfile(baseline: StackTally, current: StackTally, limit = 15): Differential {
  const keys = new Set([...baseline.functions.keys(), ...current.functions.keys()]);
  const rows: DifferentialRow[] = [];
  for (const key of keys) {
    const before = baseline.functions.get(key);
    const after = current.functions.get(key);
    const named = (after ?? before) as FunctionSamples;
    const side = (tally: StackTally, f: FunctionSamples | undefined) => ({
      selfShare: share(f?.selfSamples ?? 0, tally.busySamples),
      totalShare: share(f?.totalSamples ?? 0, tally.busySamples),
      selfMs: (f?.selfSamples ?? 0) * tally.sampleMs,
      totalMs: (f?.totalSamples ?? 0) * tally.sampleMs,
    });
    const b = side(baseline, before);
    const c = side(current, after);
    rows.push({
      functionName: named.functionName,
      location: named.location,
      baseline: b,
      current: c,
      selfShareChange: c.selfShare - b.selfShare,
      totalShareChange: c.totalShare - b.totalShare,
    });
  }
  const byName = (a: DifferentialRow, b: DifferentialRow) => frameKey(a).localeCompare(frameKey(b));
  return {
    baselineBusySamples: baseline.busySamples,
    currentBusySamples: current.busySamples,
    bySelf: rows
      .filter((r) => r.selfShareChange > 0)
      .sort((a, b) => b.selfShareChange - a.selfShareChange || byName(a, b))
      .slice(0, limit),
    byTotal: rows
      .filter((r) => r.totalShareChange > 0)
      .sort((a, b) => b.totalShareChange - a.totalShareChange || byName(a, b))
      .slice(0, limit),
  };
}

/** `differentialProfile` over two `.cpuprofile`s, each with the root its lab ran from. */
export function diffCpuProfiles(
  baseline: { profile: CpuProfile; root: string },
  current: { profile: CpuProfile; root: string },
  limit = 15,
): Differential {
  return differentialProfile(tallyCpuProfile(baseline.profile, [baseline.root]), tallyCpuProfile(current.profile, [current.root]), limit);
}

function share(samples: number, busy: number): number {
  return busy > 0 ? samples / busy : 0;
}
