import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../support/bench-cli.js';

/** A stand-in for the bench: starts a 0x profiling job the way the bench does, then waits forever. */
const PARENT = `
import { runProfilerJob } from ${JSON.stringify(pathToFileURL(resolve('dist/bench/profile/profiler-process.js')).href)};
const [outDir, script] = process.argv.slice(1);
void runProfilerJob(
  {
    kind: '0x', nodeFlags: [], script, outDir, labRoot: process.cwd(), title: 'orphan test',
    labArgs: ['--host', '127.0.0.1', '--port', '0', '--pprof-port', 'off', '--log-level', 'warn'],
  },
  { drive: (port) => { console.log(JSON.stringify({ port })); return new Promise(() => {}); }, deadlineMs: 120_000 },
);
`;

/** Processes of one process group (the profiler worker leads its own), from Linux `ps`. */
function processGroup(pgid: number): Array<{ pid: number; command: string }> {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return out.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return match && Number(match[2]) === pgid ? [{ pid: Number(match[1]), command: match[3] ?? '' }] : [];
  });
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}

let leftovers: number[] = [];
let outDir: string | null = null;
afterEach(async () => {
  for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  leftovers = [];
  if (outDir) await rm(outDir, { recursive: true, force: true });
  outDir = null;
});

describe('kill -9 of a bench that is profiling', () => {
  it('takes the profiler worker and the lab under 0x down with it', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'metric-lab-profile-orphan-'));
    const parent = spawn(process.execPath, ['--input-type=module', '-e', PARENT, outDir, resolve('dist/server/main.js')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error('the lab under 0x did not listen within 40 s')), 40_000);
      createInterface({ input: parent.stdout }).on('line', (line) => {
        const found = /^\{"port":(\d+)\}$/.exec(line)?.[1];
        if (found === undefined) return;
        clearTimeout(timer);
        resolvePort(Number(found));
      });
    });
    const [workerPid] = childPids(parent.pid ?? -1);
    if (workerPid === undefined) throw new Error('no profiler worker under the parent');
    const group = processGroup(workerPid);
    leftovers = group.map((p) => p.pid);
    expect(group.some((p) => p.command.includes('server/main.js'))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    parent.kill('SIGKILL');
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline && group.some((p) => isAlive(p.pid))) await new Promise((r) => setTimeout(r, 100));
    // Before the fix the worker, orphaned with its IPC channel closed, kept 0x and the lab running.
    expect(group.filter((p) => isAlive(p.pid)).map((p) => p.command)).toEqual([]);
  }, 60_000);
});
