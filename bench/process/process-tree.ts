/**
 * Which processes are alive and who their children are (Linux `ps`): how the reliability
 * benchmark and the tests prove that nothing a run started outlives it.
 */
import { execFileSync } from 'node:child_process';

export interface ProcessRow {
  pid: number;
  command: string;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Direct children of `pid`, with their command lines. */
export function childProcesses(pid: number): ProcessRow[] {
  return processTable()
    .filter((row) => row.ppid === pid)
    .map(({ pid: child, command }) => ({ pid: child, command }));
}

/** Every descendant of `pid`, breadth first, with its command line. */
export function descendants(pid: number): ProcessRow[] {
  const table = processTable();
  const found: ProcessRow[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const row of table) {
      if (row.ppid !== parent) continue;
      found.push({ pid: row.pid, command: row.command });
      queue.push(row.pid);
    }
  }
  return found;
}

function processTable(): Array<ProcessRow & { ppid: number }> {
  return psOutput()
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .flatMap((m) => (m ? [{ pid: Number(m[1]), ppid: Number(m[2]), command: m[3] as string }] : []));
}

function psOutput(): string {
  try {
    return execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  } catch {
    return '';
  }
}
