/**
 * Names for JIT code. callgrind sees V8's generated code without symbols and names each piece by
 * its address (`0x000000000d1b0d40`). With `--perf-basic-prof`, V8 writes `/tmp/perf-<pid>.map`,
 * one `start size name` line (hex) per code object, e.g. `JS:*simulateLoop file:///…:37:29`
 * (`*` optimized by TurboFan, `~` interpreted or baseline). Under valgrind the addresses are the
 * same ones callgrind reports, so the map names them. Pure.
 */
import type { FunctionCost } from './callgrind-functions.js';

export interface CodeRange {
  start: number;
  size: number;
  name: string;
}

export function parsePerfMap(text: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  for (const line of text.split('\n')) {
    const match = /^([0-9a-fA-F]+) ([0-9a-fA-F]+) (.+)$/.exec(line.trim());
    if (match === null) continue;
    ranges.push({ start: parseInt(match[1] as string, 16), size: parseInt(match[2] as string, 16), name: match[3] as string });
  }
  return ranges;
}

/**
 * The code object containing `address`. Code space is reused after a code object dies, so the
 * latest range written for an address wins.
 */
export function nameAt(ranges: readonly CodeRange[], address: number): string | undefined {
  for (let i = ranges.length - 1; i >= 0; i--) {
    const range = ranges[i] as CodeRange;
    if (address >= range.start && address < range.start + range.size) return range.name;
  }
  return undefined;
}

/** A callgrind function name that is only an address (JIT code), as a number. */
export function addressOf(functionName: string): number | undefined {
  return /^0x[0-9a-fA-F]+$/.test(functionName) ? parseInt(functionName.slice(2), 16) : undefined;
}

/** Renames address-only functions from the perf map and merges those that share a name. */
export function nameJitCode(costs: readonly FunctionCost[], ranges: readonly CodeRange[]): FunctionCost[] {
  const merged = new Map<string, FunctionCost>();
  for (const cost of costs) {
    const address = addressOf(cost.name);
    const name = (address === undefined ? undefined : nameAt(ranges, address)) ?? cost.name;
    const key = `${cost.object}\u0000${name}`;
    const entry = merged.get(key);
    if (entry === undefined) merged.set(key, { ...cost, name });
    else entry.selfIr += cost.selfIr;
  }
  return [...merged.values()].sort((a, b) => b.selfIr - a.selfIr || a.name.localeCompare(b.name));
}
