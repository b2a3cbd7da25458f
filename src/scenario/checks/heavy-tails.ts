/**
 * `pareto(...)` with a small shape, wherever a distribution is written (issue 15, item 6): with shape <= 1
 * the mean is infinite, so a mean over any run is meaningless and grows with the run; with shape <= 2 the
 * variance is infinite, so sample means converge slowly and confidence intervals computed from the
 * sample variance are too narrow. Both are warnings: a heavy tail may be what is meant.
 *
 * Every string of every resource that mentions `pareto` is parsed again (after validation, which has
 * already reported the ones that do not parse) and the Pareto distributions in it, mixtures included,
 * are looked at.
 */
import { Pareto, parseDistribution, type ValueDimension } from '../../engine/distributions/index.js';
import type { Problems } from '../problems.js';
import type { Resource } from '../resource.js';
import type { FieldPath } from '../source-map.js';

const DIMENSIONS: readonly ValueDimension[] = ['duration', 'bytes', 'number'];

/** The Pareto distributions inside a parsed distribution (a mixture's components included). */
function paretos(value: unknown, out: Pareto[], seen: Set<unknown>, depth = 0): void {
  if (value === null || typeof value !== 'object' || seen.has(value) || depth > 8) return;
  seen.add(value);
  if (value instanceof Pareto) {
    out.push(value);
    return;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) paretos(v, out, seen, depth + 1);
}

function parsed(text: string): Pareto[] {
  for (const expect of DIMENSIONS) {
    try {
      const found: Pareto[] = [];
      // Sample files are not read again: a Pareto is never inside one.
      paretos(parseDistribution(text, { expect, readFile: () => '0\n' }), found, new Set());
      return found;
    } catch {
      // another dimension, or not a distribution (validation has said so)
    }
  }
  return [];
}

function walk(value: unknown, path: FieldPath, visit: (text: string, path: FieldPath) => void, depth = 0): void {
  if (depth > 64) return;
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], visit, depth + 1));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit, depth + 1);
}

export function checkHeavyTails(resources: readonly Resource[], problems: Problems): void {
  for (const res of resources) {
    walk(res.value, [], (text, path) => {
      if (!/pareto/i.test(text)) return;
      const shapes = parsed(text).map((p) => p.shape);
      if (shapes.length === 0) return;
      const least = Math.min(...shapes);
      if (least <= 1) {
        problems.warn(res, path, `pareto with shape ${least} has an infinite mean: the mean latency of a run means nothing and grows with the run length (the percentiles are still defined); use a shape above 1, or above 2 for a finite variance`);
      } else if (least <= 2) {
        problems.warn(res, path, `pareto with shape ${least} has an infinite variance: sample means converge slowly and confidence intervals from replications are unreliable (too narrow); prefer percentiles, or use a shape above 2`);
      }
    });
  }
}
