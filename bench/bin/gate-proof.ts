#!/usr/bin/env node
/**
 * Does the gate work? Runs the real gate (`npm run bench -- --against BASE`) repeatedly on real
 * code changes and counts what it decides:
 *
 *   unchanged    the same commit on both sides: any regression is a false alarm, and every
 *                comparison should be decided (`pass`), not `inconclusive`
 *   loop +X%     the hot loop also runs a BigInt self-check of a prefix sized to cost X% of the
 *                loop (every answer stays the same; BigInt arithmetic is not JIT-compiled away)
 *   json +X%     the JSON encoding also encodes X% of the payload a second time and checks it
 *   wrong        a logic change in the loop (`i >> 3` for `i >> 2`): must fail on correctness
 *
 * It works in a throwaway clone (`git clone --shared`), so this checkout is untouched, and prints
 * a detection table per site, size and metric, the false alarms and the wall times.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { isEntryPoint, oneLine, parseWholeNumbers, runCli, type Parsed } from '../../lib/cli.js';
import { renderTable } from '../../lib/text-table.js';
import { readResults } from '../results/results.js';

const TOOL = 'gate-proof';
const run = promisify(execFile);

/** Where a slowdown is injected: the file, the line it is added before, and the code that costs `size` of the phase. */
const SITES = {
  loop: {
    file: 'server/work/checksum.ts',
    anchor: 'return simulateLoop(firstIndex, firstIndex + iterations);',
    phase: 'loop',
    // BigInt iterations cost ~27x fast-loop iterations (bench:micro), so this prefix costs `size` of the loop.
    code: (size: number) =>
      `const checked = Math.round((iterations * ${size}) / 27);\n` +
      '  if (simulateLoopBigInt(checked, firstIndex) !== simulateLoop(firstIndex, firstIndex + checked)) throw new Error("loop self-check failed");\n  ',
  },
  /**
   * The same loop over `size` more iterations, its result discarded (compared so it cannot be
   * compiled away): exactly `size` more of the loop's work, the answer unchanged. For the micro
   * scenario's instruction counts, where the BigInt self-check's cost ratio (timed) does not apply.
   */
  'loop-work': {
    file: 'server/work/checksum.ts',
    anchor: 'return simulateLoop(firstIndex, firstIndex + iterations);',
    phase: 'loop',
    code: (size: number) =>
      `if (simulateLoop(firstIndex, firstIndex + Math.round(iterations * ${size})) === -1n) throw new Error("unreachable");\n  `,
  },
  json: {
    file: 'server/work/response.ts',
    anchor: 'digest = payloadDigest(payloadJson);',
    phase: 'json_encode',
    code: (size: number) =>
      `const checkedItems = result.payload.slice(0, Math.ceil(result.payload.length * ${size}));\n` +
      '    if (JSON.stringify(checkedItems).length > payloadJson.length) throw new Error("encoding self-check failed");\n    ',
  },
} as const;
type SiteName = keyof typeof SITES;
const SITE_NAMES = Object.keys(SITES) as SiteName[];

export const DEFAULTS = {
  unchanged: 10,
  runs: 3,
  sizes: [5, 10, 20],
  sites: ['loop', 'json'] as SiteName[],
  wrong: 1,
  out: 'reports',
} as const;

const usage = () => `Usage: npm run bench:gate-proof -- [options]

Runs the A/B gate (npm run bench -- --against BASE) in a throwaway clone on an unchanged tree, on
exact slowdowns at several code sites and sizes, and on a logic change, and prints how often each
gated metric caught each slowdown, the false alarms and the wall time per gate run.

  --unchanged N       gate runs of an unchanged tree, full suite (default ${DEFAULTS.unchanged})
  --runs N            gate runs per (site, size) (default ${DEFAULTS.runs})
  --sizes LIST        slowdown sizes, percent of the affected phase (default ${DEFAULTS.sizes.join(',')})
  --sites LIST        ${SITE_NAMES.join(', ')} (default ${DEFAULTS.sites.join(',')}): loop = a BigInt self-check
                      costing X% of the hot loop's time; loop-work = X% more of the loop's own work
                      (for instruction counts: npm run bench:gate-proof -- --sites loop-work
                      --sizes 1 --scenario micro); json = the JSON encoding
  --wrong N           gate runs of a logic change (default ${DEFAULTS.wrong})
  --scenario NAME     gate only these scenarios (repeatable; default: the default suite; slowdown
                      runs use the scenarios their phase dominates unless given)
  --trials N          passed to the bench (per side)
  --out DIR           where the runs and the proof's JSON go (default ${DEFAULTS.out})
  -h, --help          show this help

Exit codes: 0 done (whatever the gate decided: the table is the result); 1 a gate run could not
run at all; 2 bad usage.`;

