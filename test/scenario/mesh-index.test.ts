/**
 * The mesh set-up's lookups by name (src/scenario/istio-hosts.ts, src/scenario/build-mesh.ts) answer what
 * the scans they replaced answered (issue 15, item 7): the first Istio object, in list order, whose host
 * names a Service; the controller whose template a pod's metadata comes from.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../../src/model/spec.js';
import { indexHosts, namesService } from '../../src/scenario/istio-hosts.js';
import { load, ok, yaml } from './helpers.js';

const NAMES = ['a', 'b', 'a-b', 'api'];
const NAMESPACES = ['x', 'y', 'default', 'svc'];

/** Hosts that name, nearly name, or do not name the Services above: every form the scan tells apart. */
const host = fc
  .tuple(
    fc.constantFrom(...NAMES),
    fc.constantFrom(...NAMESPACES),
    fc.constantFrom('', '.svc', '.svc.cluster.local', '.svc.', '.sv', '.svc.a.x.svc.x', '.svcx'),
    fc.constantFrom('short', 'qualified', 'other'),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([name, ns, suffix, form, upper, dot]) => {
    const h = form === 'short' ? name : form === 'qualified' ? `${name}.${ns}${suffix}` : `${name}${suffix}`;
    return `${upper ? h.toUpperCase() : h}${dot ? '.' : ''}`;
  });

interface Rule {
  readonly id: number;
  readonly ns: string;
  readonly hosts: readonly string[];
}

const service = (name: string, namespace: string): ServiceSpec => ({ name, namespace }) as ServiceSpec;

describe('Istio objects by host', () => {
  it('the index gives the first object whose host names the Service, as the scan does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ns: fc.constantFrom(...NAMESPACES), hosts: fc.array(host, { minLength: 0, maxLength: 3 }) }), { maxLength: 12 }),
        (drafts) => {
          const rules: Rule[] = drafts.map((d, id) => ({ id, ...d }));
          const index = indexHosts(rules, (r) => r.hosts, (r) => r.ns);
          for (const name of NAMES) {
            for (const ns of NAMESPACES) {
              const s = service(name, ns);
              const scan = rules.find((r) => r.hosts.some((h) => namesService(h, r.ns, s)));
              expect(index.first(s)?.id).toBe(scan?.id);
            }
          }
        },
      ),
      { seed: 15, numRuns: 400 },
    );
  });

  it.each([
    ['api', 'x', true],
    ['api', 'y', false], // a short host names a Service of the object's own namespace only
    ['api.y', 'x', true],
    ['API.y.svc', 'x', true],
    ['api.y.svc.cluster.local.', 'x', true],
    ['api.y.svcx', 'x', false],
    ['api.yy', 'x', false],
  ] as const)('host %s written in %s names api.y: %s', (h, ns, names) => {
    const s = service('api', h === 'api' ? 'x' : 'y');
    expect(indexHosts([{ h }], (r) => [r.h], () => ns).first(s) !== undefined).toBe(names);
    expect(namesService(h, ns, s)).toBe(names);
  });
});

describe("a pod's metadata comes from its own object or the first controller that owns it", () => {
  // `web` and `web-api`: both names begin the pods of `web-api`, whose labels match `web-api`'s template
  // only. Only `web`'s template asks Linkerd to inject its pods.
  const scenario = (webFirst: boolean) => {
    const deployment = (name: string, annotations: string) =>
      yaml(
        'apiVersion: apps/v1',
        'kind: Deployment',
        `metadata: {name: ${name}, namespace: shop}`,
        'spec:',
        '  replicas: 2',
        `  selector: {matchLabels: {app: ${name}}}`,
        '  template:',
        `    metadata: {labels: {app: ${name}}, annotations: ${annotations}}`,
        '    spec: {containers: [{name: c, image: c, ports: [{containerPort: 8080}]}]}',
      );
    const web = deployment('web', '{linkerd.io/inject: enabled}');
    const webApi = deployment('web-api', '{}');
    return load({
      'apps.yaml': webFirst ? `${web}---\n${webApi}` : `${webApi}---\n${web}`,
      'rest.yaml': yaml(
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: web-own, namespace: shop, annotations: {linkerd.io/inject: enabled}}',
        'spec: {containers: [{name: c, image: c}]}',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: api, namespace: shop}',
        'spec: {selector: {app: web-api}, ports: [{port: 80, targetPort: 8080}]}',
        '---',
        'apiVersion: netsim/v1',
        'kind: Workload',
        'spec:',
        '  clients:',
        '    - {name: c, from: {pod: shop/web-own}, target: {service: shop/api}, rate: 10/s}',
      ),
    });
  };

  it.each([true, false])('web listed first: %s', (webFirst) => {
    const { spec } = ok(scenario(webFirst));
    const meshed = spec.mesh!.pods.map((p) => p.pod).sort();
    const web = spec.pods.filter((p) => p.labels['app'] === 'web' && p.name !== 'web-own').map((p) => `shop/${p.name}`);
    expect(web).toHaveLength(2);
    expect(meshed).toEqual([...web, 'shop/web-own'].sort());
    expect(spec.mesh!.clients).toEqual([expect.objectContaining({ client: 'c', mesh: 'linkerd' })]);
  });
});
