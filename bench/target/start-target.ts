import { startLabProcess } from '../process/lab-process.js';
import { startCommandTarget } from './command-target.js';
import { labTarget, type TargetProcess } from './target-process.js';
import type { TargetSpec } from './target-spec.js';

export interface StartTargetOptions {
  /** The lab's server flags (knobs); unused for command targets. */
  labArgs: readonly string[];
  /** Where the lab is built (another worktree in A/B runs); default this package. */
  labRoot?: string;
  /** The project folder a command target's cwd is relative to; default the working directory. */
  projectRoot?: string;
  cpus: string | null;
}

/** Starts a scenario's target and waits until it is ready; throws one clear message when it cannot. */
export async function startTarget(target: TargetSpec, options: StartTargetOptions): Promise<TargetProcess> {
  if (target.kind === 'command') {
    return startCommandTarget(target, { projectRoot: options.projectRoot ?? process.cwd(), cpus: options.cpus });
  }
  const lab = await startLabProcess({
    args: options.labArgs,
    // On a free loopback port: its /debug/snapshot gives exact per-trial section histograms.
    diagnostics: true,
    cpus: options.cpus,
    ...(options.labRoot ? { root: options.labRoot } : {}),
  });
  return labTarget(lab);
}
