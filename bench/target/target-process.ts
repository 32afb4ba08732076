import { constants } from 'node:os';
import type { LabProcess } from '../process/lab-process.js';
import type { ChildExit } from '../process/supervised-child.js';

/** A running target, lab or command: what the runner drives, scrapes and stops. */
export interface TargetProcess extends LabProcess {
  /** "lab" or "target", for messages. */
  noun: string;
  /** Whether an exit after `stop()` was an orderly one. */
  stoppedCleanly(exit: ChildExit): boolean;
}

/** The lab exits 0 when stopped; a service may also exit by the stop signal or with 128 + its number. */
export function stoppedBy(signal: NodeJS.Signals, exit: ChildExit): boolean {
  return exit.code === 0 || exit.signal === signal || exit.code === 128 + (constants.signals[signal] ?? 0);
}

/** Wraps a lab process as a target. */
export function labTarget(lab: LabProcess): TargetProcess {
  return { ...lab, noun: 'lab', stoppedCleanly: (exit) => exit.code === 0 };
}
