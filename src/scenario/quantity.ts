/**
 * Kubernetes resource quantities (`k8s.io/apimachinery/pkg/api/resource`, `Quantity`): a number with an
 * optional binary suffix (Ki Mi Gi Ti Pi Ei), decimal suffix (n u m k M G T P E) or exponent (`129e6`).
 * `500m` CPU is half a core; `1Gi` memory is 2^30 bytes. Returns NaN when the text is not a quantity.
 */
const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const FORM = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

export function parseQuantity(text: string | number): number {
  if (typeof text === 'number') return Number.isFinite(text) ? text : NaN;
  const m = FORM.exec(text.trim());
  if (!m) return NaN;
  const value = Number(m[1]);
  if (m[2] !== undefined) return Number(`${m[1]}${m[2]}`);
  const suffix = m[3] ?? '';
  return value * (BINARY[suffix] ?? DECIMAL[suffix]!);
}
