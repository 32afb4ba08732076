import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_PINNING } from '../../bench/process/cpu-affinity.js';
import { runProfilingStage } from '../../bench/profile/stage.js';
import type { ProfileKind } from '../../bench/profile/types.js';
import { parseScenario } from '../../bench/scenario/load.js';

describe('a profiler that fails', () => {
  it.each<ProfileKind>(['cpuprofile', 'clinic-doctor'])(
    "%s: becomes a failed run and a warning with the lab's last words, not a crash",
    async (kind) => {
      const parsed = parseScenario(
        'description: a lab that cannot start\nload: { rate_rps: 10, warmup_seconds: 0, duration_seconds: 1, trials: 1 }\n',
        'broken.yaml',
      );
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const spec = parsed.spec;
      // A flag the lab rejects: it exits at start-up, under the profiler.
      const broken = { ...spec, serverArgs: ['--no-such-flag', '1'] };
      const report = await runProfilingStage({
        requested: kind,
        scenarios: [broken],
        gate: null,
        baselineFor: () => ({ kind: 'none', reason: 'no gate' }),
        current: { root: process.cwd(), commit: null, dirty: null },
        context: {
          runDir: await mkdtemp(join(tmpdir(), 'metric-lab-profile-')),
          cpuPlan: NO_PINNING,
          signal: new AbortController().signal,
          log: () => {},
        },
      });
      expect(report?.runs).toEqual([expect.objectContaining({ scenario: broken.name, profiler: kind, status: 'failed', files: [] })]);
      expect(report?.warnings).toEqual([
        expect.stringMatching(new RegExp(`^${broken.name}: ${kind} failed: .*Unknown option '--no-such-flag'`, 's')),
      ]);
    },
    30_000,
  );
});
