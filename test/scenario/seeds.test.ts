/**
 * The manifests of the seed blog posts, unchanged, load into the spec a cluster would have.
 */
import { describe, expect, test } from 'vitest';
import type { ServiceSpec } from '../../src/model/spec.js';
import { fixture, load, ok, TWO_NODE_CLUSTER, yaml } from './helpers.js';

const svc = (services: readonly ServiceSpec[], name: string): ServiceSpec => {
  const s = services.find((x) => x.name === name);
  if (!s) throw new Error(`no service ${name}`);
  return s;
};

const inServiceCIDR = (ip: string | null): boolean => {
  const [a, b] = (ip ?? '').split('.').map(Number);
  return a === 10 && b! >= 96 && b! < 112; // 10.96.0.0/12
};

describe('seed 000: the five Service types', () => {
  const r = load({ 'seeds/000.yaml': fixture('seeds/000-service-types.yaml') });
  const { spec, warnings } = ok(r);

  test('every Service, with Kubernetes defaults written in', () => {
    expect(spec.services.map((s) => [s.name, s.type])).toEqual([
      ['my-internal-service', 'ClusterIP'],
      ['my-nodeport-service', 'NodePort'],
      ['my-loadbalancer-service', 'LoadBalancer'],
      ['my-externalname-service', 'ExternalName'],
      ['my-headless-service', 'ClusterIP'],
    ]);
    const internal = svc(spec.services, 'my-internal-service');
    expect(internal).toMatchObject({
      namespace: 'default',
      selector: { app: 'my-app' },
      ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }],
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      sessionAffinityTimeout: 10800,
      trafficDistribution: null,
      topologyModeAuto: false,
      externalIPs: [],
      loadBalancerIP: null,
      externalName: null,
      publishNotReadyAddresses: false,
    });
    expect(internal.ports[0]!.nodePort).toBeUndefined();
    expect(inServiceCIDR(internal.clusterIP)).toBe(true);
  });

  test('node ports: the written one kept, the LoadBalancer one allocated in range', () => {
    expect(svc(spec.services, 'my-nodeport-service').ports).toEqual([{ protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30000 }]);
    const lb = svc(spec.services, 'my-loadbalancer-service');
    const np = lb.ports[0]!.nodePort!;
    expect(np).toBeGreaterThanOrEqual(30000);
    expect(np).toBeLessThanOrEqual(32767);
    expect(np).not.toBe(30000);
    expect(lb.loadBalancerIP).toBe('203.0.113.1');
    expect(lb.loadBalancer.kind).toBe('instance');
    expect(lb.loadBalancer.crossZone).toBe(false);
    // The AWS Load Balancer Controller's check (the default provider), and its target group's deregistration delay.
    expect(lb.loadBalancer.healthCheck).toEqual({ interval: 10, healthyThreshold: 3, unhealthyThreshold: 3, clusterProbe: 'node-port' });
    expect(lb.loadBalancer.deregistrationDelay).toBe(300);
  });

  test('ExternalName and headless have no cluster IP', () => {
    const ext = svc(spec.services, 'my-externalname-service');
    expect(ext).toMatchObject({ clusterIP: null, selector: null, ports: [], externalName: 'my-external-service.example.com' });
    expect(svc(spec.services, 'my-headless-service').clusterIP).toBeNull();
  });

  test('the Ingress is read (no controller routes it here), and the missing pods are warned about', () => {
    if (!r.ok) throw new Error('unreachable');
    expect(r.ignored).toEqual([]);
    expect(spec.ingresses).toEqual([
      {
        name: 'my-ingress',
        namespace: 'default',
        className: null,
        defaultBackend: null,
        rules: [
          {
            host: 'example.com',
            paths: [
              { path: '/app1', pathType: 'Prefix', backend: { service: 'app1-service', port: 80 } },
              { path: '/app2', pathType: 'Prefix', backend: { service: 'app2-service', port: 80 } },
            ],
          },
        ],
        balancing: { loadBalance: null, upstreamHashBy: null, affinity: null, serviceUpstream: false, nextUpstreamTries: 3 },
      },
    ]);
    expect(warnings).toContain('seeds/000.yaml:59:1: warning: Ingress/my-ingress: no ingress controller in the Cluster (spec.ingressControllers): this Ingress routes nothing');
    expect(warnings).toContain('seeds/000.yaml:7:3: warning: Service/my-internal-service.spec.selector: no endpoints: selector app=my-app matches no pod in namespace default');
    expect(warnings.filter((w) => w.includes('no endpoints'))).toHaveLength(4);
    expect(warnings).toContain('seeds/000.yaml:1:1: warning: no Cluster in the scenario: using a default cluster of 3 nodes (node-1..node-3) in one zone');
    expect(warnings).toContain('seeds/000.yaml:1:1: warning: no Workload in the scenario: nothing sends requests');
    expect(spec.kubeProxy.servicePorts).toBe(3); // the three Services with a cluster IP and one port each
  });
});

