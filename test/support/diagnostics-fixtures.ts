import { Profile } from 'pprof-format';
import { gunzipSync } from 'node:zlib';
import { spawnLab, type SpawnedLab } from './spawned-lab.js';

/** The loop-heavy request the diagnostics tests profile: ~5 ms of `simulateLoop`, no DB wait. */
export const HOT_WORK_PATH = '/api/work?loop_iterations=5000000&db_min_ms=0&db_max_ms=1';

export interface LabWithPprof extends SpawnedLab {
  pprofUrl: string;
  stop(): Promise<void>;
}

export async function startLabWithPprof(args: readonly string[] = []): Promise<LabWithPprof> {
  const lab = await spawnLab(args);
  if (lab.pprofUrl === null) throw new Error('the lab started without a diagnostics server');
  return {
    ...lab,
    pprofUrl: lab.pprofUrl,
    async stop() {
      if (lab.child.exitCode === null && lab.child.signalCode === null) lab.child.kill('SIGTERM');
      await lab.exited;
    },
  };
}

/** Resolves once a log line matches (the lab logs `capture_started` when the profiler is on). */
export async function waitForLog(lab: LabWithPprof, matches: (line: string) => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!lab.logLines.some(matches)) {
    if (performance.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Starts a capture on a fresh lab and only then the load. Once V8 has inlined `simulateLoop` into
 * `runLoop` (after some hundreds of requests), its samples carry the caller's name: Node 20's V8
 * does not expand inlined frames at the top of a sampled stack. A cold lab, profiled from its
 * first request, names the loop reliably.
 */
export async function captureDuringLoad(
  lab: LabWithPprof,
  capturePath: string,
  load: { durationMs: number; maxRequests: number },
): Promise<{ response: Response; load: LoadResult }> {
  const capture = fetch(`${lab.pprofUrl}${capturePath}`);
  await waitForLog(lab, (line) => line.includes('"capture_started"'));
  const loadResult = await boundedLoad(`${lab.appUrl}${HOT_WORK_PATH}`, load);
  return { response: await capture, load: loadResult };
}

export interface LoadResult {
  ok: number;
  failed: number;
}

/** Sequential requests until the time or count bound; never unbounded. */
export async function boundedLoad(
  url: string,
  options: { durationMs: number; maxRequests: number; connections?: number },
): Promise<LoadResult> {
  const deadline = performance.now() + options.durationMs;
  const result: LoadResult = { ok: 0, failed: 0 };
  let sent = 0;
  const worker = async () => {
    while (performance.now() < deadline && sent < options.maxRequests) {
      sent++;
      try {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.ok) result.ok++;
        else result.failed++;
      } catch {
        result.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections ?? 2 }, worker));
  return result;
}

export function decodePprof(gzipped: Uint8Array): Profile {
  return Profile.decode(gunzipSync(gzipped));
}

/** Function names in a decoded profile, with their samples' summed values (by sample type index). */
export function valueByFunction(profile: Profile, valueIndex: number, leafOnly: boolean): Map<string, number> {
  const strings = profile.stringTable.strings;
  const functionName = new Map(profile.function.map((f) => [Number(f.id), strings[Number(f.name)] ?? '']));
  const locationFunctions = new Map(profile.location.map((l) => [Number(l.id), l.line.map((line) => Number(line.functionId))]));
  const totals = new Map<string, number>();
  for (const sample of profile.sample) {
    const locations = leafOnly ? sample.locationId.slice(0, 1) : sample.locationId;
    const names = new Set(locations.flatMap((id) => locationFunctions.get(Number(id)) ?? []).map((id) => functionName.get(id) ?? ''));
    for (const name of names) totals.set(name, (totals.get(name) ?? 0) + Number(sample.value[valueIndex] ?? 0));
  }
  return totals;
}

export function sampleTypeNames(profile: Profile): string[] {
  const strings = profile.stringTable.strings;
  return profile.sampleType.map((t) => `${strings[Number(t.type)]}/${strings[Number(t.unit)]}`);
}
