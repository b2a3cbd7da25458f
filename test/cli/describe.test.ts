import { describe, expect, it } from 'vitest';
import { fixture, model, netsim } from './helpers.js';

/** The row of a table whose first cell is `name`, split on runs of 2+ spaces. */
function row(table: string, name: string): string[] {
  const line = table.split('\n').find((l) => l.split(/\s{2,}/)[0] === name || l.split(/\s{2,}/)[1] === name);
  if (line === undefined) throw new Error(`no row ${name} in\n${table}`);
  return line.split(/\s{2,}/);
}

describe('netsim describe', () => {
  it('services show NodePort ports as port:nodePort/protocol', async () => {
    const res = await netsim(['describe', model('nodeport-web.yaml'), 'services']);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+SELECTOR\s+ETP\s+ITP\s+AFFINITY/);
    const svc = row(res.stdout, 'web-service-nodeport');
    expect(svc[1]).toBe('NodePort');
    expect(svc[2]).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(svc[3]).toBe('<none>');
    expect(svc[4]).toBe('80:31001/TCP');
    expect(svc[5]).toBe('app.kubernetes.io/name=web-deploy');
    expect(svc[6]).toBe('Cluster');
  });

  it('headless and ExternalName Services read as kubectl prints them', async () => {
    const res = await netsim(['describe', fixture('services.yaml'), 'svc']);
    expect(res.code).toBe(0);
    expect(row(res.stdout, 'api-headless').slice(1, 5)).toEqual(['ClusterIP', 'None', '<none>', '80/TCP']);
    expect(row(res.stdout, 'upstream').slice(1, 5)).toEqual(['ExternalName', '<none>', 'api.example.com', '<none>']);
    expect(row(res.stdout, 'api')).toContain('ClientIP/3.0h');
  });

  it('LoadBalancer EXTERNAL-IP lists externalIPs and the load balancer address', async () => {
    const res = await netsim(['describe', model('loadbalancer-externalips.yaml'), 'services']);
    expect(res.code).toBe(0);
    const svc = row(res.stdout, 'web-service-loadbalancer');
    expect(svc[3]).toMatch(/^10\.0\.2\.4(,\d+\.\d+\.\d+\.\d+)?$/);
    expect(svc[4]).toBe('80:31002/TCP');
  });

  it('nodes show their zones and pod counts', async () => {
    const res = await netsim(['describe', model('production-3zones.yaml'), 'nodes']);
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')[0]).toMatch(/^NAME\s+ZONE\s+INTERNAL-IP\s+CPU\s+PODS$/);
    const zones = res.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[1]);
    expect(new Set(zones)).toEqual(new Set(['us-east-1a', 'us-east-1b', 'us-east-1c']));
    const pods = res.stdout.trimEnd().split('\n').slice(1).map((l) => Number(l.split(/\s+/)[4]));
    expect(pods.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('pods show READY, STATUS, IP, NODE and ZONE, with a NAMESPACE column outside default', async () => {
    const res = await netsim(['describe', model('production-3zones.yaml'), 'pods']);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+IP\s+NODE\s+ZONE\s+/);
    expect(lines).toHaveLength(13);
    for (const l of lines.slice(1)) expect(l).toMatch(/^shop\s+web-\S+\s+1\/1\s+Running\s+10\.244\.\d+\.\d+\s+us-east-1[abc]-node-\d\s+us-east-1[abc]\s/);
  });

  it('Pending pods have no IP and no node', async () => {
    const res = await netsim([
      'describe', model('nodeport-web.yaml'), 'pods',
      '--set', 'Deployment/deploy-test01.spec.template.spec.nodeSelector={disk: ssd}',
    ]);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n').slice(1);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/\s0\/1\s+Pending\s+<none>\s+<none>\s+<none>\s/);
    expect(res.stderr).toContain('warning:');
  });

  it('endpoints list the ready pod addresses with the target port', async () => {
    const res = await netsim(['describe', model('production-3zones.yaml'), 'endpoints']);
    expect(res.code).toBe(0);
    const ep = row(res.stdout, 'web');
    const addresses = ep[2]!.split(',');
    expect(addresses).toHaveLength(12);
    for (const a of addresses) expect(a).toMatch(/^10\.244\.\d+\.\d+:8080$/);
    expect(ep[4]).toBe('us-east-1a:4,us-east-1b:4,us-east-1c:4');
  });

  it('all (the default) prints every section with a title', async () => {
    const res = await netsim(['describe', model('clusterip-web.yaml')]);
    expect(res.code).toBe(0);
    for (const title of ['Nodes', 'Pods', 'Services', 'Endpoints', 'Clients']) expect(res.stdout).toMatch(new RegExp(`^${title}$`, 'm'));
    const all = await netsim(['describe', model('clusterip-web.yaml'), 'all']);
    expect(all.stdout).toBe(res.stdout);
  });

  it('a kind without a file is a usage error', async () => {
    const res = await netsim(['describe', 'pods']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('no scenario file given');
  });
});
