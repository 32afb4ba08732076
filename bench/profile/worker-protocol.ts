/**
 * Messages between the bench and the profiler worker (bench/profile/profiler-worker.ts). 0x and
 * clinic run in that worker, never in the bench: they install their own signal handlers, copy
 * the target's stdout to their own, and bundle their HTML at run time.
 */
import type { HotFunction } from './types.js';

/** Runs the lab under 0x or clinic, on a free loopback port, until told to stop. */
export interface CollectJob {
  kind: '0x' | 'clinic-flame' | 'clinic-doctor';
  /** Node flags, then the lab's script and its arguments. */
  nodeFlags: string[];
  script: string;
  labArgs: string[];
  /** Folder for the HTML (and temporary data, removed afterwards); also the worker's cwd. */
  outDir: string;
  /** The lab's root, to name frames relative to it. */
  labRoot: string;
  title: string;
}

/** Renders an inspector `.cpuprofile` as a 0x flamegraph. */
export interface VisualizeJob {
  kind: 'visualize-cpuprofile';
  profilePath: string;
  htmlPath: string;
  title: string;
}

export type ProfilerJob = CollectJob | VisualizeJob;

export type ToWorker = { type: 'run'; job: ProfilerJob } | { type: 'stop' };

export type FromWorker =
  /** The lab listens here: drive load, then send `stop`. */
  { type: 'port'; port: number } | { type: 'done'; files: string[]; hottest: HotFunction[] } | { type: 'failed'; error: string };

export function isFromWorker(message: unknown): message is FromWorker {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'port' || type === 'done' || type === 'failed';
}

export function isToWorker(message: unknown): message is ToWorker {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'run' || type === 'stop';
}
