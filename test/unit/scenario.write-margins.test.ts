import { describe, expect, it } from 'vitest';
import { withMargins } from '../../bench/scenario/margins-file.js';

const FILE = `# yaml-language-server: $schema=./scenario.schema.json
description: A long description that a YAML round trip would fold at eighty characters, which a reviewer would then see.
load:
  rate_rps: 50
  trials_per_lab: 3        # fresh lab processes every 3 trials
gate:
  p95_ms: "+10%"
  server_cpu_ms_per_request: '+10%'   # an old reason
  error_ratio: "+0.01"
`;

describe('writing calibrated margins into a scenario file', () => {
  it('changes only the margins and their comments', () => {
    const edit = withMargins(FILE, [
      { metric: 'p95_ms', margin: '+6%', reason: 'calibrated: noise 2.1%' },
      { metric: 'server_cpu_ms_per_request', margin: '+1.5%', reason: 'calibrated: noise 0.4%' },
    ]);
    expect(edit).toEqual({
      ok: true,
      changed: ['p95_ms', 'server_cpu_ms_per_request'],
      text: FILE.replace('p95_ms: "+10%"', 'p95_ms: "+6%"  # calibrated: noise 2.1%').replace(
        `server_cpu_ms_per_request: '+10%'   # an old reason`,
        'server_cpu_ms_per_request: "+1.5%"  # calibrated: noise 0.4%',
      ),
    });
  });

  it('reports an unchanged margin as unchanged, but still refreshes its reason', () => {
    const edit = withMargins(FILE, [{ metric: 'p95_ms', margin: '+10%', reason: 'still right' }]);
    expect(edit.ok && edit.changed).toEqual([]);
    expect(edit.ok && edit.text).toContain('p95_ms: "+10%"  # still right\n');
  });

  it('refuses, with the field named, what it cannot edit line by line', () => {
    expect(withMargins(FILE, [{ metric: 'p99_ms', margin: '+5%', reason: '' }])).toEqual({
      ok: false,
      reason: 'gate.p99_ms: expected a margin such as "+10%" in the file',
    });
    expect(withMargins('gate: { p95_ms: "+10%", p99_ms: "+20%" }\n', [{ metric: 'p95_ms', margin: '+5%', reason: 'r' }])).toEqual({
      ok: false,
      reason: 'gate.p95_ms: margins are written into a block-style gate: section (one metric per line)',
    });
    expect(withMargins('load:\n  rate_rps: 5\n', [{ metric: 'p95_ms', margin: '+5%', reason: 'r' }])).toEqual({
      ok: false,
      reason: 'no gate: block to write margins into',
    });
  });
});
