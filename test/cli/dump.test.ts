/**
 * A dump on the command line: what was not used is listed on stderr (grouped by kind, with the reason) by
 * validate, describe and run, and is a field of the -o json document; `--placement` picks as-is or the
 * scheduler model; a dump that does not hold together is bad input (exit 2, file:line:col).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { model, netsim, tempDir } from './helpers.js';

const DUMP = model('dump-shop.yaml');

describe('netsim validate / describe on a dump', () => {
  test('validate lists the objects not simulated, with the reason, on stderr', async () => {
    const r = await netsim(['validate', DUMP]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok: 6 pods, 1 service, 1 client on 3 nodes\n');
    expect(r.stderr).toBe(
      [
        'read but not simulated (3 objects):',
        "  ReplicaSet shop/web-6b9d5c7f48: its pods are Deployment shop/web's (taken from the dump)",
        '  PodDisruptionBudget shop/web: only drains consult a PodDisruptionBudget, and the timeline has none',
        '  ConfigMap shop/settings: configuration is not simulated',
        '',
      ].join('\n'),
    );
  });

  test('-o json carries the same list, each object with its namespace and reason', async () => {
    const r = await netsim(['validate', DUMP, '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { ignored: Record<string, unknown>[] };
    expect(doc.ignored).toEqual([
      expect.objectContaining({ kind: 'ReplicaSet', name: 'web-6b9d5c7f48', namespace: 'shop', reason: "its pods are Deployment shop/web's (taken from the dump)" }),
      expect.objectContaining({ kind: 'PodDisruptionBudget', name: 'web', namespace: 'shop' }),
      expect.objectContaining({ kind: 'ConfigMap', name: 'settings', namespace: 'shop', reason: 'configuration is not simulated' }),
    ]);
  });

  test('describe pods: as-is keeps the dump\'s nodes; --placement reschedule asks the scheduler model', async () => {
    const asIs = await netsim(['describe', DUMP, 'pods', '-o', 'json']);
    const again = await netsim(['describe', DUMP, 'pods', '-o', 'json', '--placement', 'reschedule']);
    expect(asIs.code).toBe(0);
    expect(again.code).toBe(0);
    const nodesOf = (text: string): string[] => (JSON.parse(text) as { pods: { node: string | null }[] }).pods.map((p) => p.node ?? 'none').sort();
    const count = (list: string[]): number[] => [...new Set(list)].map((n) => list.filter((x) => x === n).length);
    expect(count(nodesOf(asIs.stdout))).toEqual([4, 2]);
    expect(count(nodesOf(again.stdout))).toEqual([2, 2, 2]);
    expect(asIs.stderr).toContain('read but not simulated (3 objects):');
  });

  test('--placement takes as-is or reschedule only', async () => {
    const r = await netsim(['validate', DUMP, '--placement', 'anywhere']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/as-is, reschedule/);
  });

  test('a pod on a node not in the dump: exit 2 with file:line:col', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const text = readFileSync(DUMP, 'utf8').replace('nodeName: ip-10-0-2-41.ec2.internal', 'nodeName: ip-10-0-9-99.ec2.internal');
      const file = join(dir, 'dump.yaml');
      writeFileSync(file, text);
      const r = await netsim(['validate', file]);
      expect(r.code).toBe(2);
      const line = text.slice(0, text.indexOf('nodeName: ip-10-0-9-99')).split('\n').length;
      expect(r.stderr).toContain(`dump.yaml:${line}:15: error: Pod/shop/web-6b9d5c7f48-m2cfx.spec.nodeName: expected a node of the scenario`);
    } finally {
      cleanup();
    }
  });
});
