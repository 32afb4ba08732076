import { setTimeout as sleep } from 'node:timers/promises';
import type { CpuPlan } from '../process/cpu-affinity.js';
import { startLabProcess, type LabProcess } from '../process/lab-process.js';
import { PACKAGE_ROOT } from '../process/own-files.js';
import { runLoad } from '../load/run-load.js';
import { loadPlan } from '../run/run-scenario.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { profileWindow } from './window.js';
import { PROFILE_NODE_FLAGS } from './types.js';

export type CpuCapture = { status: 'ok'; profileJson: string; labRoot: string } | { status: 'failed'; error: string };

export interface CpuCaptureOptions {
  /** Another worktree's build (the baseline side); default this checkout. */
  labRoot?: string;
  cpuPlan: CpuPlan;
  signal?: AbortSignal;
}

/** Load starts this long before the profile window and ends this long after it. */
const LEAD_SECONDS = 0.5;

/**
 * Starts a fresh lab (with its diagnostics server, without TurboFan inlining), warms it up with
 * the scenario's load, then records a V8 CPU profile through `/debug/pprof/profile` while the
 * same load runs. Never throws. Its load numbers are discarded: profiled runs are not measured.
 */
export async function captureScenarioCpuProfile(spec: ScenarioSpec, options: CpuCaptureOptions): Promise<CpuCapture> {
  const { warmupSeconds, seconds } = profileWindow(spec);
  const root = options.labRoot ?? PACKAGE_ROOT;
  const signal = options.signal ?? new AbortController().signal;
  let lab: LabProcess | null = null;
  try {
    lab = await startLabProcess({
      args: spec.serverArgs,
      diagnostics: true,
      nodeFlags: PROFILE_NODE_FLAGS,
      cpus: options.cpuPlan.labCpus,
      root,
    });
    if (!lab.pprofUrl) return { status: 'failed', error: 'the lab started without its diagnostics server' };
    const drive = (durationSeconds: number, seed: number) =>
      runLoad(loadPlan(spec, (lab as LabProcess).appUrl, durationSeconds, seed), { signal, cpus: options.cpuPlan.generatorCpus });
    await drive(warmupSeconds, spec.load.seed + 2_000_000);
    const load = drive(seconds + 2 * LEAD_SECONDS, spec.load.seed + 3_000_000);
    const loadOutcome = load.then(
      () => null,
      (error: unknown) => (error as Error).message,
    );
    await sleep(LEAD_SECONDS * 1000, undefined, { signal });
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/profile?seconds=${seconds}&format=cpuprofile`, {
      signal: AbortSignal.any([signal, AbortSignal.timeout((seconds + 30) * 1000)]),
    });
    const body = await response.text();
    const loadError = await loadOutcome;
    if (!response.ok) return { status: 'failed', error: `GET /debug/pprof/profile answered ${response.status}: ${body.slice(0, 200)}` };
    if (loadError !== null) return { status: 'failed', error: `the load during the profile failed: ${loadError}` };
    return { status: 'ok', profileJson: body, labRoot: root };
  } catch (error) {
    return { status: 'failed', error: signal.aborted ? 'interrupted' : (error as Error).message };
  } finally {
    await lab?.stop(2_000);
  }
}
