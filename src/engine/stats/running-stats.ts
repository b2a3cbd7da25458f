/** Plain-data form of {@link RunningStats}, for worker messages and reports. */
export interface RunningStatsJSON {
  readonly count: number;
  readonly mean: number;
  /** Sum of squared deviations from the mean (Welford's M2). */
  readonly m2: number;
  /** `null` when empty (JSON has no ±Infinity). */
  readonly min: number | null;
  readonly max: number | null;
}

function rejectValue(x: number): never {
  throw new RangeError(`RunningStats accepts finite numbers only, found ${x}`);
}

/**
 * Streaming count, mean, variance, min and max in O(1) memory.
 *
 * Welford's update rather than sums of x and x²: simulated quantities often carry a large offset (event
 * timestamps ~1e9 ns, byte counters) with a small spread, where `Σx² − (Σx)²/n` cancels catastrophically.
 * Two accumulators combine exactly with Chan, Golub & LeVeque's pairwise formula, so per-worker or
 * per-replication statistics can be merged without revisiting the data.
 */
export class RunningStats {
  private n = 0;
  private m = 0;
  private m2 = 0;
  private lo = Infinity;
  private hi = -Infinity;

  /** Accumulates every value of `values` into a new instance. */
  static of(values: Iterable<number>): RunningStats {
    const s = new RunningStats();
    for (const x of values) s.add(x);
    return s;
  }

  /** @throws RangeError for NaN or ±Infinity, which would silently poison every later statistic */
  add(x: number): void {
    if (!(x - x === 0)) rejectValue(x); // false exactly for NaN and ±Infinity
    const n = ++this.n;
    const delta = x - this.m;
    this.m += delta / n;
    this.m2 += delta * (x - this.m);
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
  }

  get count(): number {
    return this.n;
  }

  /** Arithmetic mean; NaN when empty. */
  get mean(): number {
    return this.n === 0 ? NaN : this.m;
  }

  /** Sum of the values (mean × count, so it carries the mean's accuracy); 0 when empty. */
  get sum(): number {
    return this.n === 0 ? 0 : this.m * this.n;
  }

  /** Unbiased sample variance (divisor n − 1); NaN for fewer than 2 values. */
  get variance(): number {
    return this.n < 2 ? NaN : this.m2 / (this.n - 1);
  }

  /** Population variance (divisor n); NaN when empty. */
  get populationVariance(): number {
    return this.n === 0 ? NaN : this.m2 / this.n;
  }

  /** Sample standard deviation; NaN for fewer than 2 values. */
  get sd(): number {
    return Math.sqrt(this.variance);
  }

  /** Standard error of the mean, sd/√n, assuming independent values; NaN for fewer than 2 values. */
  get standardError(): number {
    return Math.sqrt(this.variance / this.n);
  }

  /** Smallest value; NaN when empty. */
  get min(): number {
    return this.n === 0 ? NaN : this.lo;
  }

  /** Largest value; NaN when empty. */
  get max(): number {
    return this.n === 0 ? NaN : this.hi;
  }

  /**
   * Folds `other` into this accumulator (Chan et al. 1979): the result equals one pass over both data
   * sets, up to rounding.
   */
  merge(other: RunningStats): this {
    const nb = other.n;
    if (nb === 0) return this;
    const na = this.n;
    if (na === 0) {
      this.n = nb;
      this.m = other.m;
      this.m2 = other.m2;
    } else {
      const n = na + nb;
      const delta = other.m - this.m;
      this.m += (delta * nb) / n;
      this.m2 += other.m2 + ((delta * delta * na) / n) * nb;
      this.n = n;
    }
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
    return this;
  }

  reset(): void {
    this.n = 0;
    this.m = 0;
    this.m2 = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
  }

  toJSON(): RunningStatsJSON {
    const empty = this.n === 0;
    return { count: this.n, mean: this.m, m2: this.m2, min: empty ? null : this.lo, max: empty ? null : this.hi };
  }

  /** @throws RangeError when the data cannot come from {@link toJSON} */
  static fromJSON(data: RunningStatsJSON): RunningStats {
    const { count, mean, m2, min, max } = data;
    const ok =
      Number.isSafeInteger(count) &&
      count >= 0 &&
      Number.isFinite(mean) &&
      Number.isFinite(m2) &&
      m2 >= 0 &&
      (count === 0
        ? min === null && max === null && mean === 0 && m2 === 0
        : typeof min === 'number' && typeof max === 'number' && min <= max) &&
      // One value: Welford's update gives mean = the value and m2 = 0 exactly.
      (count !== 1 || (m2 === 0 && mean === min && mean === max));
    if (!ok) throw new RangeError(`invalid RunningStats JSON: ${JSON.stringify(data)}`);
    const s = new RunningStats();
    s.n = count;
    s.m = mean;
    s.m2 = m2;
    s.lo = min ?? Infinity;
    s.hi = max ?? -Infinity;
    return s;
  }
}
