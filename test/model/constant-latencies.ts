/**
 * Constant latencies for tests that assert exact values: every link, cost and service time is a
 * `const(...)`, so a request's latency is a sum that a test can write down.
 */
import { dist } from './datapath-helpers.js';

export const us = 1e-6;
export const SAME_NODE = 20 * us;
export const SAME_ZONE = 100 * us;
export const CROSS_ZONE = 700 * us;
export const EXTERNAL = 1000 * us;
export const LB = 50 * us;
export const FORWARDING = 10 * us;
export const COST = 50 * us;
export const PROCESSING = 30 * us;
export const SERVICE = 1000 * us;

export const network = {
  sameNode: dist('const(20us)'),
  sameZone: dist('const(100us)'),
  crossZone: dist('const(700us)'),
  external: dist('const(1ms)'),
  loadBalancerToBackend: dist('const(50us)'),
  forwarding: dist('const(10us)'),
};
