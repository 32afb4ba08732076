import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { prometheusVersion } from '../../bench/observability/prometheus-process.js';

const CLI = 'dist/bench/bin/lab-prometheus.js';
const hasPrometheus = prometheusVersion() !== null;

const run = (args: string[]) =>
  promisify(execFile)(process.execPath, [CLI, ...args], { timeout: 10_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

/** Starts the workflow, waits for its summary block, and returns what it printed. */
async function startWorkflow(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--pprof-port', '0', '--log-level', 'warn', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines: string[] = [];
  const summary = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`no summary within 20 s; stderr: ${stderr}`));
    }, 20_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (!/^Ctrl\+C stops/.test(line)) return;
      clearTimeout(timer);
      // "  prometheus   http://127.0.0.1:9090  (…)" → { prometheus: 'http://127.0.0.1:9090' }
      const fields = lines.map((l) => /^ {2}(\w+) +(\S+)/.exec(l)).filter((m) => m !== null);
      resolve(Object.fromEntries(fields.map((m) => [m[1] ?? '', m[2] ?? ''])));
    });
    void exited.then((code) => reject(new Error(`exited ${code} before its summary; stderr: ${stderr}`)));
  });
  return { child, summary, exited, stderr: () => stderr };
}

/** Runs `body` against a started workflow; whatever happens, the workflow (and so its children) is stopped. */
async function withWorkflow(
  args: string[],
  env: NodeJS.ProcessEnv,
  body: (workflow: Awaited<ReturnType<typeof startWorkflow>>) => Promise<void>,
) {
  const workflow = await startWorkflow(args, env);
  try {
    await body(workflow);
  } finally {
    if (workflow.child.exitCode === null) {
      workflow.child.kill('SIGINT');
      await workflow.exited;
    }
  }
}

describe('npm run lab:prometheus', () => {
  it('--help prints usage and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const flag of ['--prometheus-port', '--data-dir', '--no-prometheus', 'Exit codes']) expect(stdout).toContain(flag);
  });

  it('a bad flag gets one line and exit code 2; so does a bad lab flag', async () => {
    const own = await run(['--prometheus-port', 'x']);
    expect(own.code).toBe(2);
    expect(own.stderr.trim().split('\n')).toEqual([
      'lab:prometheus: --prometheus-port: expected an integer in [0, 65535], got "x" (see --help)',
    ]);
    const lab = await run(['--no-prometheus', '--port', 'x']);
    expect(lab.code).toBe(2);
    expect(lab.stderr).toContain('metric-lab: --port: expected an integer in [0, 65535], got "x"');
  });

  it('without Prometheus on PATH, says so and starts the lab alone; Ctrl+C stops it, exit 0', async () => {
    const emptyPath = await mkdtemp(join(tmpdir(), 'no-prometheus-'));
    try {
      await withWorkflow([], { ...process.env, PATH: emptyPath }, async (workflow) => {
        expect(workflow.stderr()).toContain('prometheus is not installed');
        expect(workflow.summary.prometheus).toBe('not');
        expect((await fetch(`${new URL(workflow.summary.metrics!).origin}/healthz`)).status).toBe(200);
        workflow.child.kill('SIGINT');
        expect(await workflow.exited).toBe(0);
      });
    } finally {
      await rm(emptyPath, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasPrometheus)('starts the lab and a Prometheus that scrapes it; Ctrl+C stops both and removes the data', async () => {
    await withWorkflow(['--prometheus-port', '0'], process.env, async (workflow) => {
      const prometheusUrl = workflow.summary.prometheus!;
      const dataDir = workflow.summary.data!;
      expect(existsSync(dataDir)).toBe(true);
      // Service discovery hands targets to the scrape manager a moment after startup.
      let targets: Array<[string | undefined, string]> = [];
      for (
        const deadline = Date.now() + 10_000;
        targets.length === 0 && Date.now() < deadline;
        await new Promise((r) => setTimeout(r, 200))
      ) {
        const body = (await (await fetch(`${prometheusUrl}/api/v1/targets`)).json()) as {
          data: { activeTargets: Array<{ scrapeUrl: string; labels: Record<string, string> }> };
        };
        targets = body.data.activeTargets.map((t) => [t.labels.job, t.scrapeUrl]);
      }
      expect(targets).toEqual([['metric-lab', workflow.summary.metrics]]);
      const rules = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as { data: { groups: Array<{ name: string }> } };
      expect(rules.data.groups.map((g) => g.name).sort()).toEqual(['metric-lab-alerts', 'metric-lab-recording']);

      workflow.child.kill('SIGINT');
      expect(await workflow.exited).toBe(0);
      expect(existsSync(dataDir)).toBe(false);
      await expect(fetch(`${prometheusUrl}/-/ready`)).rejects.toThrow();
      await expect(fetch(workflow.summary.metrics!)).rejects.toThrow();
    });
  });
});
