/**
 * v1 Service, with the API server's own checks that matter to the data path (messages follow
 * Kubernetes' wording where it has one). Allocation of cluster IPs and node ports is in allocation.ts.
 */
import { z } from 'zod';
import { parseIPv4 } from '../ipv4.js';
import { ipv4, kindSchema, port, stringMap } from '../values.js';
import { labelName, objectMeta } from './meta.js';

const servicePort = () =>
  z.object({
    name: z.string().min(1).optional(),
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
    port: port(),
    targetPort: z.union([port(), z.string().min(1)], { error: 'a port number (1-65535) or the name of a container port' }).optional(),
    nodePort: z.int().optional(),
    /** Printed by kubectl, not read: the protocol is the model's (HTTP unless told). */
    appProtocol: z.string().optional(),
  });

const serviceSpec = () =>
  z
    .object({
      type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).default('ClusterIP'),
      clusterIP: z.string().optional(),
      /** Fields a live Service carries (`kubectl get -o yaml`): accepted, not read (the model is IPv4 single-stack). */
      clusterIPs: z.array(z.string()).optional(),
      ipFamilies: z.array(z.string()).optional(),
      ipFamilyPolicy: z.string().optional(),
      loadBalancerClass: z.string().optional(),
      loadBalancerSourceRanges: z.array(z.string()).optional(),
      selector: stringMap().optional(),
      ports: z.array(servicePort()).optional(),
      externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
      internalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
      sessionAffinity: z.enum(['None', 'ClientIP']).default('None'),
      sessionAffinityConfig: z
        .object({ clientIP: z.object({ timeoutSeconds: z.int().min(1).max(86400).optional() }).optional() })
        .optional(),
      trafficDistribution: z.enum(['PreferSameZone', 'PreferSameNode', 'PreferClose']).optional(),
      externalIPs: z.array(ipv4()).optional(),
      loadBalancerIP: ipv4().optional(),
      externalName: z.string().min(1).optional(),
      publishNotReadyAddresses: z.boolean().optional(),
      healthCheckNodePort: z.int().optional(),
      allocateLoadBalancerNodePorts: z.boolean().optional(),
    })
    .superRefine((spec, ctx) => {
      const headless = spec.clusterIP === 'None';
      const ports = spec.ports ?? [];
      if (spec.type === 'ExternalName') {
        if (!spec.externalName) {
          ctx.addIssue({ code: 'custom', path: ['externalName'], input: undefined, message: 'required when type is ExternalName', params: { expected: 'a DNS name such as my.database.example.com', found: 'nothing' } });
        }
        return;
      }
      if (ports.length === 0 && !headless) {
        ctx.addIssue({ code: 'custom', path: ['ports'], input: spec.ports, message: 'a Service needs at least one port (only headless Services may have none)', params: { expected: 'at least one port', found: spec.ports === undefined ? 'nothing' : 'an empty list' } });
      }
      if (headless && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
        ctx.addIssue({ code: 'custom', path: ['clusterIP'], input: spec.clusterIP, message: `may not be set to 'None' for ${spec.type} services` });
      }
      const names = new Set<string>();
      const keys = new Set<string>();
      ports.forEach((p, i) => {
        if (ports.length > 1 && !p.name) {
          ctx.addIssue({ code: 'custom', path: ['ports', i, 'name'], input: undefined, message: 'each port needs a name when a Service has more than one', params: { expected: 'a port name', found: 'nothing' } });
        }
        if (p.name) {
          if (names.has(p.name)) ctx.addIssue({ code: 'custom', path: ['ports', i, 'name'], input: p.name, message: `duplicate port name "${p.name}"` });
          names.add(p.name);
        }
        const key = `${p.port}/${p.protocol}`;
        if (keys.has(key)) ctx.addIssue({ code: 'custom', path: ['ports', i, 'port'], input: p.port, message: `duplicate port ${key}` });
        keys.add(key);
        if (p.nodePort !== undefined && spec.type === 'ClusterIP') {
          ctx.addIssue({ code: 'custom', path: ['ports', i, 'nodePort'], input: p.nodePort, message: "may not be used when `type` is 'ClusterIP'" });
        }
      });
    });

export const serviceSchema = kindSchema(() => z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata: objectMeta(labelName()),
  spec: serviceSpec(),
  /** `kubectl get -o yaml` prints the LB's address here (an IPv6 one is not read: the model is IPv4). */
  status: z
    .object({
      loadBalancer: z
        .object({
          ingress: z
            .array(
              z.object({
                ip: z.string().optional().transform((ip) => (ip !== undefined && parseIPv4(ip) !== undefined ? ip.trim() : undefined)),
                hostname: z.string().optional(),
                ipMode: z.string().optional(),
              }),
            )
            .optional(),
        })
        .optional(),
    })
    .optional(),
}));

export type ServiceObject = z.output<typeof serviceSchema>;
export type ServicePortObject = NonNullable<ServiceObject['spec']['ports']>[number];
