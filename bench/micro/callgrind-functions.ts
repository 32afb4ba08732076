/**
 * Where the instructions went: self cost per function from a callgrind output file's `fn=`
 * records (the format: valgrind's docs/cl-format). Pure. A cost line belongs to the current
 * `fn=`, except the line right after `calls=`, which is the inclusive cost of that call and is
 * the callee's, not the caller's. Names are compressed: `fn=(12) name` defines id 12, a later
 * `fn=(12)` refers to it; the same holds for `ob=`/`fl=` and their call-target forms.
 */

export interface FunctionCost {
  /** The symbol as callgrind names it; JIT code without a symbol is named by its address. */
  name: string;
  /** The ELF object (binary or library) it lives in; `???` for JIT code. */
  object: string;
  /** Instructions executed in the function itself (its callees not included). */
  selfIr: number;
}

const RECORD = /^(fn|ob|fl|fi|fe|cfn|cob|cfi|cfl)=(?:\((\d+)\))?\s*(.*)$/;

/** Self cost of every function in one callgrind file, highest first. */
export function functionCosts(text: string): FunctionCost[] {
  const names = { fn: new Map<string, string>(), ob: new Map<string, string>(), fl: new Map<string, string>() };
  let positions = 1;
  let irColumn = 0;
  let object = '???';
  let fn: string | undefined;
  let afterCalls = false;
  const costs = new Map<string, FunctionCost>();

  const resolve = (table: Map<string, string>, id: string | undefined, name: string): string => {
    if (id === undefined) return name;
    if (name !== '') table.set(id, name);
    return table.get(id) ?? `(${id})`;
  };

  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const record = RECORD.exec(line);
    if (record !== null) {
      const [, key, id, rest = ''] = record;
      const name = rest.trim();
      // fi/fe/fl share one name table with cfi/cfl; ob with cob; fn with cfn.
      if (key === 'ob') object = resolve(names.ob, id, name);
      else if (key === 'cob') resolve(names.ob, id, name);
      else if (key === 'fn') fn = resolve(names.fn, id, name);
      else if (key === 'cfn') resolve(names.fn, id, name);
      else resolve(names.fl, id, name);
      continue;
    }
    if (line.startsWith('calls=')) {
      afterCalls = true;
      continue;
    }
    if (line.startsWith('positions:')) {
      positions = line.slice('positions:'.length).trim().split(/\s+/).length;
      continue;
    }
    if (line.startsWith('events:')) {
      irColumn = Math.max(0, line.slice('events:'.length).trim().split(/\s+/).indexOf('Ir'));
      continue;
    }
    if (!/^[\d+\-*]/.test(line) || fn === undefined) continue; // other headers: summary, totals, desc…
    if (afterCalls) {
      afterCalls = false;
      continue;
    }
    const ir = Number(line.trim().split(/\s+/)[positions + irColumn] ?? 0);
    if (!Number.isFinite(ir) || ir === 0) continue;
    const key = `${object}\u0000${fn}`;
    const entry = costs.get(key);
    if (entry === undefined) costs.set(key, { name: fn, object, selfIr: ir });
    else entry.selfIr += ir;
  }
  return [...costs.values()].sort((a, b) => b.selfIr - a.selfIr || a.name.localeCompare(b.name));
}

/** The `n` costliest functions, each with its share of `totalIr`. */
export function topFunctions(costs: readonly FunctionCost[], n: number, totalIr: number): Array<FunctionCost & { share: number }> {
  return costs.slice(0, n).map((cost) => ({ ...cost, share: totalIr > 0 ? cost.selfIr / totalIr : 0 }));
}
