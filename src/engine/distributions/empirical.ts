import type { Rng } from '../random.js';
import { expectedText, scanQuantity } from '../units.js';
import { unifyDimension, type ValueDimension } from './dimension.js';
import { assertParameter, canonicalCall, type Distribution } from './distribution.js';

/**
 * `empirical(samples.csv)`: replays measured values. Draws invert the empirical CDF with linear
 * interpolation between order statistics: with n sorted samples x0..x(n-1), a uniform u maps to position
 * h = u·(n-1) and returns x⌊h⌋ + (h - ⌊h⌋)·(x⌊h⌋+1 - x⌊h⌋). The result is continuous, stays within
 * [min, max], and its mean is (Σx - (x0 + x(n-1))/2) / (n-1), not quite the sample mean.
 */
export class Empirical implements Distribution {
  readonly mean: number;
  readonly size: number;
  /** Sorted samples plus a copy of the maximum, so x[i + 1] exists even for n = 1. */
  private readonly sorted: Float64Array;
  private readonly span: number;
  private readonly text: string;

  constructor(
    samples: ArrayLike<number>,
    /** Where the samples came from; the canonical string is `empirical(<source>)`. */
    readonly source: string,
    readonly dimension: ValueDimension = 'number',
  ) {
    const n = samples.length;
    assertParameter(n > 0, 'empirical needs at least one sample');
    const sorted = new Float64Array(n + 1);
    sorted.set(samples);
    sorted[n] = Infinity; // keep the pad slot last while sorting
    sorted.sort();
    assertParameter(sorted[0] >= 0 && Number.isFinite(sorted[n - 1]), 'empirical samples must be finite and >= 0');
    sorted[n] = sorted[n - 1];
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sorted[i];
    this.mean = n === 1 ? sorted[0] : (sum - (sorted[0] + sorted[n - 1]) / 2) / (n - 1);
    this.size = n;
    this.sorted = sorted;
    this.span = n - 1;
    this.text = canonicalCall('empirical', [quotePath(source)]);
  }

  sample(rng: Rng): number {
    return this.quantile(rng());
  }

  quantile(p: number): number {
    const h = p * this.span;
    const i = Math.floor(h);
    const x = this.sorted;
    if (i >= this.span) return x[this.span];
    return x[i] + (h - i) * (x[i + 1] - x[i]);
  }

  toString(): string {
    return this.text;
  }
}

/** Paths print bare when the parser would read them back as one word, quoted otherwise. */
function quotePath(path: string): string {
  if (path !== '' && !/[\s(),=:'"]/.test(path)) return path;
  return path.includes('"') ? `'${path}'` : `"${path}"`;
}

/** A problem in a sample file, with its 1-based line number (0 when not about one line). */
export class SampleFileError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface SampleFile {
  readonly values: Float64Array;
  /** Undefined when every value is a bare 0, which fits any dimension. */
  readonly dimension: ValueDimension | undefined;
}

/**
 * Reads one value per line: `3ms`, `0.0042s`, `512` ... Blank lines and `#` comments are skipped, and a
 * first line that is not a number (`latency`) is taken as a header. Values must share a dimension with
 * each other and with `expected` (the dimension already established by the caller, if any).
 */
export function readSamples(contents: string, expected: ValueDimension | undefined): SampleFile {
  const values: number[] = [];
  let dimension = expected;
  let first = true;
  const lines = contents.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === '' || line.startsWith('#')) continue;
    const scan = scanQuantity(line, 0, line.length);
    const isHeader = first && !/^[-+.\d]/.test(line);
    first = false;
    if (isHeader) continue;
    const what = expectedText(dimension ?? 'duration') + (dimension === undefined ? ' or a plain number' : '');
    if (!scan.ok) throw new SampleFileError(`expected ${what}, found '${line}' (${scan.hint})`, index + 1);
    const unified = unifyDimension(dimension, scan);
    if (!unified.ok) throw new SampleFileError(`expected ${what}, found ${unified.found} '${line}'`, index + 1);
    if (scan.value < 0) throw new SampleFileError(`expected a value >= 0, found '${line}'`, index + 1);
    dimension = unified.dimension;
    values.push(scan.value);
  }
  if (values.length === 0) throw new SampleFileError('expected at least one sample, found none', 0);
  return { values: Float64Array.from(values), dimension };
}
