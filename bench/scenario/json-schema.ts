import { z } from 'zod';
import { scenarioFileSchema } from './schema.js';

/** The JSON Schema editors use to validate scenario files (scenarios/scenario.schema.json). */
export function scenarioJsonSchema(): string {
  const schema = z.toJSONSchema(scenarioFileSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'metric-lab scenario', description: 'A benchmark scenario for npm run bench (see README).' }, null, 2)}\n`;
}
