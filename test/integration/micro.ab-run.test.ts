import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandExists } from '../../bench/process/command.js';
import { pairFromMicroOutcomes } from '../../bench/results/gate-inputs.js';
import { runMicroSides, whereInstructionsWent } from '../../bench/run/run-micro.js';
import { parseAnyScenario } from '../../bench/scenario/load.js';
import type { MicroScenarioSpec } from '../../bench/scenario/micro-spec.js';
import { evaluateGate } from '../../ci/gate/evaluate.js';

const hasValgrind = commandExists('valgrind');

// Small enough that one valgrind run takes a few seconds; the counts' own margin (0.5%) as shipped.
const SCENARIO = `kind: micro
description: the loop, small
tasks:
  loop: { iterations: 20000 }
  metrics: { series: 2 }
timing: { trials: 2, seconds_per_trial: 0.02, warmup_seconds: 0.05 }
gate:
  micro.loop.instructions_per_op: "+0.5%"
  micro.metrics.instructions_per_op: "+0.5%"
  micro.loop.ns_per_op: "+50%"
`;

function scenario(text = SCENARIO): { spec: MicroScenarioSpec; hash: string } {
  const parsed = parseAnyScenario(text, 'micro-test.yaml');
  if (!parsed.ok || parsed.scenario.kind !== 'micro') throw new Error(JSON.stringify(parsed));
  return { spec: parsed.scenario.spec, hash: parsed.scenario.hash };
}

/**
 * A changed copy of this build: the loop runs 2% more iterations, so it executes ~2% more
 * instructions and returns another checksum — a slowdown and a changed answer at once.
 */
let changedRoot: string;
beforeAll(async () => {
  changedRoot = await mkdtemp(join(tmpdir(), 'metric-lab-micro-ab-'));
  await cp('dist', join(changedRoot, 'dist'), { recursive: true });
  await symlink(resolve('node_modules'), join(changedRoot, 'node_modules'));
  const file = join(changedRoot, 'dist', 'server', 'work', 'checksum.js');
  const source = await readFile(file, 'utf8');
  const patched = source.replace(
    'return simulateLoop(firstIndex, firstIndex + iterations);',
    'return simulateLoop(firstIndex, firstIndex + iterations + Math.floor(iterations / 50));',
  );
  expect(patched).not.toBe(source);
  await writeFile(file, patched);
});
afterAll(async () => {
  await rm(changedRoot, { recursive: true, force: true });
});

const quiet = { signal: new AbortController().signal, log: () => {} };
// This checkout's compiled children (the integration project builds dist/ first); tests run from the TS sources.
const thisBuild = resolve('.');

describe('a micro scenario, A/B in one run', () => {
  it.skipIf(!hasValgrind)(
    'catches 2% more loop work as an instruction-count regression and the changed checksum, and passes the unchanged task',
    async () => {
      const { spec, hash } = scenario();
      const [reference, current] = await runMicroSides(
        spec,
        hash,
        [
          { label: 'baseline', root: thisBuild },
          { label: 'current', root: changedRoot },
        ],
        quiet,
      );
      for (const o of [reference, current]) expect(o?.status, JSON.stringify(o && 'error' in o ? o.error : null)).toBe('ok');
      if (!reference || !current) return;
      expect(current.trials.map((t) => t.index)).toEqual([1, 2]);
      const { metrics, correctness, summary } = evaluateGate([pairFromMicroOutcomes(reference, current)], { alpha: 0.05 });
      const loop = metrics.find((m) => m.metric === 'micro.loop.instructions_per_op');
      expect(loop?.verdict).toBe('regression');
      expect(loop?.changePercent).toBeGreaterThan(1.5);
      expect(loop?.changePercent).toBeLessThan(2.5);
      expect(metrics.find((m) => m.metric === 'micro.metrics.instructions_per_op')?.verdict).toBe('pass');
      expect(correctness.find((c) => c.variant === 'loop')?.status).toBe('changed');
      expect(correctness.find((c) => c.variant === 'metrics')?.status).toBe('same');
      expect(summary.outcome).toBe('correctness-regression');
    },
    180_000,
  );

  it.skipIf(!hasValgrind)(
    "names where the instructions went: the hot loop by its function name, from V8's perf map",
    async () => {
      const { spec } = scenario();
      const [loop] = await whereInstructionsWent(spec, ['loop'], { label: 'current', root: changedRoot }, quiet);
      expect(loop?.instructionsPerOp).toBeGreaterThan(500_000);
      expect(loop?.top.length).toBeGreaterThan(0);
      expect(loop?.top[0]?.name).toContain('simulateLoop');
      expect(loop?.top[0]?.share).toBeGreaterThan(0.5);
    },
    120_000,
  );

  it('times the tasks and reports counts as skipped, with one reason, where valgrind is missing', async () => {
    const { spec, hash } = scenario();
    const [outcome] = await runMicroSides(spec, hash, [{ label: 'current', root: thisBuild }], { ...quiet, valgrindAvailable: false });
    expect(outcome?.status).toBe('ok');
    expect(outcome?.trials).toHaveLength(2);
    expect(outcome?.trials[0]?.metrics['micro.loop.ns_per_op']).toBeGreaterThan(0);
    expect(outcome?.answers.find((a) => a.task === 'loop')?.digest).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(outcome?.instructions.map((c) => c.status)).toEqual(['skipped', 'skipped']);
  }, 60_000);

  it('ends with one line, not a hang, when a side has no micro children (a build that predates them)', async () => {
    const { spec, hash } = scenario();
    const [outcome] = await runMicroSides(spec, hash, [{ label: 'old', root: tmpdir() }], quiet);
    expect(outcome?.status).toBe('errored');
    expect(outcome?.status === 'errored' ? outcome.error : '').toContain('this build predates micro scenarios');
  });
});
