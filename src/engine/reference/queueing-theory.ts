/**
 * Closed-form results of classical queueing theory: the yardstick the engine and the model are checked
 * against. λ is the arrival rate, μ the service rate of one server, c the number of servers, a = λ/μ the
 * offered load in Erlangs. All times in seconds.
 */

function requireStable(rho: number): void {
  if (!(rho < 1)) throw new RangeError(`queue is unstable (utilisation ${rho} >= 1)`);
}

/** M/M/1 mean sojourn (wait + service): 1/(μ−λ). */
export function mm1MeanSojourn(lambda: number, mu: number): number {
  requireStable(lambda / mu);
  return 1 / (mu - lambda);
}

/** M/M/1 sojourn time is exponential: its q-quantile is −ln(1−q) × mean. */
export function mm1SojournQuantile(lambda: number, mu: number, q: number): number {
  return -Math.log(1 - q) * mm1MeanSojourn(lambda, mu);
}

/**
 * Erlang B: blocking probability of M/M/c/c with offered load a, by the stable recurrence
 * B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
 */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: probability that an arrival waits in M/M/c, from Erlang B: C = B / (1 − ρ(1 − B)). */
export function erlangC(c: number, a: number): number {
  const rho = a / c;
  requireStable(rho);
  const b = erlangB(c, a);
  return b / (1 - rho * (1 - b));
}

/** M/M/c mean wait in queue: C(c, a) / (cμ − λ). */
export function mmcMeanWait(lambda: number, mu: number, c: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/** M/M/c mean sojourn: mean wait + 1/μ. */
export function mmcMeanSojourn(lambda: number, mu: number, c: number): number {
  return mmcMeanWait(lambda, mu, c) + 1 / mu;
}

/** M/D/1 mean wait (Pollaczek–Khinchine with zero service variance): ρ / (2μ(1−ρ)). */
export function md1MeanWait(lambda: number, mu: number): number {
  const rho = lambda / mu;
  requireStable(rho);
  return rho / (2 * mu * (1 - rho));
}

/** M/G/1 mean wait (Pollaczek–Khinchine): λ·E[S²] / (2(1−ρ)). */
export function mg1MeanWait(lambda: number, meanService: number, secondMomentService: number): number {
  const rho = lambda * meanService;
  requireStable(rho);
  return (lambda * secondMomentService) / (2 * (1 - rho));
}
