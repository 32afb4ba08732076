/**
 * Notices when the process that started this one is gone, so nothing outlives it: `kill -9` of
 * `npm run bench` leaves node orphaned (re-parented, usually to PID 1) — an orphaned baseline
 * update would still rewrite the baselines minutes later, and an orphaned lab keeps its ports.
 * Polls `process.ppid`, which the OS changes on re-parenting; no signal is sent to an orphan, so
 * polling is the portable way.
 */
export function watchParent(onOrphaned: (formerParentPid: number) => void, intervalMs = 250): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned(parent);
  }, intervalMs);
  timer.unref(); // never what keeps the process alive
  return () => clearInterval(timer);
}
