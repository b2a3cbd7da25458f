/** The Cluster's `dataPlane: cilium` and its `cilium` block (Helm value names): defaults, errors, warnings. */
import { describe, expect, test } from 'vitest';
import { failed, load, ok as loaded, yaml } from './helpers.js';

/** Loaded, without the warning that a Cluster-only scenario sends no requests. */
function ok(r: Parameters<typeof loaded>[0]): ReturnType<typeof loaded> {
  const l = loaded(r);
  return { ...l, warnings: l.warnings.filter((w) => !w.includes('no Workload')) };
}

const cluster = (...lines: string[]): string =>
  yaml('apiVersion: netsim/v1', 'kind: Cluster', 'spec:', '  nodes: [{name: n1, cpu: 16}, {name: n2}]', ...lines);

describe('Cluster.spec.dataPlane: cilium', () => {
  test("Cilium's Helm defaults: random, snat, M = 16381, no service topology; its BPF conntrack map's size", () => {
    const { spec, warnings } = ok(load({ 'c.yaml': cluster('  dataPlane: cilium') }));
    expect(warnings).toEqual([]);
    expect(spec.kubeProxy.cilium).toEqual({ algorithm: 'random', mode: 'snat', maglevTableSize: 16381, serviceTopology: false });
    expect(spec.kubeProxy.conntrackMax).toBe(524288);
  });

  test('the chart values as written', () => {
    const { spec } = ok(
      load({
        'c.yaml': cluster(
          '  dataPlane: cilium',
          '  cilium:',
          '    loadBalancer: {algorithm: maglev, mode: hybrid, serviceTopology: true}',
          '    maglev: {tableSize: 65521}',
          '    bpf: {ctTcpMax: 1000000}',
          '    connectionCost: const(3us)',
        ),
      }),
    );
    expect(spec.kubeProxy.cilium).toMatchObject({ algorithm: 'maglev', mode: 'hybrid', maglevTableSize: 65521, serviceTopology: true });
    expect(String(spec.kubeProxy.cilium!.connectionCost)).toBe('const(3us)');
    expect(spec.kubeProxy.conntrackMax).toBe(1000000);
  });

  test('kube-proxy stays the default data plane', () => {
    const { spec } = ok(load({ 'c.yaml': cluster('  dataPlane: kube-proxy') }));
    expect(spec.kubeProxy.cilium).toBeUndefined();
    expect(ok(load({ 'c.yaml': cluster() })).spec.kubeProxy.cilium).toBeUndefined();
  });

  test('a table size Cilium does not accept, and a mode it does not have, are errors at their place', () => {
    const r = failed(
      load({ 'c.yaml': cluster('  dataPlane: cilium', '  cilium:', '    maglev: {tableSize: 16383}', '    loadBalancer: {mode: dsr-geneve}') }),
    );
    expect(r.errors).toEqual([
      "c.yaml:7:25: error: Cluster.spec.cilium.maglev.tableSize: expected one of Cilium's Maglev table sizes (251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071), found 16383",
      'c.yaml:8:26: error: Cluster.spec.cilium.loadBalancer.mode: expected one of "snat", "dsr" or "hybrid", found "dsr-geneve"',
    ]);
  });

  test('settings the chosen data plane does not read are warned about', () => {
    const a = ok(load({ 'c.yaml': cluster('  cilium: {loadBalancer: {mode: dsr}}') }));
    expect(a.warnings).toEqual([expect.stringMatching(/Cluster\.spec\.cilium: has no effect: the data plane is kube-proxy \(set dataPlane: cilium\)/)]);
    const b = ok(load({ 'c.yaml': cluster('  dataPlane: cilium', '  kubeProxy: {mode: ipvs, ipvsScheduler: lc}', '  cilium: {maglev: {tableSize: 251}}') }));
    expect(b.warnings).toEqual([
      'c.yaml:6:21: warning: Cluster.spec.kubeProxy.mode: has no effect: the data plane is Cilium (see cilium)',
      'c.yaml:6:42: warning: Cluster.spec.kubeProxy.ipvsScheduler: has no effect: the data plane is Cilium (see cilium)',
      'c.yaml:7:20: warning: Cluster.spec.cilium.maglev: has no effect: loadBalancer.algorithm is random, not maglev',
    ]);
  });
});
