#!/usr/bin/env node
/** `npm run schema`: regenerates scenarios/scenario.schema.json from the zod schema. */
import { writeFile } from 'node:fs/promises';
import { isEntryPoint, runCli, type Parsed } from '../../lib/cli.js';
import { scenarioJsonSchema } from '../scenario/json-schema.js';

const TOOL = 'schema';
export const DEFAULTS = { target: 'scenarios/scenario.schema.json' } as const;

const usage = () => `Usage: npm run schema -- [FILE]

Writes the JSON Schema of scenario files (generated from the same zod schema that validates them)
to FILE (default: ${DEFAULTS.target}). Editors use it through the yaml-language-server comment at
the top of each scenario; a test fails when the committed file is stale.

Exit codes: 0 written; 2 bad usage.`;

/** Parses `npm run schema` arguments (pure). */
export function parseSchemaArgs(argv: readonly string[]): Parsed<{ target: string }> {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const flag = argv.find((a) => a.startsWith('-'));
  if (flag !== undefined) return { kind: 'error', message: `unknown option ${JSON.stringify(flag)}: expected at most one FILE` };
  if (argv.length > 1) return { kind: 'error', message: `expected at most one FILE, got ${argv.length}: ${argv.join(' ')}` };
  return { kind: 'ok', options: { target: argv[0] ?? DEFAULTS.target } };
}

export async function main({ target }: { target: string }): Promise<number> {
  await writeFile(target, scenarioJsonSchema());
  process.stdout.write(`wrote ${target}\n`);
  return 0;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: TOOL, usage, parse: parseSchemaArgs, main });
