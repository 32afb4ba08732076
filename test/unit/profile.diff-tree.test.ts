import { describe, expect, it } from 'vitest';
import { buildDiffTree } from '../../bench/profile/diff-tree.js';
import type { WeightedStack } from '../../bench/profile/stack-tally.js';
import { colour, renderDiffFlamegraph } from '../../bench/report/diff-flamegraph.js';

const f = (functionName: string) => ({ functionName, location: 'dist/app.js' });
const baseline: WeightedStack[] = [
  { frames: [f('main'), f('fast')], count: 80 },
  { frames: [f('main')], count: 20 },
];
const current: WeightedStack[] = [
  { frames: [f('main'), f('fast')], count: 40 },
  { frames: [f('main'), f('slow')], count: 40 },
  { frames: [f('main')], count: 20 },
];

describe('the differential flamegraph', () => {
  it("annotates the current call tree with the baseline's shares on the same paths", () => {
    const root = buildDiffTree(baseline, current);
    expect(root.current.total).toBe(1);
    const [main] = root.children;
    expect(main).toMatchObject({ functionName: 'main', current: { total: 1, self: 0.2 }, baseline: { total: 1, self: 0.2 } });
    expect(main?.children.map((c) => [c.functionName, c.current.self, c.baseline.self])).toEqual([
      ['fast', 0.4, 0.8],
      ['slow', 0.4, 0],
    ]);
  });

  it('draws grown frames red, shrunk ones blue, unchanged grey, with the numbers in each title', () => {
    const svg = renderDiffFlamegraph(buildDiffTree(baseline, current));
    expect(colour(0.4, 0.4)).toMatch(/^hsl\(3 /);
    expect(colour(-0.4, 0.4)).toMatch(/^hsl\(212 /);
    expect(colour(0, 0.4)).toBe('#e8ebef');
    expect(svg).toContain(
      '<title>slow (dist/app.js) — current: total 40.0%, self 40.0%; baseline: total 0.0%, self 0.0%; self change +40.0 pp</title>',
    );
    expect(svg).toMatch(/<title>slow [^<]*<\/title><rect [^>]*fill="hsl\(3 78% 62%\)"/);
    expect(svg).toMatch(/<title>fast [^<]*<\/title><rect [^>]*fill="hsl\(212 70% 62%\)"/);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="Differential flamegraph/);
  });
});
