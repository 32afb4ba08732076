import { describe, expect, it } from 'vitest';
import { runBench } from '../support/bench-cli.js';

describe('--profile', () => {
  it('names the accepted profilers on a bad value, exit 2, before anything runs', async () => {
    const run = runBench(['--profile', 'perf']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toBe('bench: --profile: expected one of 0x, clinic-flame, clinic-doctor, cpuprofile, got "perf" (see --help)\n');
  });

  it('is documented in --help', async () => {
    const run = runBench(['--help']);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/--profile KIND {8}profile each selected scenario's lab/);
  });
});
