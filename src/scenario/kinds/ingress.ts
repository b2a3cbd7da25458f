/**
 * networking.k8s.io/v1 Ingress, with the API server's own checks that matter to routing (messages follow
 * its wording where it has one): a path of type Prefix or Exact is absolute, a backend names a Service or a
 * resource (not both) and a Service port by number or name (not both), an Ingress has rules or a default
 * backend, hosts are DNS names with at most a leading `*.`.
 */
import { z } from 'zod';
import { kindSchema, port } from '../values.js';
import { objectMeta } from './meta.js';

/** RFC 1123 subdomain, optionally with one leading `*.` wildcard label. */
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

const serviceBackend = () =>
  z
    .object({
      name: z.string().min(1),
      port: z.object({ number: port().optional(), name: z.string().min(1).optional() }),
    })
    .superRefine((b, ctx) => {
      const given = [b.port.number !== undefined, b.port.name !== undefined].filter(Boolean).length;
      if (given !== 1) {
        ctx.addIssue({ code: 'custom', path: ['port'], input: b.port, message: given === 0 ? 'port name or number is required' : 'cannot set both port name & port number', params: { expected: 'port.number or port.name', found: given === 0 ? 'neither' : 'both' } });
      }
    });

const backend = () =>
  z
    .object({
      service: serviceBackend().optional(),
      resource: z.object({ apiGroup: z.string().optional(), kind: z.string().min(1), name: z.string().min(1) }).optional(),
    })
    .superRefine((b, ctx) => {
      if ((b.service === undefined) === (b.resource === undefined)) {
        ctx.addIssue({ code: 'custom', path: [], input: b, message: b.service ? 'cannot set both service and resource backends' : 'one backend (service or resource) must be specified', params: { expected: 'service or resource', found: b.service ? 'both' : 'neither' } });
      }
    });

const httpPath = () =>
  z
    .object({
      path: z.string().optional(),
      pathType: z.enum(['Prefix', 'Exact', 'ImplementationSpecific']),
      backend: backend(),
    })
    .superRefine((p, ctx) => {
      if (p.pathType !== 'ImplementationSpecific' && (p.path === undefined || !p.path.startsWith('/'))) {
        ctx.addIssue({ code: 'custom', path: ['path'], input: p.path, message: 'must be an absolute path', params: { expected: 'a path starting with /', found: p.path === undefined ? 'nothing' : JSON.stringify(p.path) } });
      }
    });

const rule = () =>
  z.object({
    host: z
      .string()
      .optional()
      .superRefine((h, ctx) => {
        if (h === undefined) return;
        if (IPV4.test(h)) ctx.addIssue({ code: 'custom', input: h, message: 'must be a DNS name, not an IP address' });
        else if (!HOST.test(h)) ctx.addIssue({ code: 'custom', input: h, message: "a lowercase RFC 1123 subdomain, optionally with a leading '*.' wildcard", params: { expected: 'a host such as foo.bar.com or *.foo.com', found: JSON.stringify(h) } });
      }),
    http: z.object({ paths: z.array(httpPath()).min(1) }).optional(),
  });

export const ingressSchema = kindSchema(() => z.object({
  apiVersion: z.literal('networking.k8s.io/v1'),
  kind: z.literal('Ingress'),
  metadata: objectMeta(),
  spec: z
    .object({
      ingressClassName: z.string().min(1).optional(),
      defaultBackend: backend().optional(),
      rules: z.array(rule()).optional(),
    })
    .superRefine((s, ctx) => {
      if (s.defaultBackend === undefined && (s.rules ?? []).length === 0) {
        ctx.addIssue({ code: 'custom', path: [], input: s, message: 'either `defaultBackend` or `rules` must be specified', params: { expected: 'rules or a defaultBackend', found: 'neither' } });
      }
    }),
}));

export type IngressObject = z.output<typeof ingressSchema>;
export type IngressBackendObject = NonNullable<IngressObject['spec']['defaultBackend']>;

/** The annotation that makes an IngressClass the cluster's default (k/api networking/v1 `AnnotationIsDefaultIngressClass`). */
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/**
 * networking.k8s.io/v1 IngressClass: which controller implements the class (`spec.controller`, a domain-
 * prefixed path such as `k8s.io/ingress-nginx`), and whether it is the default (annotation above).
 */
export const ingressClassSchema = kindSchema(() => z.object({
  apiVersion: z.literal('networking.k8s.io/v1'),
  kind: z.literal('IngressClass'),
  metadata: objectMeta(),
  spec: z.object({
    controller: z
      .string()
      .max(250)
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/\S+$/, { error: 'a domain-prefixed path such as k8s.io/ingress-nginx' }),
    parameters: z.object({ apiGroup: z.string().optional(), kind: z.string().min(1), name: z.string().min(1) }).optional(),
  }),
}));

export type IngressClassObject = z.output<typeof ingressClassSchema>;
