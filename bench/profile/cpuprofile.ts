import { z } from 'zod';
import { relativeLocation, tallyStacks, type Frame, type StackTally, type WeightedStack } from './stack-tally.js';

/** The parts of a V8 `.cpuprofile` (inspector `Profiler.Profile`) this harness reads. */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  /** Microseconds. */
  startTime: number;
  endTime: number;
  /** Node id per sample, in time order; absent in some exporters (then `hitCount` is used). */
  samples?: number[];
  timeDeltas?: number[];
}

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

const profileSchema = z.looseObject({
  nodes: z
    .array(
      z.looseObject({
        id: z.number().int(),
        callFrame: z.looseObject({ functionName: z.string(), url: z.string(), lineNumber: z.number(), columnNumber: z.number() }),
        hitCount: z.number().optional(),
        children: z.array(z.number().int()).optional(),
      }),
    )
    .min(1),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number().int()).optional(),
  timeDeltas: z.array(z.number()).optional(),
});

export type ParsedCpuProfile = { ok: true; profile: CpuProfile } | { ok: false; reason: string };

/** Parses `.cpuprofile` JSON; a wrong shape gets a reason naming the field. */
export function parseCpuProfile(text: string): ParsedCpuProfile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  const parsed = profileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `not a V8 CPU profile: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, profile: parsed.data as CpuProfile };
}

/**
 * The profile as weighted stacks (outermost frame first, "(root)" dropped), with idle samples
 * counted apart: idle is the lab waiting for requests, not work, so shares are of busy samples.
 */
export function cpuProfileStacks(
  profile: CpuProfile,
  roots: readonly string[],
): { stacks: WeightedStack[]; idleSamples: number; sampleMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const hits = new Map<number, number>();
  if (profile.samples && profile.samples.length > 0) {
    for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  } else {
    for (const node of profile.nodes) if (node.hitCount) hits.set(node.id, node.hitCount);
  }
  const sampleCount = [...hits.values()].reduce((a, b) => a + b, 0);
  const sampleMs = sampleCount > 0 ? (profile.endTime - profile.startTime) / 1000 / sampleCount : 0;

  const frameOf = new Map<number, Frame>();
  const frame = (node: CpuProfileNode): Frame => {
    let found = frameOf.get(node.id);
    if (!found) {
      const { functionName, url, lineNumber } = node.callFrame;
      const name = functionName === '' ? '(anonymous)' : functionName;
      const location = relativeLocation(url, roots);
      // Named functions keep their name across edits; anonymous ones need the line to be told apart.
      found = { functionName: name, location: name === '(anonymous)' && location !== '' ? `${location}:${lineNumber + 1}` : location };
      frameOf.set(node.id, found);
    }
    return found;
  };

  let idleSamples = 0;
  const stacks: WeightedStack[] = [];
  for (const [id, count] of hits) {
    const node = byId.get(id);
    if (!node) continue;
    if (node.callFrame.functionName === '(idle)') {
      idleSamples += count;
      continue;
    }
    const frames: Frame[] = [];
    for (let at: CpuProfileNode | undefined = node; at; at = byId.get(parent.get(at.id) ?? Number.NaN)) {
      if (at.callFrame.functionName !== '(root)') frames.push(frame(at));
    }
    stacks.push({ frames: frames.reverse(), count });
  }
  return { stacks, idleSamples, sampleMs };
}

/** Per-function self/total samples of a `.cpuprofile`, locations relative to `roots`. */
export function tallyCpuProfile(profile: CpuProfile, roots: readonly string[]): StackTally {
  const { stacks, sampleMs } = cpuProfileStacks(profile, roots);
  return tallyStacks(stacks, sampleMs);
}
