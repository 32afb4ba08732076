import { z } from 'zod';
import { microScenarioFileSchema } from './micro-schema.js';
import { scenarioFileSchema } from './schema.js';

/** The JSON Schema editors use to validate scenario files (scenarios/scenario.schema.json). */
export function scenarioJsonSchema(): string {
  // Either kind: a load scenario (no `kind`, or `kind: load`) or micro-benchmarks (`kind: micro`).
  const schema = z.toJSONSchema(z.union([scenarioFileSchema, microScenarioFileSchema]), { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'metric-lab scenario', description: 'A benchmark scenario for npm run bench (see README).' }, null, 2)}\n`;
}
