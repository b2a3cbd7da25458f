/**
 * The families of the distribution language: their argument names, which combinations define a
 * distribution, and how each becomes an object. The generic call syntax (positional and named arguments,
 * error offsets) lives in `parse.ts`; `mixture(...)`, whose arguments are distributions, is parsed there.
 */
import { formatQuantity } from '../units.js';
import { Constant } from './constant.js';
import type { ValueDimension } from './dimension.js';
import type { Distribution } from './distribution.js';
import { Empirical } from './empirical.js';
import { Erlang } from './erlang.js';
import { Exponential } from './exponential.js';
import { Gamma } from './gamma.js';
import { LogNormal } from './lognormal.js';
import { TruncatedNormal } from './normal.js';
import { Pareto } from './pareto.js';
import { Uniform } from './uniform.js';
import { Weibull } from './weibull.js';

/** Typed access to one call's arguments; every getter reports errors at the argument's own offset. */
export interface FamilyArgs {
  /** The dimension of the values read so far (`number` until a unit has been seen). */
  dimension(): ValueDimension;
  has(name: string): boolean;
  /** The argument as written, for messages. */
  text(name: string): string;
  /** A value in the distribution's dimension (`2ms`, or a plain number). */
  value(name: string, minimum: 'positive' | 'non-negative'): number;
  /** A positive rate: `500/s` when values are durations, a plain number otherwise. */
  rate(name: string): number;
  /** A positive plain number. */
  shape(name: string): number;
  /** A whole number >= 1. */
  count(name: string): number;
  /** Samples read from the file the argument names. */
  samples(name: string): { readonly values: Float64Array; readonly source: string };
  fail(name: string, message: string): never;
}

export interface Family {
  readonly name: string;
  /** Accepted argument names, each mapped to its canonical name. */
  readonly names: ReadonlyMap<string, string>;
  /** Canonical names bound by positional arguments, in order (empty: named arguments only). */
  readonly positional: readonly string[];
  /** The argument sets that define a distribution; a call must give exactly one of them. */
  readonly forms: readonly (readonly string[])[];
  /** Example calls quoted in error messages. */
  readonly usage: string;
  build(args: FamilyArgs): Distribution;
}

interface FamilySpec extends Omit<Family, 'names'> {
  readonly aliases?: Readonly<Record<string, string>>;
}

function define(spec: FamilySpec): Family {
  const names = new Map<string, string>();
  for (const form of spec.forms) for (const name of form) names.set(name, name);
  for (const [alias, name] of Object.entries(spec.aliases ?? {})) names.set(alias, name);
  return { ...spec, names };
}

/** Reports `name` unless its value exceeds `bound`'s: `uniform(3ms, 1ms)`, `p99` below the median. */
function requireAbove(args: FamilyArgs, name: string, value: number, bound: string, boundValue: number): void {
  if (value <= boundValue) {
    const shown = formatQuantity(boundValue, args.dimension());
    args.fail(name, `expected '${name}' greater than ${bound} ${shown}, found '${args.text(name)}'`);
  }
}

const FAMILIES: readonly Family[] = [
  define({
    name: 'const',
    forms: [['value']],
    positional: ['value'],
    usage: 'const(1ms)',
    build: (a) => new Constant(a.value('value', 'non-negative'), a.dimension()),
  }),
  define({
    name: 'uniform',
    forms: [['min', 'max']],
    positional: ['min', 'max'],
    usage: 'uniform(1ms, 3ms)',
    build: (a) => {
      const min = a.value('min', 'non-negative');
      const max = a.value('max', 'positive');
      requireAbove(a, 'max', max, "'min'", min);
      return new Uniform(min, max, a.dimension());
    },
  }),
  define({
    name: 'exp',
    forms: [['mean'], ['rate']],
    positional: ['mean'],
    usage: 'exp(mean=2ms) or exp(rate=500/s)',
    build: (a) =>
      a.has('rate')
        ? Exponential.withRate(a.rate('rate'), a.dimension())
        : Exponential.withMean(a.value('mean', 'positive'), a.dimension()),
  }),
  define({
    name: 'erlang',
    forms: [['k', 'mean']],
    positional: ['k', 'mean'],
    usage: 'erlang(k=4, mean=2ms)',
    build: (a) => new Erlang(a.count('k'), a.value('mean', 'positive'), a.dimension()),
  }),
  define({
    name: 'gamma',
    forms: [
      ['shape', 'mean'],
      ['shape', 'scale'],
    ],
    positional: ['shape', 'scale'],
    usage: 'gamma(shape=2, mean=2ms) or gamma(shape=2, scale=1ms)',
    build: (a) => {
      const shape = a.shape('shape');
      return a.has('mean')
        ? Gamma.withMean(shape, a.value('mean', 'positive'), a.dimension())
        : Gamma.withScale(shape, a.value('scale', 'positive'), a.dimension());
    },
  }),
  define({
    name: 'normal',
    forms: [['mean', 'sd']],
    positional: ['mean', 'sd'],
    usage: 'normal(mean=2ms, sd=0.5ms)',
    build: (a) => new TruncatedNormal(a.value('mean', 'non-negative'), a.value('sd', 'positive'), a.dimension()),
  }),
  define({
    name: 'lognormal',
    forms: [
      ['median', 'p99'],
      ['mean', 'sd'],
      ['median', 'sigma'],
    ],
    positional: [],
    usage: 'lognormal(median=3ms, p99=40ms) or lognormal(mean=2ms, sd=1ms)',
    build: (a) => {
      if (a.has('mean')) return LogNormal.fromMeanSd(a.value('mean', 'positive'), a.value('sd', 'positive'), a.dimension());
      const median = a.value('median', 'positive');
      if (a.has('sigma')) return LogNormal.fromMedianSigma(median, a.shape('sigma'), a.dimension());
      const p99 = a.value('p99', 'positive');
      requireAbove(a, 'p99', p99, 'the median', median);
      return LogNormal.fromMedianP99(median, p99, a.dimension());
    },
  }),
  define({
    name: 'pareto',
    forms: [['scale', 'shape']],
    aliases: { min: 'scale', alpha: 'shape' },
    positional: ['scale', 'shape'],
    usage: 'pareto(scale=1ms, shape=2.5)',
    build: (a) => new Pareto(a.value('scale', 'positive'), a.shape('shape'), a.dimension()),
  }),
  define({
    name: 'weibull',
    forms: [['shape', 'scale']],
    positional: ['shape', 'scale'],
    usage: 'weibull(shape=1.5, scale=2ms)',
    build: (a) => {
      const shape = a.shape('shape');
      return new Weibull(shape, a.value('scale', 'positive'), a.dimension());
    },
  }),
  define({
    name: 'empirical',
    forms: [['file']],
    positional: ['file'],
    usage: 'empirical(samples.csv)',
    build: (a) => {
      const { values, source } = a.samples('file');
      return new Empirical(values, source, a.dimension());
    },
  }),
];

/** Family names in the order error messages list them. `mixture` is handled by the parser itself. */
export const FAMILY_NAMES: readonly string[] = [...FAMILIES.map((f) => f.name), 'mixture'];

export const MIXTURE_USAGE = 'mixture(0.95: exp(mean=2ms), 0.05: const(200ms))';

export function findFamily(name: string): Family | undefined {
  return FAMILIES.find((f) => f.name === name);
}
