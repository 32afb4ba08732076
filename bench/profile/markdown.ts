import type { DifferentialProfile } from './types.js';

const DIFFERENTIAL_ROWS = 5;

/** The functions whose share of CPU samples grew most in each regressed scenario. */
export function formatDifferentialsMarkdown(differentials: readonly DifferentialProfile[]): string[] {
  const lines = ['#### Where the time went (differential CPU profiles)', ''];
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  const points = (change: number) => `${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(1)} pp`;
  for (const d of differentials) {
    if (d.status === 'unavailable') {
      lines.push(`- **${d.scenario}**: no differential profile: ${d.reason}`, '');
      continue;
    }
    const side = (s: typeof d.baseline) => `${s.label}${s.commit ? ` \`${s.commit.slice(0, 12)}\`` : ''}`;
    const page = d.files.find((f) => f.kind === 'differential-html')?.path;
    lines.push(`**${d.scenario}**: ${side(d.baseline)} → ${side(d.current)}${page ? ` (in the run's folder: \`${page}\`)` : ''}`, '');
    for (const note of d.notes) lines.push(`> ${note}`, '');
    if (d.bySelf.length === 0) {
      lines.push('No function gained self time.', '');
      continue;
    }
    lines.push('| function | location | self share | change | total share | change |', '|---|---|---:|---:|---:|---:|');
    for (const r of d.bySelf.slice(0, DIFFERENTIAL_ROWS)) {
      lines.push(
        `| \`${r.functionName}\` | \`${r.location || '(native)'}\` | ${percent(r.baseline.selfShare)} → ${percent(r.current.selfShare)} | ${points(r.selfShareChange)} | ${percent(r.baseline.totalShare)} → ${percent(r.current.totalShare)} | ${points(r.totalShareChange)} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    'Shares are of busy (non-idle) CPU samples, from separate profiled runs (never timed) with `--no-turbo-inlining --no-maglev`.',
  );
  return lines;
}
