/**
 * How value and kind schemas are built (src/scenario/values.ts): a `shared` factory builds its schema once
 * and hands out that instance; a `kindSchema` is built on the first parse and then behaves exactly as the
 * schema it wraps (same result, same issues, same known fields for "did you mean"). Start-up depends on
 * both (docs/benchmarks.md, "Start-up"); the scenario's meaning must not.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { knownKeysAt } from '../../src/scenario/near-miss.js';
import { kindSchema, port, shared, stringMap } from '../../src/scenario/values.js';

const build = () => z.strictObject({ name: z.string().min(1), port: port(), labels: stringMap().optional() });

describe('shared', () => {
  it('builds on the first call only, and every call returns that one schema', () => {
    let builds = 0;
    const factory = shared(() => {
      builds++;
      return z.string();
    });
    expect(builds).toBe(0);
    const a = factory();
    expect(factory()).toBe(a);
    expect(builds).toBe(1);
  });

  it('one schema used by two fields checks each field on its own', () => {
    const two = z.object({ a: stringMap(), b: stringMap() });
    const r = two.safeParse({ a: { x: 1 }, b: { y: [1] } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path)).toEqual([['b', 'y']]);
    expect(two.parse({ a: { x: 1 }, b: { y: true } })).toEqual({ a: { x: '1' }, b: { y: 'true' } });
  });
});

describe('kindSchema', () => {
  it('builds nothing until the first parse, then builds once', () => {
    let builds = 0;
    const kind = kindSchema(() => {
      builds++;
      return build();
    });
    expect(builds).toBe(0);
    kind.safeParse({ name: 'a', port: 80 });
    kind.safeParse({ name: 'b', port: 81 });
    expect(builds).toBe(1);
  });

  it('gives the wrapped schema’s result and issues, for good and bad input', () => {
    const plain = build();
    const kind = kindSchema(build);
    const inputs = [
      { name: 'web', port: 80, labels: { tier: 1 } },
      { name: '', port: 0 },
      { name: 'web', port: 80, lables: {} },
      'not a mapping',
    ];
    for (const input of inputs) {
      const a = plain.safeParse(input, { reportInput: true });
      const b = kind.safeParse(input, { reportInput: true });
      expect(b.success).toBe(a.success);
      expect(b.data).toEqual(a.data);
      expect(b.error?.issues).toEqual(a.error?.issues);
    }
  });

  it('"did you mean" sees the fields of the kind it wraps', () => {
    expect(knownKeysAt(kindSchema(build), []).sort()).toEqual(['labels', 'name', 'port']);
  });
});
