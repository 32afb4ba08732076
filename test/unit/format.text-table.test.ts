import { describe, expect, it } from 'vitest';
import { renderTable } from '../../lib/text-table.js';

describe('renderTable', () => {
  it('left-aligns the first column and right-aligns the rest by default', () => {
    expect(
      renderTable(
        ['name', 'ms'],
        [
          ['a', '1.5'],
          ['long', '12'],
        ],
      ),
    ).toBe(['name   ms', 'a     1.5', 'long   12'].join('\n'));
  });

  it('left-aligns the named text columns and the last one when asked, trimming trailing spaces', () => {
    const table = renderTable(
      ['scenario', 'metric', 'change', 'verdict'],
      [
        ['hot-loop', 'p95_ms', '+18.2%', 'REGRESSION'],
        ['slow-db', 'section.db_query.p95_ms', '-0.1%', 'pass'],
      ],
      '  ',
      { textColumns: 2, lastIsText: true },
    );
    expect(table.split('\n')).toEqual([
      '  scenario  metric                   change  verdict',
      '  hot-loop  p95_ms                   +18.2%  REGRESSION',
      '  slow-db   section.db_query.p95_ms   -0.1%  pass',
    ]);
  });
});
