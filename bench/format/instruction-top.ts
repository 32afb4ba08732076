import type { MicroOutcome } from '../results/micro-outcome.js';

/** One side's micro outcomes, labelled ("baseline", "current", "A", "B"). */
export interface LabelledMicro {
  label: string;
  outcomes: readonly MicroOutcome[];
}

export interface InstructionTopEntry {
  scenario: string;
  task: string;
  /** Per side: its count with the perf map on, and its costliest functions. */
  sides: Array<{ label: string; entry: MicroOutcome['topFunctions'][number] }>;
}

/** Where the instructions went, per regressed task, with every side that has a listing (pure). */
export function instructionTops(sides: readonly LabelledMicro[]): InstructionTopEntry[] {
  const entries = new Map<string, InstructionTopEntry>();
  for (const { label, outcomes } of sides) {
    for (const outcome of outcomes) {
      for (const entry of outcome.topFunctions) {
        const key = `${outcome.name}\u0000${entry.task}`;
        const found = entries.get(key) ?? { scenario: outcome.name, task: entry.task, sides: [] };
        found.sides.push({ label, entry });
        entries.set(key, found);
      }
    }
  }
  return [...entries.values()];
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const shortName = (name: string) => (name.length > 90 ? `${name.slice(0, 89)}…` : name);

/** As text lines for the terminal. */
export function formatInstructionTops(entries: readonly InstructionTopEntry[]): string {
  const blocks = entries.map(({ scenario, task, sides }) => {
    const lines = [
      `where the instructions went: ${scenario} / ${task} (self instructions in the measured operations; callgrind, JIT code named from V8's perf map)`,
    ];
    for (const { label, entry } of sides) {
      lines.push(
        `  ${label}: ${entry.instructionsPerOp === null ? (entry.note ?? 'not measured') : `${count(entry.instructionsPerOp)} instructions/op`}`,
      );
      for (const f of entry.top)
        lines.push(`    ${(f.share * 100).toFixed(1).padStart(5)}%  ${count(f.selfIr).padStart(14)}  ${shortName(f.name)}`);
    }
    return lines.join('\n');
  });
  return blocks.join('\n\n');
}

/** As Markdown for summary.md. */
export function formatInstructionTopsMarkdown(entries: readonly InstructionTopEntry[]): string[] {
  if (entries.length === 0) return [];
  const lines = ['#### Where the instructions went', ''];
  for (const { scenario, task, sides } of entries) {
    lines.push(`**${scenario} / ${task}** — costliest functions of the measured operations (self instructions, callgrind)`, '');
    for (const { label, entry } of sides) {
      lines.push(
        `- ${label}: ${entry.instructionsPerOp === null ? (entry.note ?? 'not measured') : `${count(entry.instructionsPerOp)} instructions/op`}`,
      );
      for (const f of entry.top)
        lines.push(`  - ${(f.share * 100).toFixed(1)}% \`${shortName(f.name).replaceAll('`', "'")}\` (${count(f.selfIr)})`);
    }
    lines.push('');
  }
  return lines;
}
