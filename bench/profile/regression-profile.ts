import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderDifferentialPage } from '../report/differential-page.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { cpuProfileStacks, parseCpuProfile } from './cpuprofile.js';
import { buildDiffTree } from './diff-tree.js';
import { differentialProfile } from './differential.js';
import { profileDir, profileFile } from './files.js';
import { captureCpuProfileWithFlamegraph, type CapturedProfile, type ProfileContext } from './requested-profile.js';
import { tallyStacks } from './stack-tally.js';
import { PROFILE_NODE_FLAGS, type DifferentialProfile, type DifferentialSide, type ProfiledRun } from './types.js';
import { profileWindow } from './window.js';

/** A lab build that can be started: this checkout, or a worktree of another commit. */
export interface LabSide {
  label: string;
  root: string;
  commit: string | null;
}

export type BaselineLab = { status: 'available'; side: LabSide; sameCode: boolean } | { status: 'unavailable'; reason: string };

const ROW_LIMIT = 15;

/**
 * For a regressed scenario: CPU profiles of the baseline's lab and the current lab under the same
 * load, and the differential view of the two. Never throws; a side that cannot be profiled
 * makes the differential `unavailable` with the reason.
 */
export async function profileRegression(
  spec: ScenarioSpec,
  baseline: BaselineLab,
  current: LabSide,
  context: ProfileContext,
): Promise<{ runs: ProfiledRun[]; differential: DifferentialProfile; warnings: string[] }> {
  const dir = await profileDir(context.runDir, spec.name, 'regression');
  const runs: ProfiledRun[] = [];
  const warnings: string[] = [];
  const capture = async (side: LabSide, name: string): Promise<CapturedProfile> => {
    context.log(`${spec.name}: profiling the ${side.label} lab (${profileWindow(spec).seconds} s) for the differential profile`);
    const captured = await captureCpuProfileWithFlamegraph(spec, dir, name, context, side.root);
    const base = {
      scenario: spec.name,
      side: side.label,
      profiler: 'cpuprofile' as const,
      purpose: 'regression' as const,
      nodeFlags: [...PROFILE_NODE_FLAGS],
      loadSeconds: profileWindow(spec).seconds,
    };
    if (captured.status === 'ok') {
      runs.push({ ...base, status: 'ok', files: captured.files, hottest: captured.hottest });
      if (captured.warning) warnings.push(captured.warning);
    } else {
      runs.push({ ...base, status: 'failed', error: captured.error, files: captured.files });
    }
    return captured;
  };

  const before = baseline.status === 'available' ? await capture(baseline.side, 'baseline') : null;
  const after = await capture(current, 'current');
  const sideOf = (lab: LabSide, captured: Extract<CapturedProfile, { status: 'ok' }>, busySamples: number): DifferentialSide => ({
    label: lab.label,
    commit: lab.commit,
    busySamples,
    profilePath: captured.files.find((f) => f.kind === 'cpuprofile')?.path ?? '',
  });

  if (after.status === 'failed') {
    return {
      runs,
      warnings,
      differential: {
        scenario: spec.name,
        status: 'unavailable',
        reason: `the current lab could not be profiled: ${after.error}`,
        current: null,
        files: [],
      },
    };
  }
  const currentProfile = parseCpuProfile(after.profileJson);
  if (!currentProfile.ok) throw new Error(`a profile that parsed once no longer parses: ${currentProfile.reason}`);
  const currentStacks = cpuProfileStacks(currentProfile.profile, [after.labRoot]);
  const currentTally = tallyStacks(currentStacks.stacks, currentStacks.sampleMs);
  const currentSide = sideOf(current, after, currentTally.busySamples);

  if (baseline.status === 'unavailable' || before === null || before.status === 'failed') {
    const reason =
      baseline.status === 'unavailable'
        ? baseline.reason
        : `the baseline lab could not be profiled: ${before?.status === 'failed' ? before.error : 'unknown'}`;
    return { runs, warnings, differential: { scenario: spec.name, status: 'unavailable', reason, current: currentSide, files: [] } };
  }
  const baselineProfile = parseCpuProfile(before.profileJson);
  if (!baselineProfile.ok) throw new Error(`a profile that parsed once no longer parses: ${baselineProfile.reason}`);
  const baselineStacks = cpuProfileStacks(baselineProfile.profile, [before.labRoot]);
  const baselineTally = tallyStacks(baselineStacks.stacks, baselineStacks.sampleMs);
  const baselineSide = sideOf(baseline.side, before, baselineTally.busySamples);

  const diff = differentialProfile(baselineTally, currentTally, ROW_LIMIT);
  const notes: string[] = [];
  if (baseline.sameCode) {
    notes.unshift(
      `Both sides ran the same code${current.commit ? ` (commit ${current.commit.slice(0, 12)})` : ''}: differences below are noise, so the regression comes from outside the code (the machine, its load, or the scenario).`,
    );
  }
  const pagePath = join(dir, 'differential.html');
  const differential: DifferentialProfile = {
    scenario: spec.name,
    status: 'ok',
    baseline: baselineSide,
    current: currentSide,
    bySelf: diff.bySelf,
    byTotal: diff.byTotal,
    files: [],
    notes,
  };
  await writeFile(
    pagePath,
    renderDifferentialPage({ differential, tree: buildDiffTree(baselineStacks.stacks, currentStacks.stacks), linkPrefix: '../../../' }),
  );
  differential.files.push(await profileFile(context.runDir, pagePath, 'differential-html'));
  return { runs, warnings, differential };
}
