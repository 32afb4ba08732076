import { parseWholeNumber } from '../../lib/cli.js';

/**
 * The flags of `npm run bench -- --export artillery` and `--import artillery`: bench/bin/bench.ts
 * parses every flag and hands its values here. Tested through `parseBenchArgs`.
 */

/** What `npm run bench` runs instead of a measured run. */
export type ArtilleryCommand =
  | { kind: 'export'; targetUrl: string | null; outFile: string | null; count: number }
  | { kind: 'import'; report: string; againstReport: string | null };

/**
 * `--export artillery` / `--import artillery REPORT.json` and their companions (pure): null when
 * neither is given. They work on one scenario and replace the measured run, so the other modes and
 * profiling do not combine with them.
 */
export function parseArtilleryFlags(
  values: Record<string, string | boolean | string[] | undefined>,
  positionals: readonly string[],
): ArtilleryCommand | { message: string } | null {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const exportTool = text('export');
  const importTool = text('import');
  const extra = importTool === undefined ? positionals[0] : positionals[1];
  if (extra !== undefined) return { message: `Unexpected argument '${extra}'. This command does not take positional arguments` };
  if (exportTool === undefined && importTool === undefined) {
    for (const flag of ['target-url', 'count'])
      if (values[flag] !== undefined) return { message: `--${flag} only applies to --export artillery` };
    if (values['against-report'] !== undefined) return { message: '--against-report only applies to --import artillery' };
    return null;
  }
  if (exportTool !== undefined && importTool !== undefined) return { message: '--export and --import cannot be combined: pick one' };
  const flag = exportTool !== undefined ? '--export' : '--import';
  const tool = exportTool ?? importTool;
  if (tool !== 'artillery') return { message: `${flag}: expected "artillery", got ${JSON.stringify(tool)}` };
  const scenarios = (values.scenario as string[] | undefined) ?? [];
  if (scenarios.length !== 1) return { message: `${flag} artillery works on one scenario: give one --scenario NAME` };
  const clash = ['against', 'calibrate', 'write-margins', 'update-baseline', 'profile', 'list'].find((name) => values[name] !== undefined);
  if (clash !== undefined) return { message: `${flag} artillery and --${clash} cannot be combined` };
  if (exportTool !== undefined) {
    if (values['against-report'] !== undefined) return { message: '--against-report only applies to --import artillery' };
    const targetUrl = text('target-url') ?? null;
    if (targetUrl !== null && !/^https?:\/\/[^\s/]+/.test(targetUrl))
      return { message: `--target-url: expected an http:// or https:// URL, got ${JSON.stringify(targetUrl)}` };
    let count = 1;
    if (values.count !== undefined) {
      const parsed = parseWholeNumber('--count', text('count') ?? '', 1, 10_000);
      if (!parsed.ok) return { message: parsed.message };
      count = parsed.value;
    }
    return { kind: 'export', targetUrl, outFile: text('out') ?? null, count };
  }
  for (const name of ['target-url', 'count'])
    if (values[name] !== undefined) return { message: `--${name} only applies to --export artillery` };
  if (values.trials !== undefined) return { message: "--trials does not apply to --import: the report's periods are the trials" };
  const report = positionals[0];
  if (report === undefined) return { message: '--import artillery needs the report: --import artillery REPORT.json' };
  const againstReport = text('against-report') ?? null;
  if (againstReport !== null && values['no-baseline']) return { message: '--against-report and --no-baseline cannot be combined' };
  return { kind: 'import', report, againstReport };
}
