/**
 * The one shape of every command-line entry point: parse argv into `ok | help | error` (a pure,
 * exported, unit-tested function), then `process.exitCode = await runCli(...)`. A user's mistake
 * is one line, `tool: message (see --help)`, and exit 2; our own bug keeps its stack trace.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export type Parsed<T> = { kind: 'ok'; options: T } | { kind: 'help' } | { kind: 'error'; message: string };

/** Exit code for bad usage, shared by every command. */
export const USAGE_EXIT_CODE = 2;

export interface CliSpec<T> {
  /** Prefix of every message, e.g. "bench". */
  tool: string;
  usage: string | (() => string);
  parse: (argv: readonly string[]) => Parsed<T>;
  main: (options: T) => Promise<number>;
}

/** Parses `argv` and runs `main`; returns the exit code. Help goes to stdout, errors to stderr. */
export async function runCli<T>(spec: CliSpec<T>, argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const parsed = spec.parse(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${typeof spec.usage === 'string' ? spec.usage : spec.usage()}\n`);
    return 0;
  }
  if (parsed.kind === 'error') return usageError(spec.tool, parsed.message);
  return spec.main(parsed.options);
}

export function usageError(tool: string, message: string): number {
  process.stderr.write(`${tool}: ${message} (see --help)\n`);
  return USAGE_EXIT_CODE;
}

/**
 * True when the module at `moduleUrl` is the script node was started with, so that importing an
 * entry point (for its parser, in a test) never runs it.
 */
export function isEntryPoint(moduleUrl: string, argv1: string | undefined = process.argv[1]): boolean {
  if (argv1 === undefined) return false;
  try {
    return pathToFileURL(realpathSync(argv1)).href === moduleUrl;
  } catch {
    return false;
  }
}

/** node:util parseArgs errors are several lines; a usage error is one. */
export function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replaceAll('\n', ' ');
}

/** A whole number in [min, max] from a flag's text, or the one-line reason it is not. */
export function parseWholeNumber(
  flag: string,
  text: string,
  min: number,
  max: number,
): { ok: true; value: number } | { ok: false; message: string } {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (Number.isInteger(value) && value >= min && value <= max) return { ok: true, value };
  return { ok: false, message: `${flag}: expected an integer in [${min}, ${max}], got ${JSON.stringify(text)}` };
}

/** Several whole-number flags at once (`--name` for each key), or the first one that is not. */
export function parseWholeNumbers<K extends string>(
  texts: { readonly [P in NoInfer<K>]: string },
  ranges: Readonly<Record<K, readonly [min: number, max: number]>>,
): { ok: true; values: Record<K, number> } | { ok: false; message: string } {
  const values = {} as Record<K, number>;
  for (const key of Object.keys(ranges) as K[]) {
    const [min, max] = ranges[key];
    const parsed = parseWholeNumber(`--${key}`, texts[key], min, max);
    if (!parsed.ok) return parsed;
    values[key] = parsed.value;
  }
  return { ok: true, values };
}
