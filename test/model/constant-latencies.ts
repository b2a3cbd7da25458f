/**
 * Constant latencies for tests that assert exact values: every link, cost and service time is a
 * `const(...)`, so a request's latency is a sum that a test can write down.
 */
import { expect } from 'vitest';
import type { LatencySummary } from '../../src/model/result.js';
import type { ClientSpec, ConnectionSpec, KubeProxySpec, ModelSpec } from '../../src/model/spec.js';
import { clusterSpec, dist } from './datapath-helpers.js';
import { behaviour, client, loadBalancer } from './fixtures.js';

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

export interface ConstantOptions {
  podsPerNode: number[];
  zones?: string[];
  type?: 'NodePort' | 'LoadBalancer';
  lb?: 'instance' | 'ip';
  policy?: 'Cluster' | 'Local';
  /** Default: kube-proxy (iptables) with COST per new connection. */
  kubeProxy?: Partial<KubeProxySpec>;
  client?: Partial<ClientSpec>;
  connection?: ConnectionSpec;
}

/**
 * Pods serving in exactly SERVICE behind a NodePort Service (default: zone-a, externalTrafficPolicy
 * Cluster, an LB of PROCESSING), links as `network`; one external client sends a request every 10 ms
 * (no request ever waits) to every node's NodePort in turn, on a new connection per request.
 */
export function constantSpec(options: ConstantOptions): ModelSpec {
  return clusterSpec({
    podsPerNode: options.podsPerNode,
    zones: options.zones ?? ['zone-a'],
    network,
    kubeProxy: options.kubeProxy ?? { connectionCost: dist('const(50us)') },
    service: {
      type: options.type ?? 'NodePort',
      externalTrafficPolicy: options.policy ?? 'Cluster',
      loadBalancer: loadBalancer({ kind: options.lb ?? 'instance', processing: dist('const(30us)') }),
    },
    pod: () => ({ behaviour: behaviour({ serviceTime: dist('const(1ms)') }) }),
    clients: [
      client({
        arrival: { kind: 'open', interarrival: dist('const(10ms)') },
        target: { service: 'default/web', port: 80, via: 'nodePort', nodes: [] },
        connection: options.connection ?? { kind: 'per-request' },
        ...options.client,
      }),
    ],
  });
}

/** Every latency in `s` is `value` (min and max are exact, not bucketed), and `count` of them if given. */
export function exactly(s: LatencySummary, value: number, count?: number): void {
  expect(s.min!).toBeCloseTo(value, 12);
  expect(s.max!).toBeCloseTo(value, 12);
  if (count !== undefined) expect(s.count).toBe(count);
}
