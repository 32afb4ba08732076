import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseAnyScenario, parseScenario } from '../../bench/scenario/load.js';

const errors = (text: string) => {
  const result = parseAnyScenario(text, 'm.yaml');
  return result.ok ? [] : result.errors.map(formatScenarioError);
};
const micro = (body: string) => `kind: micro\ndescription: pure functions\n${body}`;

describe('micro scenario files (kind: micro)', () => {
  it('resolve to a spec: sizes from snake_case with defaults, the default gate per task', () => {
    const result = parseAnyScenario(
      micro('tasks:\n  loop: { iterations: 1000 }\n  response-encode: { item_bytes: 16 }\n  track:\n'),
      'scenarios/m.yaml',
    );
    if (!result.ok || result.scenario.kind !== 'micro') throw new Error(JSON.stringify(result));
    const { spec, hash } = result.scenario;
    expect(spec.name).toBe('m');
    expect(spec.tasks).toEqual([
      { task: 'loop', size: { iterations: 1000 }, warmupOps: 30, measuredOps: 10 },
      { task: 'response-encode', size: { items: 64, itemBytes: 16 }, warmupOps: 30, measuredOps: 10 },
      { task: 'track', size: { calls: 1000 }, warmupOps: 30, measuredOps: 10 },
    ]);
    expect(spec.timing).toEqual({ trials: 12, secondsPerTrial: 0.1, warmupSeconds: 0.3 });
    expect(spec.instructions).toEqual({ enabled: true, timeoutSeconds: 120 });
    expect(spec.gate.map((g) => `${g.metric} ${g.allowed.source}`)).toEqual([
      'micro.loop.instructions_per_op +1%',
      'micro.loop.ns_per_op +10%',
      'micro.response-encode.instructions_per_op +1%',
      'micro.response-encode.ns_per_op +10%',
      'micro.track.instructions_per_op +1%',
      'micro.track.ns_per_op +10%',
    ]);
    expect(hash).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('hash what they measure: a size changes the hash, a gate rule does not', () => {
    const hashOf = (text: string) => {
      const r = parseAnyScenario(text, 'm.yaml');
      return r.ok ? r.scenario.hash : null;
    };
    const base = hashOf(micro('tasks:\n  loop: { iterations: 1000 }\n'));
    expect(hashOf(micro('tasks:\n  loop: { iterations: 1001 }\n'))).not.toBe(base);
    expect(hashOf(micro('tasks:\n  loop: { iterations: 1000 }\ngate:\n  micro.loop.instructions_per_op: "+2%"\n'))).toBe(base);
  });

  it('name an unknown task, a bad size and an unknown size parameter at their lines', () => {
    expect(errors(micro('tasks:\n  lop: {}\n'))).toEqual([
      'm.yaml:4:8: tasks.lop: unknown task "lop": expected one of loop, payload-build, response-encode, track, metrics',
    ]);
    expect(errors(micro('tasks:\n  loop: { iterations: 0 }\n'))[0]).toMatch(/^m\.yaml:4:23: tasks\.loop\.iterations: .*>=\s*1/);
    expect(errors(micro('tasks:\n  payload-build: { items: 2, bytes: 3 }\n'))).toEqual([
      'm.yaml:4:37: tasks.payload-build.bytes: unknown size parameter; payload-build takes items, item_bytes',
    ]);
    expect(errors(micro('tasks: {}\n'))[0]).toContain('expected at least one task');
  });

  it('refuse load metrics, metrics of tasks they do not run, and allowances that are not relative increases', () => {
    const tasks = 'tasks:\n  loop: {}\n';
    expect(errors(micro(`${tasks}gate:\n  p95_ms: "+10%"\n`))[0]).toContain(
      'gate.p95_ms: p95_ms is a load-scenario metric; a micro scenario has micro.<task>.instructions_per_op or micro.<task>.ns_per_op',
    );
    expect(errors(micro(`${tasks}gate:\n  micro.track.ns_per_op: "+10%"\n`))[0]).toContain(
      'no task "track" in this scenario\'s tasks (loop)',
    );
    expect(errors(micro(`${tasks}gate:\n  micro.loop.ns_per_op: "-10%"\n`))[0]).toContain('expected an allowed regression like "+1%"');
    expect(errors(micro(`${tasks}thresholds:\n  micro.loop.instructions_per_op: "< 9.5e6"\n`))).toEqual([]);
    expect(errors(micro(`${tasks}timing: { trials: 0 }\n`))[0]).toContain('timing.trials');
    expect(errors(micro(`${tasks}timing: { trails: 3 }\n`))[0]).toContain(
      'unknown field "trails"; expected one of trials, seconds_per_trial, warmup_seconds',
    );
  });

  it('are kept apart from load scenarios: micro metrics in a load file, and a micro file where a load one is expected', () => {
    const load = 'description: t\nload: { rate_rps: 10 }\ngate:\n  micro.loop.instructions_per_op: "+1%"\n';
    const result = parseScenario(load, 's.yaml');
    expect(result.ok ? [] : result.errors.map(formatScenarioError)).toEqual([
      's.yaml:4:35: gate.micro.loop.instructions_per_op: micro.loop.instructions_per_op is a micro-benchmark metric: it belongs in a scenario of kind: micro',
    ]);
    const asLoad = parseScenario(micro('tasks:\n  loop: {}\n'), 'm.yaml');
    expect(asLoad.ok ? [] : asLoad.errors.map(formatScenarioError)).toEqual([
      'm.yaml:1:1: kind: expected a load scenario, got kind: micro',
    ]);
    expect(errors('kind: lod\ndescription: t\nload: { rate_rps: 1 }\n')[0]).toContain('kind: expected one of "load"');
  });
});
