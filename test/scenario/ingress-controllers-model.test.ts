/**
 * models/ingress-controllers.yaml: the seeds' Ingress with the three controllers of the seeds' comparison
 * table installed side by side (ingress-nginx, the NGINX Ingress Controller, Kong); the Ingress's
 * ingressClassName picks the one that serves it, as experiments/ingress-controllers.yaml sweeps it.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../src/experiment/run-scenario.js';
import { loadScenario } from '../../src/scenario/index.js';
import { failed, ok } from './helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const MODEL = join(ROOT, 'models', 'ingress-controllers.yaml');

const classSets = (cls: string): string[] => [
  'Simulation.spec.duration=10s',
  `Ingress/my-ingress.spec.ingressClassName=${cls}`,
  `Workload.spec.clients[0].target.ingress.className=${cls}`,
  `Workload.spec.clients[1].target.ingress.className=${cls}`,
];

describe('the seeds\' Ingress under each controller, chosen by ingressClassName', () => {
  const cases = [
    { cls: 'nginx', ns: 'ingress-nginx', algorithm: 'round_robin' },
    { cls: 'nginx-inc', ns: 'nginx-ingress', algorithm: 'random_two' },
    { cls: 'kong', ns: 'kong', algorithm: 'round_robin' },
  ] as const;
  for (const c of cases) {
    test(`${c.cls}: 70/30 to app1/app2, all through ${c.ns}, with its default algorithm`, () => {
      const outcome = runScenario({ files: [MODEL], set: classSets(c.cls) });
      if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('; '));
      const r = outcome.result;
      const sum = (prefix: string) => r.pods.filter((p) => p.pod.startsWith(prefix)).reduce((n, p) => n + p.requests, 0);
      const total = r.accounting.measured.completed;
      expect(r.accounting.measured.droppedTotal).toBe(0);
      expect(Math.abs(sum('default/app1-') / total - 0.7)).toBeLessThan(0.015);
      expect(sum(`${c.ns}/`)).toBe(total);
      expect(r.ingress!.upstreams.map((u) => u.algorithm)).toEqual([c.algorithm, c.algorithm]);
    });
  }

  test('the controllers are generated as each chart names them', () => {
    const { spec } = ok(loadScenario([MODEL]));
    expect(spec.ingressControllers!.map((k) => [k.className, k.implementation, k.service, k.loadBalance, k.nextUpstreamTries])).toEqual([
      ['nginx', 'ingress-nginx', 'ingress-nginx/ingress-nginx-controller', 'round_robin', 3],
      ['nginx-inc', 'nginx-inc', 'nginx-ingress/ingress-nginx-inc-controller', 'random_two', 0], // a class other than the chart's: its own name,
      ['kong', 'kong', 'kong/kong-gateway', 'round_robin', 6],
    ]);
  });
});

describe('each controller validates its own method names', () => {
  const cluster = (entry: string) =>
    [
      'apiVersion: netsim/v1',
      'kind: Cluster',
      'metadata: {name: c}',
      'spec:',
      '  zones: [{name: a, nodes: 2}]',
      '  ingressControllers:',
      `    - ${entry}`,
    ].join('\n');
  const load = (entry: string) => loadScenario([{ path: 'c.yaml', text: cluster(entry) }]);

  test('ingress-nginx: least_conn is not one of its balancers; it falls back to round_robin with a warning', () => {
    const { spec, warnings } = ok(load('{loadBalance: least_conn}'));
    expect(spec.ingressControllers![0]!.loadBalance).toBe('round_robin');
    expect(warnings.join('\n')).toContain('ingress-nginx has no load-balance "least_conn"');
  });

  test('nginx-inc: lb-method strings as ParseLBMethod takes them; least_time needs NGINX Plus', () => {
    expect(ok(load('{controller: nginx-inc, className: n, loadBalance: "random two"}')).spec.ingressControllers![0]!.loadBalance).toBe('random_two');
    expect(ok(load('{controller: nginx-inc, className: n, loadBalance: ip_hash}')).spec.ingressControllers![0]!.loadBalance).toBe('ip_hash');
    expect(failed(load('{controller: nginx-inc, className: n, loadBalance: "least_time header"}')).errors.join('\n')).toContain('least_time is NGINX Plus only');
    expect(ok(load('{controller: nginx-inc, className: n, plus: true, loadBalance: "least_time header"}')).spec.ingressControllers![0]!.loadBalance).toBe('least_time');
    expect(failed(load('{controller: nginx-inc, className: n, loadBalance: ewma}')).errors.join('\n')).toContain('found "ewma"');
  });

  test('kong: its algorithm names; consistent-hashing with hashOn; IngressClass controller names accepted', () => {
    const k = ok(load('{controller: ingress-controllers.konghq.com/kong, loadBalance: consistent-hashing, hashOn: cookie}')).spec.ingressControllers![0]!;
    expect([k.implementation, k.className, k.hashOn]).toEqual(['kong', 'kong', { kind: 'session', text: 'cookie' }]);
    expect(ok(load('{controller: kong, loadBalance: least-connections}')).spec.ingressControllers![0]!.loadBalance).toBe('least_conn');
    expect(failed(load('{controller: kong, loadBalance: least_conn}')).errors.join('\n')).toContain('"least-connections"');
  });
});
