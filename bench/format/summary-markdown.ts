import { formatGateMarkdown } from '../../ci/format/markdown.js';
import type { GateReport } from '../../ci/gate/types.js';
import { formatDifferentialsMarkdown } from '../profile/markdown.js';
import type { DifferentialProfile } from '../profile/types.js';
import { formatInstructionTopsMarkdown, type InstructionTopEntry } from './instruction-top.js';

/**
 * `summary.md`: the gate, then, for regressed scenarios, where the time went (differential
 * profiles) and where the instructions went (micro scenarios' costliest functions).
 */
export function formatRunMarkdown(
  gate: GateReport,
  runId: string,
  differentials: readonly DifferentialProfile[] = [],
  instructionTops: readonly InstructionTopEntry[] = [],
): string {
  const markdown = formatGateMarkdown(gate, runId);
  const extra = [
    ...(differentials.length > 0 ? formatDifferentialsMarkdown(differentials) : []),
    ...formatInstructionTopsMarkdown(instructionTops),
  ];
  if (extra.length === 0) return markdown;
  return `${markdown.trimEnd()}\n\n${extra.join('\n')}\n`;
}
