import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  buildArtilleryScript,
  mapThreshold,
  phaseDuration,
  renderArtilleryYaml,
  type ExportOptions,
} from '../../bench/artillery/script.js';
import { loadScenarioFile, parseScenario } from '../../bench/scenario/load.js';
import type { ScenarioSpec } from '../../bench/scenario/spec.js';
import { loopChecksum } from '../../server/work/checksum.js';
import { buildPayload, payloadDigest } from '../../server/work/payload.js';

const LOCAL: ExportOptions = { targetUrl: null, trials: null, count: 1 };

async function shipped(name: string): Promise<ScenarioSpec> {
  const loaded = await loadScenarioFile(`scenarios/${name}.yaml`);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.spec;
}

function exported(spec: ScenarioSpec, options: ExportOptions = LOCAL) {
  const result = buildArtilleryScript(spec, options);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('a scenario exported as an Artillery script', () => {
  it('keeps the rate as a warm-up then one measured phase of trials + 1 periods, and the pool and timeout', async () => {
    const spec = await shipped('mixed');
    const { script } = exported(spec);
    expect(script.config.target).toBe('http://127.0.0.1:8080');
    expect(script.config.phases).toEqual([
      { name: 'warm-up', duration: '500ms', arrivalRate: 120 },
      { name: 'measured', duration: 130, arrivalRate: 120 },
    ]);
    expect(script.config.http).toEqual({ pool: 64, timeout: 10 });
    expect(exported(spec, { ...LOCAL, trials: 2, targetUrl: 'https://staging.example' }).script.config).toMatchObject({
      target: 'https://staging.example',
      phases: [{ name: 'warm-up' }, { name: 'measured', duration: 30 }],
    });
    // N copies (run-fargate --count N) send the scenario's rate together.
    expect(exported(spec, { ...LOCAL, count: 4 }).script.config.phases.map((p) => p.arrivalRate)).toEqual([30, 30]);
    expect(phaseDuration(2)).toBe(2);
    expect(phaseDuration(0.25)).toBe('250ms');
  });

  it('writes the weighted mix with exact answer checks computed by the lab’s own functions', async () => {
    const spec = await shipped('mixed');
    const { script } = exported(spec);
    expect(script.scenarios.map((s) => [s.name, s.weight, s.flow[0]?.get.url])).toEqual([
      ['browse', 6, '/api/work'],
      ['search', 2, '/api/work?db_min_ms=50&db_max_ms=200'],
      ['report', 1, '/api/work?loop_iterations=3000000'],
      ['export', 1, '/api/work?payload_items=64&payload_item_bytes=4096'],
    ]);
    const report = script.scenarios[2]?.flow[0]?.get;
    expect(report?.expect).toEqual([{ statusCode: 200 }, { equals: ['{{ loop_checksum }}', loopChecksum(3_000_000).toString()] }]);
    expect(report?.capture?.[0]?.regexp).toBe('"loop_checksum":([0-9]+)');
    const exportRequest = script.scenarios[3]?.flow[0]?.get;
    expect(exportRequest?.expect[2]).toEqual({
      equals: ['{{ payload_digest }}', payloadDigest(JSON.stringify(buildPayload(64, 4096)))],
    });
    // Regexp captures on the raw body: the checksum exceeds 2^53 and survives as digits.
    expect(new RegExp(report?.capture?.[0]?.regexp ?? '').exec('{"loop_checksum":8999995503461246240,"x":1}')?.[1]).toBe(
      '8999995503461246240',
    );
  });

  it('maps client thresholds onto ensure and lists the rest, one line each', async () => {
    const spec = await shipped('hot-loop');
    const result = exported(spec);
    expect(result.script.config.ensure).toEqual({
      maxErrorRate: 1,
      conditions: [{ expression: 'http.response_time.p95 < 50', strict: true }],
    });
    expect(result.unmapped).toEqual([
      "load.duration_seconds 2: a trial becomes one of Artillery's 10 s report periods (12 periods measured)",
      'load.trials_per_lab 3: one target serves every period (no fresh lab processes)',
      'load.duet_seconds 0.5: the duet needs two labs side by side',
      'load.seed 1: Artillery picks request variants at random, not from a seeded sequence',
      'thresholds.section.loop.p95_ms "< 25": a server-side metric: Artillery sees only the client (the lab\'s /metrics are not scraped)',
      'gate.p95_ms "+27%": gate rules compare two runs; import the report (--import artillery) to gate it',
      'gate.duet.section.loop.mean_ms "+2.5%": gate rules compare two runs; import the report (--import artillery) to gate it',
      'gate.duet.cpu_ms_per_request "+2.5%": gate rules compare two runs; import the report (--import artillery) to gate it',
      'gate.error_ratio "+0.01": gate rules compare two runs; import the report (--import artillery) to gate it',
    ]);
    const rule = (metric: string, source: string) => {
      const [operator, value] = source.split(' ');
      return mapThreshold({ metric, expression: { operator: operator as '<', value: Number(value), source } });
    };
    expect(rule('max_ms', '<= 900')).toEqual({ kind: 'condition', expression: 'http.response_time.max <= 900' });
    expect(rule('p999_ms', '< 900').kind).toBe('unmapped');
    expect(rule('error_ratio', '> 0.5').kind).toBe('unmapped');
    expect(rule('duet.cpu_ms_per_request', '< 5')).toEqual({ kind: 'unmapped', reason: 'duet metrics need two labs side by side' });
  });

  it('prints the lab command matching the scenario’s server knobs in the header', async () => {
    const spec = await shipped('slow-db');
    const result = exported(spec);
    const yaml = renderArtilleryYaml(spec, result, LOCAL);
    expect(result.labCommand).toBe(`npm start -- --host 127.0.0.1 --port 8080 ${spec.serverArgs.join(' ')}`);
    expect(yaml).toContain(`#   start the lab it measures: ${result.labCommand}`);
    expect(yaml).toContain('npm run bench -- --import artillery report.json --scenario slow-db');
    // The YAML parses back to the same script.
    expect(parse(yaml)).toEqual(JSON.parse(JSON.stringify(result.script)));
    expect(renderArtilleryYaml(spec, result, { ...LOCAL, targetUrl: 'http://127.0.0.1:9' })).not.toContain('start the lab');
  });

  it('refuses the closed model, and writes huge weights as percentages', async () => {
    const closed = parseScenario(
      'description: closed\nload: { model: closed, connections: 4, duration_seconds: 1, trials: 1 }\n',
      'closed.yaml',
    );
    if (!closed.ok) throw new Error('closed scenario did not parse');
    expect(buildArtilleryScript(closed.spec, LOCAL)).toEqual({
      ok: false,
      message: 'closed: the closed model (fixed connections) has no Artillery equivalent: Artillery drives arrival rates (the open model)',
    });
    const heavy = parseScenario(
      'description: weights\nrequests: [{ name: a, weight: 999999 }, { name: b, weight: 1 }]\nload: { rate_rps: 10 }\n',
      'weights.yaml',
    );
    if (!heavy.ok) throw new Error('weights scenario did not parse');
    expect(exported(heavy.spec).script.scenarios.map((s) => s.weight)).toEqual([100, 0.01]);
  });
});
