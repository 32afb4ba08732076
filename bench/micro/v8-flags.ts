/**
 * Node/V8 flags of the counted process, chosen by measurement on this VM (Node 20.20):
 *
 * - `--single-threaded --predictable --hash-seed=1 --random-seed=1 --expose-gc
 *   --no-concurrent-sweeping`: compilation and GC on the main thread at points that depend only on
 *   what the program did, hash tables seeded alike. Two runs of the loop task
 *   counted the same instructions to the last one (94,662,759 for 10 operations); without these
 *   flags two runs differed by 40%.
 * - No `--no-opt` (CodSpeed's choice): it keeps the code out of TurboFan, so the loop cost
 *   155.9 million instructions per operation instead of 9.46 million (16×) — not the code users
 *   run — and one valgrind run took 90 s. With TurboFan left on, 30 warm-up operations bring
 *   every task to its optimized code: `--trace-opt --trace-deopt` shows no compilation and no
 *   deoptimization during the measured operations of any task.
 * - No `%OptimizeFunctionOnNextCall`: warm-up reaches TurboFan by V8's own heuristics, which also
 *   optimizes (or inlines) the callees, as in production.
 */
export const V8_FLAGS = [
  '--single-threaded',
  '--predictable',
  '--hash-seed=1',
  '--random-seed=1',
  '--expose-gc',
  '--no-concurrent-sweeping',
  // No garbage collection inside the measured operations (the child collects fully just before
  // them): with V8's default young generation (~4 MB a semi-space, which --predictable-gc-schedule
  // also pins) a scavenge fell inside ten operations or not depending on how much anything had
  // allocated before — a build at a longer path moved the metrics task's count by 0.5%, and a
  // collection before counting moved it by +51%. 64 MB holds ten operations of every task.
  '--min-semi-space-size=64',
  '--max-semi-space-size=64',
  // The rest of what --predictable-gc-schedule fixes: heap growth, and no memory reducer (it runs
  // on a timer, so a slow valgrind run on a busy machine collected where a fast one did not: one
  // count in ~40 came out 0.44% high before this).
  '--heap-growing-percent=30',
  '--no-memory-reducer',
] as const;

/** Added only when the top functions are asked for: V8 then writes `/tmp/perf-<pid>.map`. */
export const PERF_MAP_FLAG = '--perf-basic-prof';

/**
 * `all-non-file`: V8 writes and rewrites code in anonymous memory, which valgrind must notice;
 * code from files (node itself, libraries) never changes. Same counts as `all`, ~12% less CPU.
 */
export const VALGRIND_ARGS = ['--tool=callgrind', '--smc-check=all-non-file'] as const;
