import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario } from '../../bench/scenario/load.js';

const messages = (text: string) => {
  const result = parseScenario(text, 'scenarios/x.yaml');
  return result.ok ? [] : result.errors.map(formatScenarioError);
};

const TARGET = `description: my service
target:
  build: [npm, run, build]
  command: [node, dist/server.js, --port, '{port}']
  metrics_path: /metrics
requests:
  - name: home
    path: /
load: { rate_rps: 10 }
`;

describe('a scenario target: block', () => {
  it('resolves with defaults: cwd ".", readiness on the metrics endpoint, SIGTERM with 5 s grace, the lab family names', () => {
    const result = parseScenario(TARGET, 'scenarios/x.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec.target).toEqual({
      kind: 'command',
      build: ['npm', 'run', 'build'],
      command: ['node', 'dist/server.js', '--port', '{port}'],
      cwd: '.',
      env: {},
      ready: { kind: 'http', path: '/metrics', timeoutSeconds: 30 },
      stop: { signal: 'SIGTERM', graceSeconds: 5 },
      metrics: {
        path: '/metrics',
        requests: { histogram: 'http_request_duration_seconds', labels: {} },
        sections: { histogram: 'section_duration_seconds', label: 'section' },
        cpuCounter: 'process_cpu_seconds_total',
      },
    });
    // A service gets no lab flags.
    expect(result.spec.serverArgs).toEqual([]);
    // A target's requests are answered by their status and the whole body's digest unless they say otherwise.
    expect(result.spec.requests).toEqual([
      { name: 'home', weight: 1, path: '/', answer: { status: true, digest: 'whole', pointers: [], ignore: [] } },
    ]);
  });

  it('waits for the port when there is neither readiness nor metrics, and names families and labels when asked', () => {
    const port = parseScenario(TARGET.replace('  metrics_path: /metrics\n', ''), 'x.yaml');
    expect(port.ok && port.spec.target).toMatchObject({ ready: { kind: 'port' }, metrics: null });
    const named = parseScenario(
      TARGET.replace(
        '  metrics_path: /metrics\n',
        "  metrics_path: /prom\n  ready: { log: 'listening', timeout_seconds: 5 }\n  metrics:\n    requests: { histogram: http_server_seconds, labels: { route: /work } }\n    sections: { label: phase }\n    cpu_counter: cpu_seconds_total\n",
      ),
      'x.yaml',
    );
    expect(named.ok && named.spec.target).toMatchObject({
      ready: { kind: 'log', pattern: 'listening', timeoutSeconds: 5 },
      metrics: {
        path: '/prom',
        requests: { histogram: 'http_server_seconds', labels: { route: '/work' } },
        sections: { histogram: 'section_duration_seconds', label: 'phase' },
        cpuCounter: 'cpu_seconds_total',
      },
    });
  });

  it('changes the scenario hash, while a scenario without one keeps its hash', () => {
    const lab = parseScenario('description: d\nrequests:\n  - name: w\nload: { rate_rps: 10 }\n', 'x.yaml');
    const labExplicit = parseScenario('description: d\nrequests:\n  - name: w\n    path: /api/work\nload: { rate_rps: 10 }\n', 'x.yaml');
    const target = parseScenario(TARGET, 'x.yaml');
    expect(lab.ok && labExplicit.ok && lab.hash === labExplicit.hash).toBe(true);
    expect(target.ok && lab.ok && target.hash !== lab.hash).toBe(true);
  });

  it.each([
    ['lab knobs', TARGET.replace('requests:', 'server: { loop_iterations: 5 }\nrequests:'), "server: sets the built-in lab's knobs"],
    ['no requests', TARGET.replace(/requests:\n.*\n.*\n/, ''), 'requests: a target: needs requests: (what to send it, each with a path)'],
    ['a request without a path', TARGET.replace('    path: /\n', ''), 'requests[0].path: is required for a target: (a path like "/")'],
    [
      'families without an endpoint',
      TARGET.replace('  metrics_path: /metrics\n', '  metrics: { cpu_counter: x }\n'),
      'set metrics_path too',
    ],
    [
      'a bad readiness pattern',
      TARGET.replace('  metrics_path', "  ready: { log: '(' }\n  metrics_path"),
      'target.ready.log: not a regular expression',
    ],
    ['an empty command', TARGET.replace("[node, dist/server.js, --port, '{port}']", '[]'), 'target.command: expected at least 1 entries'],
    [
      'a signal it cannot send',
      TARGET.replace('  metrics_path', '  stop: { signal: SIGSTOP }\n  metrics_path'),
      'target.stop.signal: expected one of',
    ],
  ])('refuses %s in one located line', (_, text, expected) => {
    const found = messages(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^scenarios\/x\.yaml:\d+:\d+: /);
    expect(found[0]).toContain(expected);
  });
});
