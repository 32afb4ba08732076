/**
 * The profiler worker: a child process of the bench that hosts 0x or clinic (both CommonJS,
 * both with process-wide side effects) for one job, then exits. See worker-protocol.ts.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { hottestFunctions, tallyStacks } from './stack-tally.js';
import type { HotFunction } from './types.js';
import { isToWorker, type CollectJob, type FromWorker, type VisualizeJob } from './worker-protocol.js';
import { zeroXStacks, type ZeroXNode } from './zero-x-tree.js';

const require = createRequire(import.meta.url);
const HOTTEST_LIMIT = 10;

interface ZeroXOptions {
  argv?: string[];
  workingDir: string;
  outputDir?: string;
  outputHtml: string;
  title: string;
  treeDebug?: boolean;
  quiet?: boolean;
  visualizeCpuProfile?: string;
  onPort?: (port: Buffer | string, done: (error?: Error) => void) => void;
}
type ClinicCallback<T> = (error: Error | null, value: T) => void;
interface ClinicTool {
  on(event: 'port', listener: (port: number, proc: unknown, done: () => void) => void): void;
  collect(args: string[], callback: ClinicCallback<string>): void;
  visualize(dataDir: string, outputHtml: string, callback: (error?: Error | null) => void): void;
}
type ClinicConstructor = new (settings: { detectPort: boolean; dest: string; name: string }) => ClinicTool;

let stopRequested: () => void = () => {};
/** Whether the lab ever listened: clinic doctor "succeeds" on a lab that died at start-up. */
let listened = false;
const stopped = new Promise<void>((resolve) => (stopRequested = resolve));

/** Set before the worker closes its own IPC channel, so that is not taken for the bench dying. */
let leaving = false;

// The bench died without stopping this worker (kill -9 skips its exit hook): the IPC channel
// closes. Take down the process group this worker leads (it is started detached), and with it the
// lab running under 0x or clinic, which would otherwise keep the worker, and itself, alive.
process.once('disconnect', () => {
  if (leaving) return;
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(1); // not a group leader: at least this process goes
  }
});

function send(message: FromWorker): void {
  if (message.type === 'port') listened = true;
  process.send?.(message);
}

process.on('message', (message: unknown) => {
  if (!isToWorker(message)) return;
  if (message.type === 'stop') {
    stopRequested();
    return;
  }
  const { job } = message;
  const work = job.kind === 'visualize-cpuprofile' ? visualize(job) : collect(job);
  work
    .then(
      (done) => send({ type: 'done', ...done }),
      (error: unknown) => send({ type: 'failed', error: error instanceof Error ? error.message.trim() : String(error) }),
    )
    .finally(() => {
      leaving = true;
      process.disconnect?.();
    });
});

async function visualize(job: VisualizeJob): Promise<{ files: string[]; hottest: HotFunction[] }> {
  const zeroEks = require('0x') as (options: ZeroXOptions) => Promise<string>;
  await zeroEks({
    visualizeCpuProfile: job.profilePath,
    workingDir: dirname(job.profilePath),
    outputHtml: job.htmlPath,
    title: job.title,
    quiet: true,
  });
  return { files: [job.htmlPath], hottest: [] };
}

async function collect(job: CollectJob): Promise<{ files: string[]; hottest: HotFunction[] }> {
  const dataDir = join(job.outDir, `${job.kind}-data`);
  const htmlPath = join(job.outDir, `${job.kind === '0x' ? '0x-flamegraph' : job.kind}.html`);
  try {
    if (job.kind === '0x') {
      const zeroEks = require('0x') as (options: ZeroXOptions) => Promise<string>;
      await zeroEks({
        argv: [...job.nodeFlags, job.script, ...job.labArgs],
        workingDir: job.outDir,
        outputDir: dataDir,
        outputHtml: htmlPath,
        title: job.title,
        // Writes the call tree beside the log, so the hottest frames can be read without a browser.
        treeDebug: true,
        quiet: true,
        onPort: (port, done) => {
          send({ type: 'port', port: Number(String(port).trim()) });
          void stopped.then(() => done());
        },
      });
      return { files: [htmlPath], hottest: await hottestFromTree(dataDir, job.labRoot) };
    }
    const Tool = require(job.kind === 'clinic-flame' ? '@clinic/flame' : '@clinic/doctor') as ClinicConstructor;
    const tool = new Tool({ detectPort: true, dest: dataDir, name: 'lab' });
    tool.on('port', (port, _proc, done) => {
      send({ type: 'port', port });
      void stopped.then(() => done());
    });
    const collected = await new Promise<string>((resolve, reject) =>
      tool.collect([process.execPath, ...job.nodeFlags, job.script, ...job.labArgs], (error, dir) =>
        error ? reject(error) : resolve(dir),
      ),
    );
    if (!listened) throw new Error('the lab exited before it started listening');
    await new Promise<void>((resolve, reject) => tool.visualize(collected, htmlPath, (error) => (error ? reject(error) : resolve())));
    return { files: [htmlPath], hottest: [] };
  } finally {
    // Raw logs run to tens of MB; the HTML holds what a reader needs.
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function hottestFromTree(dataDir: string, labRoot: string): Promise<HotFunction[]> {
  const name = (await readdir(dataDir)).find((file) => /^stacks\.\d+\.json$/.test(file));
  if (!name) return [];
  const tree = JSON.parse(await readFile(join(dataDir, name), 'utf8')) as { merged: ZeroXNode };
  // 0x's tree has no sampling interval; shares are what matter here.
  return hottestFunctions(tallyStacks(zeroXStacks(tree.merged, [labRoot]), 0), HOTTEST_LIMIT);
}