export interface ProofOptions {
  unchanged: number;
  runs: number;
  sizes: number[];
  sites: SiteName[];
  wrong: number;
  scenarios: string[];
  trials: number | null;
  out: string;
}

/** Parses `npm run bench:gate-proof` flags (pure). */
export function parseGateProofArgs(argv: readonly string[]): Parsed<ProofOptions> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        unchanged: { type: 'string', default: String(DEFAULTS.unchanged) },
        runs: { type: 'string', default: String(DEFAULTS.runs) },
        sizes: { type: 'string', default: DEFAULTS.sizes.join(',') },
        sites: { type: 'string', default: DEFAULTS.sites.join(',') },
        wrong: { type: 'string', default: String(DEFAULTS.wrong) },
        scenario: { type: 'string', multiple: true },
        trials: { type: 'string' },
        out: { type: 'string', default: DEFAULTS.out },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  if (values.help) return { kind: 'help' };
  const counts = parseWholeNumbers(values, { unchanged: [0, 100], runs: [0, 100], wrong: [0, 10] });
  if (!counts.ok) return { kind: 'error', message: counts.message };
  const sizes: number[] = [];
  for (const text of values.sizes.split(',')) {
    const size = Number(text);
    if (!(text.trim() !== '' && size > 0 && size <= 200))
      return { kind: 'error', message: `--sizes: expected percentages in (0, 200] like 5,10,20, got ${JSON.stringify(text)}` };
    sizes.push(size);
  }
  const sites: SiteName[] = [];
  for (const name of values.sites.split(',')) {
    if (!(SITE_NAMES as readonly string[]).includes(name))
      return { kind: 'error', message: `--sites: expected some of ${SITE_NAMES.join(',')}, got ${JSON.stringify(name)}` };
    sites.push(name as SiteName);
  }
  let trials: number | null = null;
  if (values.trials !== undefined) {
    const parsed = parseWholeNumbers({ trials: values.trials }, { trials: [1, 100] });
    if (!parsed.ok) return { kind: 'error', message: parsed.message };
    trials = parsed.values.trials;
  }
  return { kind: 'ok', options: { ...counts.values, sizes, sites, scenarios: values.scenario ?? [], trials, out: values.out } };
}

/** The scenarios a slowdown at each site affects most (the proof gates those when no --scenario is given). */
const SITE_SCENARIOS: Record<SiteName, string[]> = {
  loop: ['hot-loop', 'mixed'],
  'loop-work': ['micro'],
  json: ['large-payload', 'mixed'],
};

interface GateRun {
  variant: string;
  site: SiteName | null;
  sizePercent: number | null;
  exitCode: number | null;
  wallSeconds: number;
  /** Every gated comparison: scenario, metric, verdict and estimated change. */
  comparisons: Array<{ scenario: string; metric: string; verdict: string; changePercent: number | null }>;
  correctnessFailures: string[];
  runId: string | null;
  /** Why the results could not be read, when they could not. */
  problem: string | null;
}

