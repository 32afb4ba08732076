import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureDuringLoad, startLabWithPprof, type LabWithPprof } from '../support/diagnostics-fixtures.js';

// `.ci/run` installs Debian's golang-go; elsewhere this reports skipped, not passed.
const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;

describe('go tool pprof reads the lab profiles', () => {
  let lab: LabWithPprof;
  const dir = mkdtempSync(join(tmpdir(), 'metric-lab-pprof-'));
  beforeAll(async () => {
    if (hasGo) lab = await startLabWithPprof();
  });
  afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasGo)('`go tool pprof -top` on a CPU profile taken under load lists simulateLoop with its file', async () => {
    const { response } = await captureDuringLoad(lab, '/debug/pprof/profile?seconds=1.5', { durationMs: 1_400, maxRequests: 2_000 });
    expect(response.status).toBe(200);
    const file = join(dir, 'cpu.pb.gz');
    writeFileSync(file, new Uint8Array(await response.arrayBuffer()));

    const top = execFileSync('go', ['tool', 'pprof', '-top', file], { encoding: 'utf8', env: { ...process.env, PPROF_TMPDIR: dir } });
    expect(top).toContain('Type: cpu');
    const topRows = top
      .split('\n')
      .filter((line) => /^\s*[\d.]+m?s\s/.test(line))
      .slice(0, 5);
    expect(topRows.some((row) => row.trim().endsWith(' simulateLoop'))).toBe(true);

    const lines = execFileSync('go', ['tool', 'pprof', '-top', '-lines', file], {
      encoding: 'utf8',
      env: { ...process.env, PPROF_TMPDIR: dir },
    });
    expect(lines).toMatch(/simulateLoop \S*checksum\.js:\d+/);
  });

  it.skipIf(!hasGo)('`go tool pprof -top` reads a heap profile as inuse_space', async () => {
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/heap?seconds=0.5`);
    const file = join(dir, 'heap.pb.gz');
    writeFileSync(file, new Uint8Array(await response.arrayBuffer()));
    const top = execFileSync('go', ['tool', 'pprof', '-top', file], { encoding: 'utf8', env: { ...process.env, PPROF_TMPDIR: dir } });
    expect(top).toContain('Type: inuse_space');
  });
});
