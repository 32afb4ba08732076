import { readFileSync } from 'node:fs';
import { benchResultsSchema, type BenchResults } from '../../bench/results/results.js';

/** The report fixture, read the way the report reads results.json: validated, defaults applied. */
export function readResultsFixture(): BenchResults {
  return benchResultsSchema.parse(JSON.parse(readFileSync(new URL('../fixtures/report/results.json', import.meta.url), 'utf8')));
}
