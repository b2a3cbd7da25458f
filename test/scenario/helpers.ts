import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ModelSpec } from '../../src/model/spec.js';
import type { ServiceAddressRequest } from '../../src/scenario/allocation.js';
import { formatDiagnostic, loadScenario, type Diagnostic, type LoadOptions, type LoadResult } from '../../src/scenario/index.js';

export const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Loads texts given as [path, text] pairs. */
export function load(files: Record<string, string>, opts: LoadOptions = {}): LoadResult {
  return loadScenario(Object.entries(files).map(([path, text]) => ({ path, text })), opts);
}

/** Asserts success and returns the spec and warnings (as formatted lines). */
export function ok(r: LoadResult): { spec: ModelSpec; warnings: string[]; raw: Diagnostic[] } {
  if (!r.ok) expect.fail(`expected the scenario to load, got:\n${r.diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`);
  return { spec: r.spec, warnings: r.warnings.map((d) => formatDiagnostic(d)), raw: r.warnings };
}

/** Asserts failure and returns the errors (formatted lines) and all diagnostics. */
export function failed(r: LoadResult): { errors: string[]; warnings: string[]; all: Diagnostic[] } {
  if (r.ok) expect.fail('expected errors, but the scenario loaded');
  return {
    errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d)),
    warnings: r.diagnostics.filter((d) => d.severity === 'warning').map((d) => formatDiagnostic(d)),
    all: r.diagnostics,
  };
}

/** Joins lines into a YAML text (line k of the array is line k+1 of the file). */
export const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

export const TWO_NODE_CLUSTER = yaml(
  'apiVersion: netsim/v1',
  'kind: Cluster',
  'spec:',
  '  nodes:',
  '    - name: k8s-node1',
  '    - name: k8s-node2',
);

/** A one-node Cluster (n1 in zone a) with ingress controllers, each `controller: x, className: y`, processing in 100 µs. */
export const ingressCluster = (...controllers: string[]): string =>
  yaml(
    'apiVersion: netsim/v1',
    'kind: Cluster',
    'spec:',
    '  nodes:',
    '    - {name: n1, zone: a}',
    '  ingressControllers:',
    ...controllers.map((c) => `    - {${c}, processing: const(100us)}`),
  );

/**
 * A Deployment `web` of two pods (port `http`, 8080) and its Service `web` (80 -> http). The Service's
 * `serviceAnnotations` (a YAML flow mapping), when given, stand on line 15 of the text.
 */
export const webApp = (serviceAnnotations?: string): string =>
  yaml(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  replicas: 2',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}',
    '---',
    'apiVersion: v1',
    'kind: Service',
    ...(serviceAnnotations === undefined ? ['metadata: {name: web}'] : ['metadata:', '  name: web', `  annotations: ${serviceAnnotations}`]),
    'spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}',
  );

/** A Workload of `clients`, each a YAML flow mapping (`{name: c, target: ..., rate: 10/s}`). */
export const workload = (...clients: string[]): string =>
  yaml('apiVersion: netsim/v1', 'kind: Workload', 'spec:', '  clients:', ...clients.map((c) => `    - ${c}`));

/** Service address ranges for allocation tests: Kubernetes' defaults, the service CIDR written. */
export const ALLOCATION_CFG = {
  serviceCIDR: '10.96.0.0/12',
  serviceCIDRExplicit: true,
  nodePortMin: 30000,
  nodePortMax: 32767,
  loadBalancerCIDR: '203.0.113.0/24',
};

/** A ClusterIP Service's address request (one TCP port); `extra` overrides fields. */
export const clusterIPRequest = (key: string, extra: Partial<ServiceAddressRequest> = {}): ServiceAddressRequest => ({
  key,
  type: 'ClusterIP',
  ports: [{ protocol: 'TCP' }],
  wantsNodePorts: false,
  wantsHealthCheckNodePort: false,
  ...extra,
});

/** A NodePort Service's address request (one TCP port, node port wanted). */
export const nodePortRequest = (key: string, extra: Partial<ServiceAddressRequest> = {}): ServiceAddressRequest =>
  clusterIPRequest(key, { type: 'NodePort', wantsNodePorts: true, ...extra });
