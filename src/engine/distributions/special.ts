/**
 * Special functions the families need: the standard normal CDF, its inverse and the gamma function.
 * Hand-written so the engine has no numerical dependency; accuracy is ~1e-14 relative near the centre and
 * ~1e-13 in the tails (1e-12 for Γ near its overflow at 171), checked against tabulated values in the tests.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Standard normal CDF Φ(x). Near the centre, the series Φ(x) = 1/2 + φ(x) Σ x^(2n+1)/(2n+1)!!
 * (Abramowitz & Stegun 26.2.11); in the tails, the continued fraction for the Mills ratio
 * Φ(-t) = φ(t) / (t + 1/(t + 2/(t + 3/(t + ...)))), which keeps full relative accuracy far out.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 0) return 1 - normalCdf(-x);
  const t = -x;
  if (t < 2.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
      if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
    }
    return 0.5 + normalPdf(x) * sum;
  }
  let fraction = t;
  for (let k = 120; k >= 1; k--) fraction = t + k / fraction;
  return normalPdf(t) / fraction;
}

// Wichura's algorithm AS 241 (PPND16), Applied Statistics 37(3), 1988: relative accuracy ~1e-16.
const A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
];
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

/** Degree-7 polynomial by Horner's rule; written out so the hot path makes no calls and no arrays. */
function poly7(c: readonly number[], r: number): number {
  return (
    ((((((c[7] * r + c[6]) * r + c[5]) * r + c[4]) * r + c[3]) * r + c[2]) * r + c[1]) * r + c[0]
  );
}

/**
 * Standard normal quantile Φ⁻¹(p): -Infinity at 0, +Infinity at 1. Used to sample normals by inversion,
 * one uniform per draw and no state between calls (unlike Box–Muller's cached spare).
 */
export function normalQuantile(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly7(A, r)) / poly7(B, r);
  }
  let r = q < 0 ? p : 1 - p;
  if (!(r > 0)) return r === 0 ? (q < 0 ? -Infinity : Infinity) : NaN;
  r = Math.sqrt(-Math.log(r));
  const z = r <= 5 ? poly7(C, r - 1.6) / poly7(D, r - 1.6) : poly7(E, r - 5) / poly7(F, r - 5);
  return q < 0 ? -z : z;
}

// Lanczos approximation, g = 7, n = 9 (the widely published coefficient set), ~1e-15 relative.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** The gamma function Γ(x) for real x (reflection below 1/2). */
export function gammaFunction(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gammaFunction(1 - x));
  const y = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (y + i);
  const t = y + 7.5;
  const half = Math.pow(t, (y + 0.5) / 2); // t^(y+1/2) in two halves so Γ(171) does not overflow early
  return SQRT_2PI * half * (half * Math.exp(-t)) * sum;
}
