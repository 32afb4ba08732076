import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CpuPlan } from '../process/cpu-affinity.js';
import { runLoad } from '../load/run-load.js';
import { labScript, PACKAGE_ROOT } from '../process/own-files.js';
import { loadPlan } from '../run/run-scenario.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { captureScenarioCpuProfile } from './capture-cpuprofile.js';
import { parseCpuProfile, tallyCpuProfile } from './cpuprofile.js';
import { fileKindOf, profileDir, profileFile } from './files.js';
import { missingProfilerPackage } from './optional-packages.js';
import { runProfilerJob } from './profiler-process.js';
import { hottestFunctions } from './stack-tally.js';
import { PROFILE_NODE_FLAGS, type HotFunction, type ProfiledRun, type ProfileFile, type ProfileKind } from './types.js';
import { profileWindow } from './window.js';

export interface ProfileContext {
  /** `reports/<run-id>`: every file lands under its `profiles/` folder. */
  runDir: string;
  cpuPlan: CpuPlan;
  signal: AbortSignal;
  log: (line: string) => void;
}

export const HOTTEST_LIMIT = 10;
/** A lab starts in well under a second; under a profiler, give it plenty. */
const LISTEN_TIMEOUT_MS = 20_000;
/** Time for 0x/clinic to turn their logs into HTML, beyond the profiled load itself. */
const PROCESSING_ALLOWANCE_MS = 180_000;

/**
 * `--profile KIND` for one scenario: a fresh lab under the profiler, driven with the scenario's
 * load (warm-up + one trial's length), writing its HTML under `profiles/<scenario>/`. Failures
 * come back as a `failed` run with the reason; nothing here throws.
 */
export async function runRequestedProfile(
  kind: ProfileKind,
  spec: ScenarioSpec,
  context: ProfileContext,
): Promise<{ run: ProfiledRun; warning: string | null }> {
  const { warmupSeconds, seconds } = profileWindow(spec);
  const base = {
    scenario: spec.name,
    side: 'current',
    profiler: kind,
    purpose: 'requested' as const,
    nodeFlags: [...PROFILE_NODE_FLAGS],
    loadSeconds: seconds,
  };
  const dir = await profileDir(context.runDir, spec.name);
  if (kind === 'cpuprofile') {
    const captured = await captureCpuProfileWithFlamegraph(spec, dir, 'cpu', context, undefined);
    if (captured.status === 'failed')
      return { run: { ...base, status: 'failed', error: captured.error, files: captured.files }, warning: null };
    return { run: { ...base, status: 'ok', files: captured.files, hottest: captured.hottest }, warning: captured.warning };
  }

  const root = PACKAGE_ROOT;
  const outcome = await runProfilerJob(
    {
      kind,
      nodeFlags: [...PROFILE_NODE_FLAGS],
      script: labScript(root),
      // The diagnostics port stays closed: 0x and clinic detect the first port the lab opens.
      labArgs: ['--host', '127.0.0.1', '--port', '0', '--pprof-port', 'off', ...spec.serverArgs],
      outDir: resolve(dir),
      labRoot: root,
      title: `metric-lab ${spec.name} under ${kind} (${warmupSeconds + seconds} s of load, ${PROFILE_NODE_FLAGS.join(' ')})`,
    },
    {
      cwd: resolve(dir),
      cpus: context.cpuPlan.labCpus,
      signal: context.signal,
      deadlineMs: (warmupSeconds + seconds) * 1000 + PROCESSING_ALLOWANCE_MS,
      listenTimeoutMs: LISTEN_TIMEOUT_MS,
      drive: async (port) => {
        // One stretch of load: the warm-up is profiled too, as 0x and clinic profile the whole process.
        await runLoad(loadPlan(spec, `http://127.0.0.1:${port}`, warmupSeconds + seconds, spec.load.seed + 2_000_000), {
          signal: context.signal,
          cpus: context.cpuPlan.generatorCpus,
        });
      },
    },
  );
  const loadSeconds = warmupSeconds + seconds;
  if (outcome.status === 'failed')
    return { run: { ...base, loadSeconds, status: 'failed', error: outcome.error, files: [] }, warning: null };
  const files = await Promise.all(outcome.files.map((path) => profileFile(context.runDir, path, fileKindOf(path))));
  return { run: { ...base, loadSeconds, status: 'ok', files, hottest: outcome.hottest }, warning: null };
}

export type CapturedProfile =
  | {
      status: 'ok';
      files: ProfileFile[];
      hottest: HotFunction[];
      profilePath: string;
      profileJson: string;
      labRoot: string;
      warning: string | null;
    }
  | { status: 'failed'; error: string; files: ProfileFile[] };

/**
 * A `.cpuprofile` from the lab's own profiler, plus a 0x flamegraph of it (best effort: without
 * the HTML the profile still opens in Chrome DevTools or speedscope).
 */
export async function captureCpuProfileWithFlamegraph(
  spec: ScenarioSpec,
  dir: string,
  name: string,
  context: ProfileContext,
  labRoot: string | undefined,
): Promise<CapturedProfile> {
  const captured = await captureScenarioCpuProfile(spec, {
    cpuPlan: context.cpuPlan,
    signal: context.signal,
    ...(labRoot ? { labRoot } : {}),
  });
  if (captured.status === 'failed') return { status: 'failed', error: captured.error, files: [] };
  const parsed = parseCpuProfile(captured.profileJson);
  if (!parsed.ok) return { status: 'failed', error: `the lab's profile could not be read: ${parsed.reason}`, files: [] };
  const profilePath = join(dir, `${name}.cpuprofile`);
  await writeFile(profilePath, captured.profileJson);
  const files = [await profileFile(context.runDir, profilePath, 'cpuprofile')];
  const hottest = hottestFunctions(tallyCpuProfile(parsed.profile, [captured.labRoot]), HOTTEST_LIMIT);

  const missing = missingProfilerPackage('flamegraph-html');
  if (missing) {
    const warning = `${spec.name}: no flamegraph of ${name}.cpuprofile: ${missing}; the profile itself opens in Chrome DevTools`;
    return { status: 'ok', files, hottest, profilePath, profileJson: captured.profileJson, labRoot: captured.labRoot, warning };
  }
  const htmlPath = resolve(dir, `${name}-flamegraph.html`);
  const rendered = await runProfilerJob(
    {
      kind: 'visualize-cpuprofile',
      profilePath: resolve(profilePath),
      htmlPath,
      title: `metric-lab ${spec.name}: ${name}.cpuprofile (${PROFILE_NODE_FLAGS.join(' ')})`,
    },
    { deadlineMs: 60_000, signal: context.signal },
  );
  let warning: string | null = null;
  if (rendered.status === 'ok') files.push(await profileFile(context.runDir, htmlPath, 'flamegraph-html'));
  else
    warning = `${spec.name}: the flamegraph of ${name}.cpuprofile could not be drawn (${rendered.error}); the profile itself opens in Chrome DevTools`;
  return { status: 'ok', files, hottest, profilePath, profileJson: captured.profileJson, labRoot: captured.labRoot, warning };
}
