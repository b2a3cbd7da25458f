/**
 * The bundled models of issue 7 run end to end: the seeds' Ingress example (ingress-paths), ExternalName
 * (externalname) and headless (headless). Their results, with the new fields (latencyByStage, dns,
 * ingress, externalHosts), validate against schemas/result.schema.json.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { toResultFile } from '../../src/experiment/result-file.js';
import { runScenario } from '../../src/experiment/run-scenario.js';
import type { ResultFile } from '../../src/experiment/result-file.js';
import type { RunResult } from '../../src/model/result.js';
import { renderSummary } from '../../src/report/text/summary.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/result.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const errorsOf = (data: unknown): string[] => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));

function runModel(name: string, set: readonly string[] = ['Simulation.spec.duration=20s']): { result: RunResult; file: unknown } {
  const outcome = runScenario({ files: [join(ROOT, 'models', `${name}.yaml`)], set });
  if (!outcome.ok) throw new Error(`${name}: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
  const r = outcome.result;
  // result.json with the optional fields of this issue, whether or not toResultFile copies them yet.
  const file = {
    ...toResultFile(r, { files: outcome.files, overrides: set }),
    ...(r.latencyByStage ? { latencyByStage: r.latencyByStage } : {}),
    ...(r.dns ? { dns: r.dns } : {}),
    ...(r.ingress ? { ingress: r.ingress } : {}),
    ...(r.externalHosts ? { externalHosts: r.externalHosts } : {}),
  };
  return { result: r, file: JSON.parse(JSON.stringify(file)) };
}

const generatedBy = (r: RunResult, client: string): number => r.clients.find((c) => c.client === client)!.generated;

describe('ingress-paths: the seeds\' Ingress example', () => {
  const { result: r, file } = runModel('ingress-paths');

  test('validates against the schema, new fields included', () => {
    expect(errorsOf(file)).toEqual([]);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['latencyByStage', 'ingress']));
    expect(r.dns).toBeUndefined();
  });

  test('70 % of requests reach app1, 30 % app2, through the controller pods', () => {
    const sum = (prefix: string) => r.pods.filter((p) => p.pod.startsWith(prefix)).reduce((n, p) => n + p.requests, 0);
    const total = r.accounting.measured.completed;
    expect(r.accounting.measured.droppedTotal).toBe(0);
    expect(Math.abs(sum('default/app1-') / total - 0.7)).toBeLessThan(0.01);
    expect(Math.abs(sum('default/app2-') / total - 0.3)).toBeLessThan(0.01);
    expect(sum('ingress-nginx/')).toBe(total);
    expect(r.ingress!.upstreams.map((u) => [u.service, u.algorithm, u.endpoints])).toEqual([
      ['default/app1-service', 'round_robin', 4],
      ['default/app2-service', 'round_robin', 2],
    ]);
    const st = r.latencyByStage!;
    expect(st.ingressProcessing.requests).toBe(total);
    expect(st.network.share!).toBeGreaterThan(0.2);
  });

  test('the printed summary shows the stages and the upstreams', () => {
    const text = renderSummary(file as ResultFile);
    expect(text).toMatch(/^Where the time goes +requests +mean +p99 +share$/m);
    expect(text).toMatch(/^ {2}ingress processing +[\d,]+ /m);
    expect(text).toContain('default/my-ingress -> default/app1-service:80  round_robin, 4 endpoints');
  });
});

describe('externalname: the seeds\' ExternalName example', () => {
  const { result: r, file } = runModel('externalname', ['Simulation.spec.duration=40s']);

  test('validates against the schema, new fields included', () => {
    expect(errorsOf(file)).toEqual([]);
  });

  test('2 queries per lookup by the short name, 8 by the external name (ndots:5)', () => {
    const short = generatedBy(r, 'by-service-name');
    const long = generatedBy(r, 'by-external-name');
    expect(r.dns!.lookups).toBe(short + long); // a new connection per request
    expect(r.dns!.queries).toBe(2 * short + 8 * long);
    expect(r.dns!.nxdomain).toBe(6 * long);
  });

  test('the DNS stage and the external call are reported apart; no pod serves', () => {
    const st = r.latencyByStage!;
    const done = r.accounting.measured.completed;
    expect(st.dns.requests).toBe(done);
    expect(st.external.requests).toBe(done);
    expect(st.podService.requests).toBe(0);
    expect(st.external.mean!).toBeGreaterThan(0.02);
    expect(st.dns.mean!).toBeGreaterThan(0);
    expect(r.externalHosts).toMatchObject([{ host: 'my-external-service.example.com', served: done }]);
    const text = renderSummary(file as ResultFile);
    expect(text).toMatch(/^DNS +[\d,]+ lookups/m);
    expect(text).toContain('External host my-external-service.example.com');
  });
});

describe('headless: the seeds\' headless Service', () => {
  const { result: r, file } = runModel('headless', ['Simulation.spec.duration=65s']);

  test('validates against the schema, new fields included', () => {
    expect(errorsOf(file)).toEqual([]);
  });

  test('the JVM caller answers from its cache; the glibc one queries every time', () => {
    const d = r.dns!;
    const jvm = generatedBy(r, 'jvm');
    expect(d.lookups).toBe(generatedBy(r, 'glibc') + jvm);
    expect(d.clientCacheHits).toBeGreaterThan(jvm - 4);
    expect(d.queries).toBe(2 * (d.lookups - d.clientCacheHits));
    expect(r.nodes.every((n) => n.entryRequests === 0)).toBe(true); // no kube-proxy
  });

  test('the schema rejects a corrupted new field', () => {
    const bad = JSON.parse(JSON.stringify(file)) as { latencyByStage: { dns: { share: number } }; dns: { servers: Record<string, unknown>[] } };
    bad.latencyByStage.dns.share = 1.5;
    bad.dns.servers[0]!['extra'] = 1;
    expect(errorsOf(bad)).toEqual(['/latencyByStage/dns/share must be <= 1', '/dns/servers/0 must NOT have additional properties']);
  });
});