describe('seed 001: a fixed cluster IP', () => {
  test('outside the default service CIDR: kept, with the API server\'s message as a warning', () => {
    const { spec, warnings } = ok(load({ 'seeds/001.yaml': fixture('seeds/001-service-usage.yaml') }));
    expect(svc(spec.services, 'clusterip-service').clusterIP).toBe('10.10.10.10');
    expect(warnings).toContain(
      'seeds/001.yaml:9:14: warning: Service/clusterip-service.spec.clusterIP: failed to allocate IP 10.10.10.10: provided IP (10.10.10.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12 (the default; set the Cluster\'s spec.serviceCIDR to your cluster\'s range)',
    );
  });

  test('inside the Cluster\'s service CIDR: no warning', () => {
    const cluster = yaml('apiVersion: netsim/v1', 'kind: Cluster', 'spec:', '  serviceCIDR: 10.0.0.0/8', '  nodes: [{name: n1}]');
    const { spec, warnings } = ok(load({ 'cluster.yaml': cluster, 'seeds/001.yaml': fixture('seeds/001-service-usage.yaml') }));
    expect(warnings.filter((w) => w.includes('clusterIP'))).toEqual([]);
    expect(svc(spec.services, 'clusterip-service').clusterIP).toBe('10.10.10.10');
    expect(svc(spec.services, 'nodeport-service').ports[0]!.nodePort).toBe(30001);
    expect(svc(spec.services, 'externalname-service').externalName).toBe('google.com');
    expect(svc(spec.services, 'headless-service').clusterIP).toBeNull();
    for (const s of spec.services) {
      if (s.clusterIP !== null) expect(s.clusterIP.startsWith('10.')).toBe(true);
    }
  });

  test('inside a CIDR the user gave, an outside address is an error', () => {
    const cluster = yaml('apiVersion: netsim/v1', 'kind: Cluster', 'spec:', '  serviceCIDR: 10.96.0.0/12', '  nodes: [{name: n1}]');
    const r = load({ 'cluster.yaml': cluster, 'seeds/001.yaml': fixture('seeds/001-service-usage.yaml') });
    expect(r.ok).toBe(false);
  });
});

describe('seed 002: a pod pinned to k8s-node1', () => {
  test('ClusterIP: the pod runs on k8s-node1 and is the endpoint of svc-1', () => {
    const { spec, warnings } = ok(load({ 'cluster.yaml': TWO_NODE_CLUSTER, 'seeds/002.yaml': fixture('seeds/002-clusterip.yaml') }));
    expect(spec.pods).toHaveLength(1);
    expect(spec.pods[0]).toMatchObject({
      name: 'pod-1',
      namespace: 'default',
      labels: { app: 'pod' },
      nodeName: 'k8s-node1',
      ip: '10.244.0.2',
      ready: true,
      terminating: false,
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
      behaviour: { concurrency: 8, queueCapacity: 1024, speed: 1 },
    });
    expect(String(spec.pods[0]!.behaviour.serviceTime)).toBe('exp(mean=5ms)');
    expect(svc(spec.services, 'svc-1')).toMatchObject({ type: 'ClusterIP', ports: [{ port: 9000, targetPort: 8080, protocol: 'TCP' }] });
    expect(warnings).toEqual(['seeds/002.yaml:1:1: warning: no Workload in the scenario: nothing sends requests'].map((w) => w.replace('seeds/002.yaml', 'cluster.yaml')));
  });

  test('NodePort with externalTrafficPolicy Local', () => {
    const { spec } = ok(load({ 'cluster.yaml': TWO_NODE_CLUSTER, 'seeds/002.yaml': fixture('seeds/002-nodeport.yaml') }));
    expect(svc(spec.services, 'svc-1')).toMatchObject({
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      ports: [{ port: 9000, targetPort: 8080, nodePort: 30000, protocol: 'TCP' }],
    });
  });

  test('LoadBalancer: a node port and an LB address are allocated', () => {
    const { spec } = ok(load({ 'cluster.yaml': TWO_NODE_CLUSTER, 'seeds/002.yaml': fixture('seeds/002-loadbalancer.yaml') }));
    const s = svc(spec.services, 'svc-1');
    expect(s.type).toBe('LoadBalancer');
    expect(s.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000);
    expect(s.loadBalancerIP).toBe('203.0.113.1');
  });

  test('without a Cluster naming k8s-node1, the pod stays Pending (warned), and svc-1 has no ready endpoint', () => {
    const { spec, warnings } = ok(load({ 'seeds/002.yaml': fixture('seeds/002-clusterip.yaml') }));
    expect(spec.pods[0]!.nodeName).toBeNull();
    expect(spec.pods[0]!.ip).toBe('');
    expect(warnings).toContain(
      "seeds/002.yaml:9:3: warning: Pod/pod-1.spec.nodeSelector: pod pod-1 stays Pending, never an endpoint: 0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector",
    );
    expect(warnings).toContain(
      'seeds/002.yaml:24:3: warning: Service/svc-1.spec.selector: no ready endpoints: the 1 pod(s) matching app=pod are Pending or not ready',
    );
  });
});

