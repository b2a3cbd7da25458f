/**
 * The proxy hops of a meshed try, drawn per try: the client's sidecar, then the destination pod's inbound
 * sidecar when it has one (mesh-path.ts).
 *
 * Two draws per request make this the mesh's hottest sampling, so the usual shapes are drawn here with
 * their parameters unpacked once: a lognormal as exp(μ + σ·Φ⁻¹(u)) from one uniform, exactly what
 * `LogNormal.sample` computes (same uniforms, same arithmetic, same values), and a constant as its value.
 * Any other distribution goes through its own `sample`. The total lands in {@link drawn} rather than being
 * returned: a double returned from a call V8 does not inline is boxed in a fresh heap number, and the
 * polymorphic `Distribution.sample` call it replaces did just that, twice per request (measured: 5-6 of the
 * mesh bench's minor GCs per 500,000 requests, and ~15 % of its rate; docs/benchmarks.md).
 */
import { Constant } from '../../engine/distributions/constant.js';
import type { Distribution } from '../../engine/distributions/distribution.js';
import { LogNormal } from '../../engine/distributions/lognormal.js';
import { normalZiggurat } from '../../engine/distributions/ziggurat.js';
import type { Rng } from '../../engine/random.js';

const Form = { LogNormal: 0, Constant: 1, Other: 2 } as const;

export class HopLatencies {
  /** The hop latency drawn by the last {@link draw}, in seconds. */
  drawn = 0;
  private readonly form: Uint8Array;
  /** Lognormal: μ and σ of the logarithm; constant: the value (in `a`). */
  private readonly a: Float64Array;
  private readonly b: Float64Array;

  constructor(private readonly dists: readonly Distribution[]) {
    const n = dists.length;
    this.form = new Uint8Array(n);
    this.a = new Float64Array(n);
    this.b = new Float64Array(n);
    dists.forEach((d, k) => {
      if (d instanceof LogNormal) {
        this.form[k] = Form.LogNormal;
        this.a[k] = d.mu;
        this.b[k] = d.sigma;
      } else if (d instanceof Constant) {
        this.form[k] = Form.Constant;
        this.a[k] = d.value;
      } else this.form[k] = Form.Other;
    });
  }

  /** One hop of kind `first`, then (when `second` ≥ 0) one of kind `second`, drawn in that order from `rng`; their sum into {@link drawn}. */
  draw(first: number, second: number, rng: Rng): void {
    let hop = this.one(first, rng);
    if (second >= 0) hop += this.one(second, rng);
    this.drawn = hop;
  }

  private one(k: number, rng: Rng): number {
    const form = this.form[k]!;
    if (form === Form.LogNormal) return Math.exp(this.a[k]! + this.b[k]! * normalZiggurat(rng));
    if (form === Form.Constant) return this.a[k]!;
    return this.dists[k]!.sample(rng);
  }
}
