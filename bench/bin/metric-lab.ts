#!/usr/bin/env node
/**
 * `metric-lab` (the package's bin): one command with subcommands over the existing entry points,
 * for projects that install this package as a dev dependency (`npx metric-lab bench`). Scenarios,
 * baselines and reports are the working directory's; the lab and every other file of this
 * package are found from the package itself (bench/process/own-files.ts).
 */
import { isEntryPoint, runCli, usageError, type CliSpec, type Parsed } from '../../lib/cli.js';
import * as bench from './bench.js';
import * as report from './report.js';

const TOOL = 'metric-lab';

const baselineUsage = () => `Usage: metric-lab baseline --reason TEXT [options]

Runs the scenarios (scenarios/*.yaml here) and records the run as the new baselines
(ci/baselines/*.json), the same as metric-lab bench --update-baseline. It refuses a run that
cannot be trusted. Every option of metric-lab bench applies (see metric-lab bench --help), e.g.
--scenario NAME, --trials N, --scenarios-dir DIR, --baselines-dir DIR.

  --reason TEXT   why the baselines change (stored in them; reviewed in the diff)
  -h, --help      show this help`;

interface Command {
  summary: string;
  run: (argv: readonly string[]) => Promise<number>;
}

/** A subcommand: an existing entry point's parser and main, with its own help. */
function command<T>(summary: string, spec: CliSpec<T>): Command {
  return { summary, run: (argv) => runCli(spec, argv) };
}

/** The subcommands, each an existing entry point's parser and main under this command's name. */
export const COMMANDS = {
  bench: command('run the scenarios, gate them against baselines or --against REF, and report', {
    tool: bench.TOOL,
    usage: () => bench.usage('metric-lab bench'),
    parse: bench.parseBenchArgs,
    main: bench.main,
  }),
  baseline: command('run the scenarios and record them as the new baselines (needs --reason)', {
    tool: 'baseline',
    usage: baselineUsage,
    parse: (argv: readonly string[]): Parsed<bench.BenchOptions> =>
      argv.includes('--update-baseline')
        ? { kind: 'error', message: 'baseline already means --update-baseline' }
        : bench.parseBenchArgs(['--update-baseline', ...argv]),
    main: bench.main,
  }),
  report: command("regenerate a run's HTML report (and the index of runs) from its results.json", {
    tool: report.TOOL,
    usage: () => report.usage('metric-lab report'),
    parse: report.parseReportArgs,
    main: report.main,
  }),
} as const satisfies Record<string, Command>;

export type CommandName = keyof typeof COMMANDS;

export const usage = () => `Usage: metric-lab COMMAND [options]

Benchmarks and gates an HTTP service: the built-in lab, or your own one named in a scenario's
target: block. Scenarios are read from scenarios/, baselines from ci/baselines/, and reports are
written to reports/, all relative to the current directory.

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`)
  .join('\n')}

Run metric-lab COMMAND --help for a command's options.`;

/** Which subcommand and its arguments (pure). */
export function parseCommand(argv: readonly string[]): Parsed<{ command: CommandName; args: string[] }> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') return { kind: 'help' };
  if (!Object.hasOwn(COMMANDS, first)) {
    return { kind: 'error', message: `unknown command ${JSON.stringify(first)}: expected one of ${Object.keys(COMMANDS).join(', ')}` };
  }
  return { kind: 'ok', options: { command: first as CommandName, args: rest } };
}

export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCommand(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (parsed.kind === 'error') return usageError(TOOL, parsed.message);
  return COMMANDS[parsed.options.command].run(parsed.options.args);
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
