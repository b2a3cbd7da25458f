/**
 * Scenarios of a given size for the scale benchmark: `nodes` nodes in 3 zones, `services` Deployments each
 * behind one ClusterIP Service, `pods` pods spread evenly over the Deployments, and `clients` clients, each
 * sending from a node to a Service (round-robin over the Services).
 *
 * Meshed (`{ mesh: true }`): every namespace has Istio injection on and a client pod of its own, each
 * client sends from its Service's namespace's client pod (so its sidecar balances it), and every Service
 * has a DestinationRule and a VirtualService: the set-up of src/scenario/build-mesh.ts at scale.
 */
export interface ScaleSize {
  readonly nodes: number;
  readonly pods: number;
  readonly services: number;
  readonly clients: number;
}

export interface ScaleOptions {
  readonly mesh?: boolean;
}

const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const NAMESPACES = 50;

/** Pods a scenario of this size has: the Deployments' and, meshed, one client pod per namespace in use. */
export function scalePodCount(size: ScaleSize, opts: ScaleOptions = {}): number {
  return size.pods + (opts.mesh ? Math.min(NAMESPACES, Math.max(1, size.services)) : 0);
}

export function scaleScenario(size: ScaleSize, opts: ScaleOptions = {}): string {
  const parts: string[] = [];
  const perZone = ZONES.map((_, z) => Math.floor(size.nodes / ZONES.length) + (z < size.nodes % ZONES.length ? 1 : 0));
  // Pods per node stays under the /24 per node a default cluster gives (and kubelet's 110).
  const zones = ZONES.map((name, z) => `    - {name: ${name}, nodes: ${perZone[z]}, cpu: 64}`).filter((_, z) => perZone[z]! > 0);
  parts.push(
    [
      'apiVersion: netsim/v1',
      'kind: Cluster',
      'metadata: {name: scale}',
      'spec:',
      '  zones:',
      ...zones,
      '  serviceCIDR: 10.96.0.0/12',
      '  podCIDR: 10.0.0.0/8',
    ].join('\n'),
  );
  const deployments = Math.max(1, size.services);
  if (opts.mesh) {
    for (let n = 0; n < Math.min(NAMESPACES, deployments); n++) {
      parts.push(['apiVersion: v1', 'kind: Namespace', `metadata: {name: ns-${n}, labels: {istio-injection: enabled}}`].join('\n'));
      parts.push(['apiVersion: v1', 'kind: Pod', `metadata: {name: client, namespace: ns-${n}}`, 'spec: {containers: [{name: client, image: client}]}'].join('\n'));
    }
  }
  for (let d = 0; d < deployments; d++) {
    const replicas = Math.floor(size.pods / deployments) + (d < size.pods % deployments ? 1 : 0);
    parts.push(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        `metadata: {name: app-${d}, namespace: ns-${d % NAMESPACES}}`,
        'spec:',
        `  replicas: ${replicas}`,
        `  selector: {matchLabels: {app: app-${d}}}`,
        '  template:',
        `    metadata: {labels: {app: app-${d}}}`,
        '    spec:',
        '      containers: [{name: app, image: app, ports: [{name: http, containerPort: 8080}], resources: {requests: {cpu: 10m}}}]',
      ].join('\n'),
    );
    if (d < size.services) {
      parts.push(
        [
          'apiVersion: v1',
          'kind: Service',
          `metadata: {name: svc-${d}, namespace: ns-${d % NAMESPACES}}`,
          `spec: {selector: {app: app-${d}}, ports: [{name: http, port: 80, targetPort: http}]}`,
        ].join('\n'),
      );
      if (opts.mesh) {
        const host = `svc-${d}.ns-${d % NAMESPACES}.svc.cluster.local`;
        parts.push(
          [
            'apiVersion: networking.istio.io/v1',
            'kind: DestinationRule',
            `metadata: {name: svc-${d}, namespace: ns-${d % NAMESPACES}}`,
            `spec: {host: ${host}, trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}}`,
          ].join('\n'),
          [
            'apiVersion: networking.istio.io/v1',
            'kind: VirtualService',
            `metadata: {name: svc-${d}, namespace: ns-${d % NAMESPACES}}`,
            `spec: {hosts: [${host}], http: [{route: [{destination: {host: ${host}}}], retries: {attempts: 2}, timeout: 1s}]}`,
          ].join('\n'),
        );
      }
    }
  }
  const clients: string[] = [];
  for (let c = 0; c < size.clients; c++) {
    const s = c % Math.max(1, size.services);
    const zone = c % perZone.filter((n) => n > 0).length;
    const node = `${ZONES[zone]}-node-${1 + (Math.floor(c / 3) % perZone[zone]!)}`;
    const from = opts.mesh ? `pod: ns-${s % NAMESPACES}/client` : `node: ${node}`;
    clients.push(`    - {name: c-${c}, from: {${from}}, target: {service: ns-${s % NAMESPACES}/svc-${s}, via: clusterIP}, rate: 1/s}`);
  }
  parts.push(['apiVersion: netsim/v1', 'kind: Workload', 'metadata: {name: load}', 'spec:', '  clients:', ...clients].join('\n'));
  parts.push(['apiVersion: netsim/v1', 'kind: Simulation', 'spec: {duration: 1s, seed: 1}'].join('\n'));
  return parts.join('\n---\n') + '\n';
}
