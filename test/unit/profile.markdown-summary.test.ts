import { readResultsFixture } from '../support/results-fixture.js';
import { describe, expect, it } from 'vitest';
import { formatRunMarkdown } from '../../bench/format/summary-markdown.js';

const results = readResultsFixture();

describe('the Markdown summary of a regression', () => {
  const gate = results.gate;
  const differentials = results.profiles?.differentials ?? [];
  if (!gate) throw new Error('the fixture has a gate');

  it('lists the functions whose share of CPU samples grew, with where to find the differential page', () => {
    const markdown = formatRunMarkdown(gate, results.runId, differentials);
    const section = markdown.slice(markdown.indexOf('#### Where the time went (differential CPU profiles)'));
    expect(section).toMatch(
      /^#### Where the time went \(differential CPU profiles\)\n\n\*\*tiny-loop\*\*: baseline `6ce51a49fa27` → current `[0-9a-f]{12}` \(in the run's folder: `profiles\/tiny-loop\/regression\/differential\.html`\)\n/,
    );
    expect(section).toContain('| function | location | self share | change | total share | change |');
    expect(section).toMatch(
      /\n\| `simulateLoopBigInt` \| `dist\/server\/work\/checksum\.js` \| 0\.0% → \d+\.\d% \| \+\d+\.\d pp \| 0\.0% → \d+\.\d% \| \+\d+\.\d pp \|\n/,
    );
    expect(section.match(/^\| `/gm)).toHaveLength(5);
  });

  it('says why a differential is missing, and leaves the section out when there is none', () => {
    const unavailable = formatRunMarkdown(gate, results.runId, [
      {
        scenario: 'tiny-loop',
        status: 'unavailable',
        reason: 'the baseline file records no git commit, so its lab cannot be rebuilt',
        current: null,
        files: [],
      },
    ]);
    expect(unavailable).toContain(
      '- **tiny-loop**: no differential profile: the baseline file records no git commit, so its lab cannot be rebuilt',
    );
    expect(formatRunMarkdown(gate, results.runId)).not.toContain('Where the time went');
  });
});
