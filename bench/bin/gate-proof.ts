/**
 * Does the gate work? Runs the real gate (`npm run bench -- --against BASE`) repeatedly on real
 * code changes and counts what it decides:
 *
 *   unchanged  the same commit on both sides: any regression is a false alarm
 *   slower     BASE + an exact slowdown (a BigInt self-check of a prefix of the loop, sized to
 *              cost `--slowdown` of the loop; every answer stays the same): should be caught
 *   wrong      BASE + a logic change in the loop (`i >> 3` for `i >> 2`): must fail on correctness
 *
 * It works in a throwaway clone (`git clone --shared`), so this checkout is untouched.
 *
 *   npm run bench:gate-proof -- [--runs 10] [--slowdown 0.12] [--scenario hot-loop] [--trials N]
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { BenchResults } from '../results/results.js';

const run = promisify(execFile);

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    slowdown: { type: 'string', default: '0.12' },
    scenario: { type: 'string', multiple: true },
    trials: { type: 'string' },
    out: { type: 'string', default: 'reports' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(
    'Usage: npm run bench:gate-proof -- [--runs 10] [--slowdown 0.12] [--scenario NAME]... [--trials N] [--out reports]\n\n' +
      'Runs the A/B gate on an unchanged tree, on an exact slowdown and on a logic change, in a throwaway\n' +
      'clone, and reports detection rate, false-alarm rate and wall time per gate run.\n',
  );
  process.exit(0);
}
const runs = Number(values.runs);
const slowdown = Number(values.slowdown);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) fail(`--runs: expected an integer in [1, 100], got ${JSON.stringify(values.runs)}`);
if (!(slowdown > 0 && slowdown <= 2)) fail(`--slowdown: expected a fraction in (0, 2], got ${JSON.stringify(values.slowdown)}`);

const repoRoot = process.cwd();
const workDir = await mkdtemp(join(tmpdir(), 'metric-lab-gate-proof-'));
const clone = join(workDir, 'repo');
const outDir = resolve(values.out);

interface GateRun {
  variant: 'unchanged' | 'slower' | 'wrong';
  exitCode: number | null;
  wallSeconds: number;
  regressions: string[];
  correctnessFailures: string[];
  inconclusive: number;
  runId: string | null;
}

try {
  progress(`cloning into ${clone}`);
  await run('git', ['clone', '--quiet', '--shared', repoRoot, clone]);
  await symlink(resolve(repoRoot, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const base = (await git('rev-parse', 'HEAD')).trim();
  const checksumFile = join(clone, 'server/work/checksum.ts');
  const original = await readFile(checksumFile, 'utf8');

  const slower = await commitPatched(
    original,
    'return simulateLoop(firstIndex, firstIndex + iterations);',
    // A "self-check" of a prefix with the BigInt loop (~27x the fast loop's cost per iteration),
    // sized to cost `slowdown` of the loop. BigInt arithmetic is not JIT-compiled, so the cost is
    // steady; extra *fast*-loop work was not (V8 shrank or reshaped it: +8% to +60%, per process).
    `const checked = Math.round((iterations * ${slowdown}) / 27);\n` +
      '  if (simulateLoopBigInt(checked, firstIndex) !== simulateLoop(firstIndex, firstIndex + checked)) throw new Error("loop self-check failed");\n' +
      '  return simulateLoop(firstIndex, firstIndex + iterations);',
    `gate-proof: exact slowdown (+${Math.round(slowdown * 100)}% loop work)`,
  );
  const wrong = await commitPatched(
    original,
    'sumLow += (low ^ (i >>> 2)) >>> 0;',
    'sumLow += (low ^ (i >>> 3)) >>> 0;',
    'gate-proof: logic change in the loop',
  );

  const results: GateRun[] = [];
  for (let i = 1; i <= runs; i++) {
    results.push(await gateRun('unchanged', base, base, `${i}/${runs}`));
    results.push(await gateRun('slower', slower, base, `${i}/${runs}`));
  }
  results.push(await gateRun('wrong', wrong, base, '1/1'));

  const summary = summarise(results);
  const report = {
    base,
    slowdown,
    scenarios: values.scenario ?? 'default suite',
    trials: values.trials ?? 'scenario default',
    runs: results,
    summary,
  };
  const path = join(outDir, `gate-proof-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${formatSummary(summary)}\nraw results: ${path}\n`);
} finally {
  await rm(workDir, { recursive: true, force: true });
}

async function git(...args: string[]): Promise<string> {
  return (await run('git', args, { cwd: clone })).stdout;
}

async function commitPatched(source: string, find: string, replace: string, message: string): Promise<string> {
  if (!source.includes(find)) fail(`cannot apply the ${message} patch: server/work/checksum.ts no longer contains ${JSON.stringify(find)}`);
  await git('checkout', '--quiet', '--detach', 'HEAD');
  const base = (await git('rev-parse', 'HEAD')).trim();
  await writeFile(join(clone, 'server/work/checksum.ts'), source.replace(find, replace));
  await git('-c', 'user.name=gate-proof', '-c', 'user.email=gate-proof@localhost', 'commit', '--quiet', '-am', message);
  const commit = (await git('rev-parse', 'HEAD')).trim();
  await git('checkout', '--quiet', base);
  return commit;
}

/** Checks out `current`, builds it, and gates it against `base` with the real CLI. */
async function gateRun(variant: GateRun['variant'], current: string, base: string, label: string): Promise<GateRun> {
  await git('checkout', '--quiet', '--detach', current);
  await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: clone });
  const args = ['dist/bench/bin/bench.js', '--against', base, '--out', outDir, '--no-regression-profile'];
  for (const scenario of values.scenario ?? []) args.push('--scenario', scenario);
  if (values.trials) args.push('--trials', values.trials);
  const started = performance.now();
  const code = await runCli(args);
  const wallSeconds = (performance.now() - started) / 1000;
  const runId = await readlink(join(outDir, 'latest')).catch(() => null);
  let regressions: string[] = [];
  let correctnessFailures: string[] = [];
  let inconclusive = 0;
  if (runId) {
    const results = JSON.parse(await readFile(join(outDir, runId, 'results.json'), 'utf8')) as BenchResults;
    regressions = results.gate?.metrics.filter((m) => m.verdict === 'regression').map((m) => `${m.scenario} ${m.metric}`) ?? [];
    correctnessFailures = results.gate?.correctness.filter((c) => c.status === 'changed').map((c) => `${c.scenario}/${c.variant}`) ?? [];
    inconclusive = results.gate?.metrics.filter((m) => m.verdict === 'inconclusive').length ?? 0;
  }
  progress(
    `${variant} ${label}: exit ${code} in ${wallSeconds.toFixed(0)} s${regressions.length ? `; regressions: ${regressions.join(', ')}` : ''}`,
  );
  return { variant, exitCode: code, wallSeconds, regressions, correctnessFailures, inconclusive, runId };
}

