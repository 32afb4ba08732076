import { z } from 'zod';
import type { WorkKnobs } from '../../server/work/knobs.js';
import { allowedChangeSchema } from '../../ci/gate/types.js';
import { LAB_TARGET, targetSpecSchema } from '../target/target-spec.js';
import { answerSpecSchema } from '../answers/answer.js';
import { requestFieldsSchema } from '../load/request.js';
import { thresholdExpressionSchema } from './expressions.js';

/**
 * A validated scenario with every default applied (`toScenarioSpec` in schema.ts makes it from a
 * file); nothing downstream checks for `undefined`. Stored in results.json, hence a schema.
 */
export const scenarioSpecSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** Where it came from, for messages. */
  file: z.string(),
  /** What runs: the built-in lab (also in files written before targets existed), or a command. */
  target: targetSpecSchema.default(LAB_TARGET),
  /** Server flags that set the workload knobs, e.g. ["--loop-iterations", "2000000"]. */
  serverArgs: z.array(z.string()),
  /** The resolved server-side defaults, for reports (the lab's own type; checked as a mapping here). */
  serverKnobs: z.custom<WorkKnobs>((value) => value !== null && typeof value === 'object' && !Array.isArray(value), 'expected a mapping'),
  /**
   * The request mix, ready for the load generator: `path` is path and query, e.g.
   * `/api/work?loop_iterations=5000000`; method, headers and body only when not the defaults.
   */
  requests: z.array(
    z.object({ name: z.string(), weight: z.number(), path: z.string(), ...requestFieldsSchema, answer: answerSpecSchema.optional() }),
  ),
  load: z.preprocess(
    // Results written before trials_per_lab existed kept one lab process for all the trials.
    (load) =>
      load !== null && typeof load === 'object' && !('trialsPerLab' in load)
        ? { ...load, trialsPerLab: (load as { trials?: unknown }).trials }
        : load,
    z.object({
      model: z.enum(['open', 'closed']),
      /** Open model only. */
      rateRps: z.number().nullable(),
      /** Open: upper bound on concurrent connections. Closed: the connections. */
      connections: z.number(),
      warmupSeconds: z.number(),
      durationSeconds: z.number(),
      trials: z.number(),
      /** Fresh lab processes after this many trials (see runScenarioSides). */
      trialsPerLab: z.number(),
      /** The duet after each trial (bench/load/duet.ts); 0 in files written before it existed. */
      duetSeconds: z.number().default(0),
      requestTimeoutMs: z.number(),
      seed: z.number(),
    }),
  ),
  thresholds: z.array(z.object({ metric: z.string(), expression: thresholdExpressionSchema })),
  /** Gate rules as the scenario states them; bench/results/gate-inputs.ts adds each metric's unit and direction. */
  gate: z.array(z.object({ metric: z.string(), allowed: allowedChangeSchema })),
  validity: z.object({ minRateRatio: z.number(), maxLateRatio: z.number(), maxErrorRatio: z.number() }),
});

export type ScenarioSpec = z.infer<typeof scenarioSpecSchema>;
export type ScenarioRequest = ScenarioSpec['requests'][number];
export type ThresholdRule = ScenarioSpec['thresholds'][number];
export type ScenarioGateRule = ScenarioSpec['gate'][number];
