import { describe, expect, it } from 'vitest';
import { answersDiffer } from '../../bench/run/run-micro.js';

describe('answers of a micro task across its timing processes', () => {
  const first = [
    { task: 'loop', digest: 'aa' },
    { task: 'metrics', digest: null },
  ];

  it('are fine when every process answers as the first did', () => {
    expect(answersDiffer(first, { loop: 'aa', metrics: null }, 3)).toBeUndefined();
  });

  it('name the task, both answers and the trial when one differs', () => {
    expect(answersDiffer(first, { loop: 'bb', metrics: null }, 4)).toBe(
      `task loop answered "bb" in trial 4's process, "aa" in the first: a nondeterministic answer`,
    );
    expect(answersDiffer(first, { loop: 'aa', metrics: 'cc' }, 2)).toMatch(/^task metrics answered "cc"/);
  });
});
