/**
 * netsim/v1 Cluster: what Kubernetes manifests do not say — nodes and zones, link latencies, kube-proxy,
 * the load balancer in front of LoadBalancer Services, and address ranges. Strict: an unknown field is an
 * error (it is almost always a typo). Every field is optional; defaults.ts says what an absent one means.
 */
import { z } from 'zod';
import { parseCidr } from '../ipv4.js';
import { distribution, duration, fail, ipv4, nonNegativeInt, positiveInt, stringMap } from '../values.js';
import { netsimMeta } from './meta.js';

const cidr = () =>
  z.string().transform((s, ctx): string => {
    const c = parseCidr(s);
    if (!c) return fail(ctx, s, { expected: 'a CIDR block such as 10.96.0.0/12' });
    return c.text;
  });

const portRange = () =>
  z.string().transform((s, ctx): { min: number; max: number } => {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(s);
    const min = m ? Number(m[1]) : NaN;
    const max = m ? Number(m[2]) : NaN;
    if (!m || min < 1 || max > 65535 || min > max) return fail(ctx, s, { expected: 'a port range such as 30000-32767' });
    return { min, max };
  });

export const taintSchema = () =>
  z.strictObject({
    key: z.string().min(1),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  });

const nodeSchema = () =>
  z.strictObject({
    name: z.string().min(1),
    zone: z.string().min(1).optional(),
    ip: ipv4().optional(),
    /** Allocatable CPU cores. */
    cpu: z.number().positive().optional(),
    labels: stringMap().optional(),
    /** e.g. a kubeadm control-plane node: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}] */
    taints: z.array(taintSchema()).optional(),
  });

const zoneSchema = () =>
  z.strictObject({
    name: z.string().min(1),
    /** How many nodes to generate in this zone: `<zone>-node-1`, `<zone>-node-2`, ... */
    nodes: positiveInt().max(5000), // Kubernetes' largest supported cluster
    cpu: z.number().positive().optional(),
    labels: stringMap().optional(),
    taints: z.array(taintSchema()).optional(),
  });

const dist = () => distribution().optional();

export const clusterSchema = z.strictObject({
    apiVersion: z.literal('netsim/v1'),
    kind: z.literal('Cluster'),
    metadata: netsimMeta().optional(),
    spec: z
      .strictObject({
        /** Region label (`topology.kubernetes.io/region`) on every node. */
        region: z.string().min(1).optional(),
        zones: z.array(zoneSchema()).optional(),
        nodes: z.array(nodeSchema()).optional(),
        serviceCIDR: cidr().optional(),
        podCIDR: cidr().optional(),
        nodeCIDR: cidr().optional(),
        loadBalancerCIDR: cidr().optional(),
        nodePortRange: portRange().optional(),
        network: z
          .strictObject({
            sameNode: dist(),
            sameZone: dist(),
            crossZone: dist(),
            external: dist(),
            loadBalancerToBackend: dist(),
            forwarding: dist(),
            crossZoneCostPerGB: z.number().min(0).optional(),
          })
          .optional(),
        kubeProxy: z
          .strictObject({
            mode: z.enum(['iptables', 'ipvs', 'nftables']).optional(),
            ipvsScheduler: z.enum(['rr', 'wrr', 'lc', 'wlc', 'sh', 'dh', 'sed', 'nq']).optional(),
            servicePorts: nonNegativeInt().optional(),
            connectionCost: dist(),
            conntrackMax: positiveInt().optional(),
          })
          .optional(),
        loadBalancer: z
          .strictObject({
            kind: z.enum(['instance', 'ip', 'metallb-l2']).optional(),
            crossZone: z.boolean().optional(),
            zones: z.array(z.string().min(1)).optional(),
            processing: dist(),
            healthCheck: z
              .strictObject({
                interval: duration().optional(),
                healthyThreshold: positiveInt().optional(),
                unhealthyThreshold: positiveInt().optional(),
              })
              .optional(),
          })
          .optional(),
      })
      .default({}),
});

export type ClusterObject = z.output<typeof clusterSchema>;
export type ClusterSpecObject = ClusterObject['spec'];
export type Taint = z.output<ReturnType<typeof taintSchema>>;
