/**
 * Holm's step-down adjustment (Holm 1979): controls the family-wise error rate — the chance of
 * even one false claim among all comparisons — at α under any dependence between the tests,
 * and is uniformly more powerful than Bonferroni.
 *
 * Sorted ascending, p(i) is adjusted to max over j ≤ i of min(1, (K − j + 1)·p(j)); rejecting
 * every hypothesis whose adjusted p-value is ≤ α is exactly Holm's procedure at level α.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  for (const [i, p] of pValues.entries()) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${i} must be in [0, 1], got ${p}`);
  }
  const count = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => (pValues[a] ?? 0) - (pValues[b] ?? 0));
  const adjusted = new Array<number>(count).fill(1);
  let runningMax = 0;
  for (const [step, index] of order.entries()) {
    runningMax = Math.max(runningMax, Math.min(1, (count - step) * (pValues[index] ?? 1)));
    adjusted[index] = runningMax;
  }
  return adjusted;
}
