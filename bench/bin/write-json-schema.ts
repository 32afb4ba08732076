/** `npm run schema`: regenerates scenarios/scenario.schema.json from the zod schema. */
import { writeFile } from 'node:fs/promises';
import { scenarioJsonSchema } from '../scenario/json-schema.js';

const target = process.argv[2] ?? 'scenarios/scenario.schema.json';
await writeFile(target, scenarioJsonSchema());
process.stdout.write(`wrote ${target}\n`);
