/** Balancer configurations and scripted random draws for the ingress balancer unit tests. */
import type { Rng } from '../../../src/engine/random.js';
import { Affinity, HashBy, type BalancerConfig } from '../../../src/model/ingress/balancer.js';

/** Endpoint ids `10.244.<e>.2:8080`, in endpoint order. */
export function endpointIds(n: number): string[] {
  return Array.from({ length: n }, (_, e) => `10.244.${e}.2:8080`);
}

/** A random stream that returns `draws` in order, then fails the test (so a test states every draw it uses). */
export function draws(...values: number[]): Rng {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error(`scripted rng: draw ${i + 1} requested, only ${values.length} given`);
    return values[i++]!;
  };
}

/** The same value for ever. */
export const always = (u: number): Rng => () => u;

/** A balancer configuration over `n` endpoints of weight 1, one controller pod with one worker, no hashing. */
export function balancerConfig(n: number, overrides: Partial<BalancerConfig> = {}): BalancerConfig {
  const controllers = overrides.controllers ?? 1;
  return {
    ids: endpointIds(n),
    weights: Array.from({ length: n }, () => 1),
    algorithm: 'round_robin',
    hashBy: HashBy.None,
    hashConsistent: false,
    affinity: Affinity.None,
    controllers,
    workers: 1,
    sessions: 0,
    rngs: Array.from({ length: controllers }, () => always(0)),
    nodeNet24: new Int32Array(0),
    maxFails: 0,
    failTimeout: 10,
    ...overrides,
  };
}
