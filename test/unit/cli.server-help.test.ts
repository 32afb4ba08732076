import { describe, expect, it } from 'vitest';
import { serverUsage } from '../../server/config.js';

describe('npm start -- --help', () => {
  it('lines every description up in one column, the longest flags too', () => {
    const rows = serverUsage()
      .split('\n')
      .filter((line) => /^ {2}-/.test(line));
    const columns = new Set(rows.map((line) => /^ {2}(?:-\w, )?--\S+ +/.exec(line)?.[0].length));
    expect(rows.length).toBeGreaterThan(20);
    expect([...columns]).toHaveLength(1);
  });

  it('says which limits answer 400 and which shed load with 503', () => {
    const usage = serverUsage();
    expect(usage).toContain('a request beyond a per-request limit gets 400; beyond a bound on what is in flight, 503');
    expect(usage).toMatch(/--max-in-flight-requests +\/api\/work requests in flight at once; more get 503/);
    expect(usage).toMatch(/--max-bigint-loop-iterations +upper limit for loop_iterations with loop_impl=bigint/);
  });
});
