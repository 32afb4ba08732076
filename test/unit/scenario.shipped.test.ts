import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../bench/scenario/json-schema.js';
import { loadSuite } from '../../bench/scenario/suite.js';

describe('the shipped scenarios', () => {
  it('include slow-db, hot-loop, large-payload, mixed and the micro-benchmarks, and all validate', async () => {
    const suite = await loadSuite('scenarios', []);
    expect(suite.ok ? [] : suite.errors).toEqual([]);
    if (!suite.ok) return;
    expect(suite.scenarios.map((s) => s.spec.name)).toEqual(['hot-loop', 'large-payload', 'mixed', 'slow-db']);
    const mixed = suite.scenarios.find((s) => s.spec.name === 'mixed');
    expect(mixed?.spec.requests.length).toBeGreaterThan(1);
    expect(suite.micro.map((s) => s.spec.name)).toEqual(['micro']);
    expect(suite.micro[0]?.spec.tasks.map((t) => t.task)).toEqual(['loop', 'payload-build', 'response-encode', 'track', 'metrics']);
  });

  it('fit the 2-minute budget of the default suite on paper (load time alone)', async () => {
    const suite = await loadSuite('scenarios', []);
    if (!suite.ok) throw new Error(suite.errors.join('\n'));
    const loadSeconds = suite.scenarios.reduce(
      (sum, { spec }) => sum + spec.load.warmupSeconds + spec.load.trials * spec.load.durationSeconds,
      0,
    );
    expect(loadSeconds).toBeLessThan(100);
  });

  it('publish an up-to-date JSON Schema (regenerate with npm run schema)', async () => {
    expect(await readFile('scenarios/scenario.schema.json', 'utf8')).toBe(scenarioJsonSchema());
  });

  it('reject unknown selections by name, listing the known ones', async () => {
    const suite = await loadSuite('scenarios', ['hot-loop', 'warm-loop']);
    expect(suite).toEqual({
      ok: false,
      errors: ['unknown scenario "warm-loop": expected one of hot-loop, large-payload, micro, mixed, slow-db or a path to a .yaml file'],
    });
  });
});
