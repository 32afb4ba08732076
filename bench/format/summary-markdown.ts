import { formatGateMarkdown } from '../../ci/format/markdown.js';
import type { GateReport } from '../../ci/gate/types.js';
import { formatDifferentialsMarkdown } from '../profile/markdown.js';
import type { DifferentialProfile } from '../profile/types.js';

/** `summary.md`: the gate, then, for regressed scenarios, where the time went (differential profiles). */
export function formatRunMarkdown(gate: GateReport, runId: string, differentials: readonly DifferentialProfile[] = []): string {
  const markdown = formatGateMarkdown(gate, runId);
  if (differentials.length === 0) return markdown;
  return `${markdown.trimEnd()}\n\n${formatDifferentialsMarkdown(differentials).join('\n')}\n`;
}