function runCli(args: string[]): Promise<number | null> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: clone, stdio: 'ignore' });
    child.once('close', (code) => resolvePromise(code));
  });
}

interface VariantSummary {
  runs: number;
  /** exit 1 (unchanged: false alarm; slower: detected) */
  performanceFailures: number;
  correctnessFailures: number;
  untrusted: number;
  meanWallSeconds: number;
  maxWallSeconds: number;
  flaggedMetrics: Record<string, number>;
}

function summarise(results: readonly GateRun[]): Record<string, VariantSummary> {
  const out: Record<string, VariantSummary> = {};
  for (const variant of ['unchanged', 'slower', 'wrong'] as const) {
    const rows = results.filter((r) => r.variant === variant);
    const flagged: Record<string, number> = {};
    for (const r of rows) for (const m of r.regressions) flagged[m] = (flagged[m] ?? 0) + 1;
    out[variant] = {
      runs: rows.length,
      performanceFailures: rows.filter((r) => r.exitCode === 1).length,
      correctnessFailures: rows.filter((r) => r.exitCode === 4).length,
      untrusted: rows.filter((r) => r.exitCode === 3).length,
      meanWallSeconds: rows.reduce((s, r) => s + r.wallSeconds, 0) / Math.max(1, rows.length),
      maxWallSeconds: Math.max(0, ...rows.map((r) => r.wallSeconds)),
      flaggedMetrics: flagged,
    };
  }
  return out;
}

function formatSummary(summary: Record<string, VariantSummary>): string {
  const lines = ['variant    runs  exit 1 (perf)  exit 4 (answers)  exit 3 (untrusted)  mean wall  max wall  metrics flagged'];
  for (const [variant, s] of Object.entries(summary)) {
    const flagged =
      Object.entries(s.flaggedMetrics)
        .map(([m, n]) => `${m} x${n}`)
        .join(', ') || '-';
    lines.push(
      `${variant.padEnd(10)} ${String(s.runs).padStart(4)}  ${String(s.performanceFailures).padStart(13)}  ${String(s.correctnessFailures).padStart(16)}  ${String(s.untrusted).padStart(18)}  ${s.meanWallSeconds.toFixed(0).padStart(7)} s  ${s.maxWallSeconds.toFixed(0).padStart(6)} s  ${flagged}`,
    );
  }
  return lines.join('\n');
}

function progress(line: string): void {
  process.stderr.write(`gate-proof: ${line}\n`);
}

function fail(message: string): never {
  process.stderr.write(`gate-proof: ${message}\n`);
  process.exit(2);
}
