import { z } from 'zod';
import { allowedChangeSchema } from '../../ci/gate/types.js';
import { thresholdExpressionSchema } from './expressions.js';

/**
 * A validated micro-benchmark scenario (`kind: micro`) with every default applied
 * (`toMicroSpec` in micro-schema.ts makes it from a file). Stored in results.json, hence a schema.
 */
export const microScenarioSpecSchema = z.object({
  kind: z.literal('micro'),
  name: z.string(),
  description: z.string(),
  file: z.string(),
  /** The lab's pure functions to measure (bench/micro/tasks.ts), each at a resolved size. */
  tasks: z.array(
    z.object({
      task: z.string(),
      /** Size parameters as the task takes them (camelCase), defaults filled in. */
      size: z.record(z.string(), z.number()),
      /** Operations before callgrind counts, so the code reaches its steady JIT tier. */
      warmupOps: z.number(),
      /** Operations callgrind counts; the count per operation is their cost divided by this. */
      measuredOps: z.number(),
    }),
  ),
  /** Wall time per operation (tinybench), in paired trials like the load scenarios'. */
  timing: z.object({ trials: z.number(), secondsPerTrial: z.number(), warmupSeconds: z.number() }),
  /** Instructions per operation under callgrind; skipped (one line) where valgrind is missing. */
  instructions: z.object({ enabled: z.boolean(), timeoutSeconds: z.number() }),
  thresholds: z.array(z.object({ metric: z.string(), expression: thresholdExpressionSchema })),
  gate: z.array(z.object({ metric: z.string(), allowed: allowedChangeSchema })),
});

export type MicroScenarioSpec = z.infer<typeof microScenarioSpecSchema>;
export type MicroTaskSpec = MicroScenarioSpec['tasks'][number];
