import type { StudentTInterval } from './confidence-interval.js';
import { studentT } from './student-t.js';

/**
 * Confidence interval for the mean of `a[i] − b[i]` (sign: positive means `a` is larger).
 *
 * Comparing two configurations run with common random numbers (replication i of both uses the same
 * seed) makes a[i] and b[i] positively correlated; the variance of the difference is then
 * Var a + Var b − 2 Cov(a, b), so this interval is much tighter than comparing two independent intervals.
 * `n` counts pairs.
 *
 * @throws RangeError when the arrays differ in length (pairing would be meaningless)
 */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>, level = 0.95): StudentTInterval {
  if (a.length !== b.length) {
    throw new RangeError(`paired samples need equal lengths, found ${a.length} and ${b.length}`);
  }
  const d = new Float64Array(a.length);
  for (let i = 0; i < d.length; i++) d[i] = a[i]! - b[i]!;
  return studentT(d, level);
}