export async function main(options: ProofOptions): Promise<number> {
  const repoRoot = process.cwd();
  const workDir = await mkdtemp(join(tmpdir(), 'metric-lab-gate-proof-'));
  const clone = join(workDir, 'repo');
  const outDir = resolve(options.out);
  const git = async (...args: string[]) => (await run('git', args, { cwd: clone })).stdout;
  try {
    progress(`cloning into ${clone}`);
    await run('git', ['clone', '--quiet', '--shared', repoRoot, clone]);
    await symlink(resolve(repoRoot, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const base = (await git('rev-parse', 'HEAD')).trim();

    const commitPatched = async (file: string, find: string, replace: string, message: string): Promise<string> => {
      const path = join(clone, file);
      // From the base commit: the previous gate run left the clone at its own (patched) commit.
      await git('checkout', '--quiet', '--detach', base);
      const source = await readFile(path, 'utf8');
      if (!source.includes(find)) throw new Error(`cannot apply the ${message} patch: ${file} no longer contains ${JSON.stringify(find)}`);
      await writeFile(path, source.replace(find, replace));
      await git('-c', 'user.name=gate-proof', '-c', 'user.email=gate-proof@localhost', 'commit', '--quiet', '-am', message);
      const commit = (await git('rev-parse', 'HEAD')).trim();
      await git('checkout', '--quiet', base);
      return commit;
    };
    const gateRun = async (
      variant: string,
      current: string,
      scenarios: readonly string[],
      site: SiteName | null,
      sizePercent: number | null,
      label: string,
    ) => {
      await git('checkout', '--quiet', '--detach', current);
      await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: clone });
      const args = ['dist/bench/bin/bench.js', '--against', base, '--out', outDir, '--no-regression-profile'];
      for (const scenario of scenarios) args.push('--scenario', scenario);
      if (options.trials !== null) args.push('--trials', String(options.trials));
      const started = performance.now();
      const exitCode = await runBench(clone, args);
      const wallSeconds = (performance.now() - started) / 1000;
      const result: GateRun = {
        variant,
        site,
        sizePercent,
        exitCode,
        wallSeconds,
        comparisons: [],
        correctnessFailures: [],
        runId: null,
        problem: null,
      };
      result.runId = await readlink(join(outDir, 'latest')).catch(() => null);
      if (result.runId) {
        const read = await readResults(join(outDir, result.runId, 'results.json'));
        if (read.ok) {
          result.comparisons = (read.results.gate?.metrics ?? []).map((m) => ({
            scenario: m.scenario,
            metric: m.metric,
            verdict: m.verdict,
            changePercent: m.changePercent,
          }));
          result.correctnessFailures = (read.results.gate?.correctness ?? [])
            .filter((c) => c.status === 'changed')
            .map((c) => `${c.scenario}/${c.variant}`);
        } else {
          result.problem = read.reason;
        }
      } else {
        result.problem = 'the gate wrote no results';
      }
      const regressions = result.comparisons.filter((c) => c.verdict === 'regression').map((c) => `${c.scenario} ${c.metric}`);
      progress(
        `${variant} ${label}: exit ${exitCode} in ${wallSeconds.toFixed(0)} s${regressions.length ? `; regressions: ${regressions.join(', ')}` : ''}${result.problem ? `; ${result.problem}` : ''}`,
      );
      return result;
    };

    const results: GateRun[] = [];
    for (let i = 1; i <= options.unchanged; i++)
      results.push(await gateRun('unchanged', base, options.scenarios, null, null, `${i}/${options.unchanged}`));
    for (const site of options.sites) {
      const spec = SITES[site];
      const scenarios = options.scenarios.length > 0 ? options.scenarios : SITE_SCENARIOS[site];
      for (const sizePercent of options.sizes) {
        const commit = await commitPatched(
          spec.file,
          spec.anchor,
          `${spec.code(sizePercent / 100)}${spec.anchor}`,
          `gate-proof: ${site} +${sizePercent}%`,
        );
        for (let i = 1; i <= options.runs; i++)
          results.push(await gateRun(`${site} +${sizePercent}%`, commit, scenarios, site, sizePercent, `${i}/${options.runs}`));
      }
    }
    if (options.wrong > 0) {
      const wrong = await commitPatched(
        'server/work/checksum.ts',
        'sumLow += (low ^ (i >>> 2)) >>> 0;',
        'sumLow += (low ^ (i >>> 3)) >>> 0;',
        'gate-proof: logic change in the loop',
      );
      for (let i = 1; i <= options.wrong; i++)
        results.push(await gateRun('wrong', wrong, SITE_SCENARIOS.loop, null, null, `${i}/${options.wrong}`));
    }

    const path = join(outDir, `gate-proof-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(path, `${JSON.stringify({ base, options, runs: results }, null, 2)}\n`);
    process.stdout.write(`${formatProof(results)}\nraw results: ${path}\n`);
    return results.some((r) => r.problem !== null) ? 1 : 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The proof's tables (pure): runs and wall times per variant, then detection per site, size and metric. */
export function formatProof(results: readonly GateRun[]): string {
  const variants = [...new Set(results.map((r) => r.variant))];
  const exits = (rows: readonly GateRun[], code: number) => rows.filter((r) => r.exitCode === code).length;
  const summary = renderTable(
    ['variant', 'runs', 'exit 0', 'exit 1', 'exit 3', 'exit 4', 'decided', 'mean wall', 'max wall'],
    variants.map((variant) => {
      const rows = results.filter((r) => r.variant === variant);
      const comparisons = rows.flatMap((r) => r.comparisons.filter((c) => c.verdict !== 'skipped'));
      const decided = comparisons.filter((c) => c.verdict === 'pass' || c.verdict === 'regression' || c.verdict === 'improvement').length;
      const walls = rows.map((r) => r.wallSeconds);
      return [
        variant,
        String(rows.length),
        String(exits(rows, 0)),
        String(exits(rows, 1)),
        String(exits(rows, 3)),
        String(exits(rows, 4)),
        comparisons.length === 0 ? '-' : `${((100 * decided) / comparisons.length).toFixed(0)}%`,
        `${(walls.reduce((a, b) => a + b, 0) / Math.max(1, walls.length)).toFixed(0)} s`,
        `${Math.max(0, ...walls).toFixed(0)} s`,
      ];
    }),
  );
  const unchanged = results.filter((r) => r.variant === 'unchanged');
  const falseAlarms = unchanged.filter((r) => r.comparisons.some((c) => c.verdict === 'regression'));
  const lines = [summary, '', `unchanged: ${falseAlarms.length} of ${unchanged.length} run(s) raised a false regression`];
  const slowed = results.filter((r) => r.site !== null);
  if (slowed.length > 0) {
    const keys = [
      ...new Set(
        slowed.flatMap((r) =>
          r.comparisons.filter((c) => c.verdict !== 'skipped').map((c) => `${r.site}\u0000${c.scenario}\u0000${c.metric}`),
        ),
      ),
    ].sort();
    const sizes = [...new Set(slowed.map((r) => r.sizePercent as number))].sort((a, b) => a - b);
    const rows = keys.map((key) => {
      const [site, scenario, metric] = key.split('\u0000') as [string, string, string];
      return [
        site,
        scenario,
        metric,
        ...sizes.map((size) => {
          const runs = slowed.filter((r) => r.site === site && r.sizePercent === size);
          const found = runs.flatMap((r) => r.comparisons.filter((c) => c.scenario === scenario && c.metric === metric));
          if (found.length === 0) return '-';
          const caught = found.filter((c) => c.verdict === 'regression').length;
          const changes = found.flatMap((c) => (c.changePercent === null ? [] : [c.changePercent])).sort((a, b) => a - b);
          const median = changes.length === 0 ? null : (changes[Math.floor((changes.length - 1) / 2)] as number);
          return `${caught}/${found.length}${median === null ? '' : ` (${median >= 0 ? '+' : ''}${median.toFixed(1)}%)`}`;
        }),
      ];
    });
    lines.push('', 'detection: runs with a regression verdict / runs (median estimated change), per slowdown size');
    lines.push(renderTable(['site', 'scenario', 'metric', ...sizes.map((s) => `+${s}%`)], rows, '', { textColumns: 3 }));
  }
  return `${lines.join('\n')}\n`;
}

/** Runs the cloned tree's bench CLI; its own output goes nowhere (its results.json is read instead). */
function runBench(cwd: string, args: string[]): Promise<number | null> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd, stdio: 'ignore' });
    child.once('close', (code) => resolvePromise(code));
  });
}
function progress(line: string): void {
  process.stderr.write(`${TOOL}: ${line}\n`);
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: TOOL, usage, parse: parseGateProofArgs, main });