describe('seed 003: the walkthrough', () => {
  const cluster = yaml(
    'apiVersion: netsim/v1',
    'kind: Cluster',
    'spec:',
    '  nodes:',
    '    - {name: myserver01, ip: 10.0.2.4, taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]}',
    '    - {name: myserver02, ip: 10.0.2.5}',
    '    - {name: myserver03, ip: 10.0.2.6}',
  );
  const { spec, warnings } = ok(load({ 'cluster.yaml': cluster, 'seeds/003.yaml': fixture('seeds/003-walkthrough.yaml') }));

  test('3 replicas named like the Deployment controller names them, spread over the workers', () => {
    const web = spec.pods.filter((p) => p.labels['app.kubernetes.io/name'] === 'web-deploy');
    expect(web).toHaveLength(3);
    const hash = web[0]!.labels['pod-template-hash']!;
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    for (const p of web) {
      expect(p.name).toMatch(new RegExp(`^deploy-test01-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.nodeName).not.toBe('myserver01');
    }
    expect(new Set(web.map((p) => p.name)).size).toBe(3);
    expect(web.map((p) => p.nodeName)).toEqual(['myserver02', 'myserver03', 'myserver02']);
    expect(spec.pods.find((p) => p.name === 'nginx01')!.nodeName).toBe('myserver03');
  });

  test('nodes keep their addresses; pods get addresses from their node\'s /24', () => {
    expect(spec.nodes.map((n) => [n.name, n.ip, n.zone])).toEqual([
      ['myserver01', '10.0.2.4', 'default'],
      ['myserver02', '10.0.2.5', 'default'],
      ['myserver03', '10.0.2.6', 'default'],
    ]);
    expect(spec.pods.map((p) => p.ip)).toEqual(['10.244.1.2', '10.244.2.2', '10.244.1.3', '10.244.2.3']);
  });

  test('the Services', () => {
    expect(svc(spec.services, 'web-service').ports).toEqual([{ protocol: 'TCP', port: 80, targetPort: 80 }]);
    expect(svc(spec.services, 'web-service-nodeport').ports[0]!.nodePort).toBe(31001);
    const lb = svc(spec.services, 'web-service-loadbalancer');
    expect(lb).toMatchObject({ type: 'LoadBalancer', externalIPs: ['10.0.2.4'], ports: [{ nodePort: 31002, port: 80, targetPort: 80 }] });
    expect(svc(spec.services, 'web-service-externalname')).toMatchObject({ externalName: 'www.google.com', clusterIP: null });
    expect(warnings).toEqual(['cluster.yaml:1:1: warning: no Workload in the scenario: nothing sends requests']);
  });
});

describe('seed 004: a LoadBalancer as printed with its status', () => {
  test('the LB address comes from status.loadBalancer.ingress', () => {
    const { spec, warnings } = ok(load({ 'seeds/004.yaml': fixture('seeds/004-loadbalancer-status.yaml') }));
    const s = svc(spec.services, 'my-service');
    expect(s.loadBalancerIP).toBe('192.0.2.127');
    expect(s.clusterIP).toBe('10.0.171.239');
    expect(s.ports).toMatchObject([{ port: 80, targetPort: 9376, protocol: 'TCP' }]);
    expect(warnings.some((w) => w.startsWith('seeds/004.yaml:13:14: warning: Service/my-service.spec.clusterIP: failed to allocate IP 10.0.171.239'))).toBe(true);
  });
});
