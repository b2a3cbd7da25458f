/**
 * The objects a service mesh is configured by, as real clusters hold them. Tolerant like every Kubernetes
 * kind: fields the simulator does not read are dropped (and likely typos of fields it reads warned of).
 *
 * - `v1 Namespace`: its labels (`istio-injection`, `istio.io/rev`) and annotations (`linkerd.io/inject`)
 *   enable sidecars for its pods.
 * - Istio `DestinationRule` (networking.istio.io v1, v1beta1, v1alpha3): `trafficPolicy.loadBalancer.simple`
 *   and `trafficPolicy.outlierDetection` for one host.
 * - Istio `VirtualService`: the first HTTP route's `retries` and `timeout` for its hosts.
 */
import { z } from 'zod';
import { duration, kindSchema, nonNegativeInt } from '../values.js';
import { labelName, objectMeta } from './meta.js';

export const namespaceSchema = kindSchema(() => z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Namespace'),
  metadata: objectMeta(labelName()),
}));

export type NamespaceObject = z.output<typeof namespaceSchema>;

/** The apiVersions Istio serves its networking kinds under. */
export const ISTIO_NETWORKING_APIS = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'] as const;

const percent = () => z.number().min(0).max(100);

export const destinationRuleSchema = kindSchema(() => z.object({
  apiVersion: z.enum(ISTIO_NETWORKING_APIS),
  kind: z.literal('DestinationRule'),
  metadata: objectMeta(),
  spec: z.object({
    host: z.string().min(1),
    trafficPolicy: z
      .object({
        loadBalancer: z
          .object({
            simple: z.enum(['UNSPECIFIED', 'LEAST_REQUEST', 'LEAST_CONN', 'ROUND_ROBIN', 'RANDOM', 'PASSTHROUGH']).optional(),
            consistentHash: z.unknown().optional(),
          })
          .optional(),
        outlierDetection: z
          .object({
            consecutive5xxErrors: nonNegativeInt().optional(),
            consecutiveGatewayErrors: nonNegativeInt().optional(),
            /** Deprecated name of consecutiveGatewayErrors-like counting (Istio < 1.5). */
            consecutiveErrors: nonNegativeInt().optional(),
            interval: duration().optional(),
            baseEjectionTime: duration().optional(),
            maxEjectionPercent: percent().optional(),
          })
          .optional(),
      })
      .optional(),
  }),
}));

export type DestinationRuleObject = z.output<typeof destinationRuleSchema>;

export const virtualServiceSchema = kindSchema(() => z.object({
  apiVersion: z.enum(ISTIO_NETWORKING_APIS),
  kind: z.literal('VirtualService'),
  metadata: objectMeta(),
  spec: z.object({
    hosts: z.array(z.string().min(1)).optional(),
    http: z
      .array(
        z.object({
          match: z.unknown().optional(),
          timeout: duration().optional(),
          retries: z
            .object({
              attempts: nonNegativeInt().optional(),
              perTryTimeout: duration().optional(),
              retryOn: z.string().optional(),
            })
            .optional(),
        }),
      )
      .optional(),
  }),
}));

export type VirtualServiceObject = z.output<typeof virtualServiceSchema>;
