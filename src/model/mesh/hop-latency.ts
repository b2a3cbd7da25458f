/**
 * The proxy hops of a meshed try, drawn per try: the client's sidecar, then the destination pod's inbound
 * sidecar when it has one (mesh-path.ts).
 *
 * Two draws per request make this the mesh's hottest sampling, so the usual shapes are drawn here with
 * their parameters unpacked once: a lognormal as exp(μ + σ·Z) from one standard normal Z drawn by the
 * ziggurat (engine/distributions/ziggurat.ts: one uniform for most draws, where `LogNormal.sample` inverts
 * the normal CDF), a constant as its value; any other distribution through its own `sample`. The draws
 * follow the same distribution as `LogNormal.sample`'s, not the same sequence: a meshed run's numbers
 * differ from those of the code before this file, its statistics do not (test/model/mesh/hop-latency.test.ts).
 * The total lands in {@link drawn} rather than being returned: a double returned from a call V8 does not
 * inline is boxed in a fresh heap number. Measured effect on the mesh bench: docs/benchmarks.md.
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
    // Written out rather than through a helper returning a double: see the module comment.
    let hop = this.form[first] === Form.LogNormal ? Math.exp(this.a[first]! + this.b[first]! * normalZiggurat(rng)) : this.notLogNormal(first, rng);
    if (second >= 0) hop += this.form[second] === Form.LogNormal ? Math.exp(this.a[second]! + this.b[second]! * normalZiggurat(rng)) : this.notLogNormal(second, rng);
    this.drawn = hop;
  }

  private notLogNormal(k: number, rng: Rng): number {
    return this.form[k] === Form.Constant ? this.a[k]! : this.dists[k]!.sample(rng);
  }
}
