import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasStackTrace, model, netsim } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'netsim-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe('netsim validate', () => {
  it('exits 0 and counts what it built', async () => {
    const res = await netsim(['validate', model('production-3zones.yaml')]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('ok: 12 pods, 1 service, 4 clients on 9 nodes\n');
  });

  it('accepts --set and checks the overridden value', async () => {
    const ok = await netsim(['validate', model('nodeport-web.yaml'), '--set', 'Deployment/deploy-test01.spec.replicas=5']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: 5 pods,/);
    const bad = await netsim(['validate', model('nodeport-web.yaml'), '--set', 'Deployment/deploy-test01.spec.replicas=-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^--set:1:\d+: error: Deployment\/deploy-test01\.spec\.replicas: /m);
  });

  it('prints warnings but still exits 0', async () => {
    const path = write(
      'no-cluster.yaml',
      `apiVersion: v1
kind: Pod
metadata: {name: lone, labels: {app: lone}}
spec:
  containers: [{name: c, image: x}]
`,
    );
    const res = await netsim(['validate', path]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('warning:');
    expect(res.stderr).toMatch(/no Cluster in the scenario/);
    expect(res.stdout).toMatch(/^ok: 1 pod, 0 services, 0 clients/);
  });

  it('lists every problem at once, like a compiler, and exits 2', async () => {
    const path = write(
      'bad.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: many
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: nginx}]
---
apiVersion: netsim/v1
kind: Simulation
spec:
  duration: soon
`,
    );
    const res = await netsim(['validate', path]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    const errors = res.stderr.split('\n').filter((l) => l.includes(': error: '));
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(res.stderr).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5:13: error: Deployment/web\\.spec\\.replicas: expected .*, found "many"`, 'm'));
    expect(res.stderr).toContain('5 |   replicas: many');
    expect(res.stderr).toMatch(/bad\.yaml:16:13: error: Simulation\.spec\.duration: expected a duration/);
    expect(res.stderr).toMatch(/\n\s+\|\s+\^{4}/);
    expect(res.stderr).toMatch(/\d+ errors?(, \d+ warnings?)?; the scenario is not valid\n$/);
    expect(hasStackTrace(res.stderr)).toBe(false);
  });

  it('bad YAML: exit 2 with file:line:col and no stack trace', async () => {
    const path = write('broken.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\nspec: {}\n');
    for (const cmd of ['validate', 'run', 'describe']) {
      const res = await netsim([cmd, path]);
      expect(res.code, cmd).toBe(2);
      expect(res.stderr, cmd).toMatch(/broken\.yaml:\d+:\d+: error: /);
      expect(hasStackTrace(res.stderr), cmd).toBe(false);
    }
  });

  it('a missing file: exit 2 with a clear message', async () => {
    for (const cmd of ['validate', 'run', 'describe']) {
      const res = await netsim([cmd, join(tmp, 'nope.yaml')]);
      expect(res.code, cmd).toBe(2);
      expect(res.stderr, cmd).toBe(`error: ${join(tmp, 'nope.yaml')}: no such file\n`);
    }
    const two = await netsim(['validate', join(tmp, 'a.yaml'), tmp]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('cannot read 2 files');
    expect(two.stderr).toContain('a.yaml: no such file');
    expect(two.stderr).toContain('is a directory');
  });
});
