/**
 * discovery.k8s.io/v1 EndpointSlice, as a dump holds it: not simulated (the simulator derives endpoints
 * from the pods and the Service's selector, as the EndpointSlice controller does), but compared with what
 * it derives, so that a dump whose pods and slices disagree says so (check-endpoint-slices.ts).
 */
import { z } from 'zod';
import { kindSchema } from '../values.js';
import { liveMeta } from './owners.js';

/** The label that ties a slice to its Service (k/k `discovery.LabelServiceName`). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const endpoint = () =>
  z.object({
    addresses: z.array(z.string()).optional(),
    /** Absent conditions mean ready and serving (the API's documented interpretation of nil). */
    conditions: z
      .object({ ready: z.boolean().nullish(), serving: z.boolean().nullish(), terminating: z.boolean().nullish() })
      .optional(),
    nodeName: z.string().optional(),
    zone: z.string().optional(),
    hostname: z.string().optional(),
    targetRef: z.object({ kind: z.string().optional(), name: z.string().optional(), namespace: z.string().optional(), uid: z.string().optional() }).optional(),
    hints: z.unknown().optional(),
  });

export const endpointSliceSchema = kindSchema(() => z.object({
  apiVersion: z.literal('discovery.k8s.io/v1'),
  kind: z.literal('EndpointSlice'),
  metadata: liveMeta(),
  addressType: z.enum(['IPv4', 'IPv6', 'FQDN']),
  endpoints: z.array(endpoint()).nullish(),
  ports: z
    .array(z.object({ name: z.string().nullish(), port: z.int().nullish(), protocol: z.string().nullish(), appProtocol: z.string().nullish() }))
    .nullish(),
}));

export type EndpointSliceObject = z.output<typeof endpointSliceSchema>;
