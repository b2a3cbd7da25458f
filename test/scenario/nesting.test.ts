/**
 * YAML nested too deeply (src/scenario/yaml-depth.ts, src/scenario/documents.ts): at most
 * MAX_NESTING_DEPTH levels of mappings and lists per document, counted through aliases; past it, an error
 * that names the limit at the file:line:col where it is crossed, and exit 2; never the parser's "Maximum
 * call stack size exceeded".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH } from '../../src/scenario/yaml-depth.js';
import { hasStackTrace, netsim, tempDir } from '../cli/helpers.js';
import { failed, load, yaml } from './helpers.js';

const CLUSTER = yaml('apiVersion: netsim/v1', 'kind: Cluster', 'spec:', '  zones: [{name: a, nodes: 1}]');

/** A Cluster with `extra: {a: ...}` holding `levels` nested lists in flow style, on line 6 from column 6. */
const nested = (levels: number): string => `${CLUSTER}extra:\n  a: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;

describe('nesting limit', () => {
  it(`is ${MAX_NESTING_DEPTH} levels`, () => {
    expect(MAX_NESTING_DEPTH).toBe(256);
  });

  it('one level past the limit: an error at the first list past it, naming the limit and the depth', () => {
    // The top mapping and `extra`'s are 2 levels; lists 1..254 make 256; list 255 is past it.
    const { errors } = failed(load({ 'deep.yaml': nested(255) }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('deep.yaml:6:');
    expect(errors[0]).toMatch(/expected at most 256 levels of nested mappings and lists, found 257 levels/);
    // Column: `  a: ` is 5 characters, then 254 brackets before the one past the limit.
    expect(errors[0]).toMatch(new RegExp(`^deep\\.yaml:6:${5 + 254 + 1}: error:`));
  });

  it('at the limit the document is read (and judged on its fields)', () => {
    const { errors } = failed(load({ 'deep.yaml': nested(254) }));
    expect(errors.join('\n')).not.toMatch(/nested|call stack/);
    expect(errors.join('\n')).toMatch(/unknown field "extra"/);
  });

  it('far past what the parser can follow: the same limit, not "Maximum call stack size exceeded"', () => {
    const { errors } = failed(load({ 'deep.yaml': `${'['.repeat(20000)}${']'.repeat(20000)}\n` }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^deep\.yaml:1:\d+: error: expected at most 256 levels of nested mappings and lists, found more than the YAML parser can follow/);
    expect(errors[0]).not.toMatch(/call stack/);
  });

  it('block style counts the same way', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`);
    const { errors } = failed(load({ 'block.yaml': `${lines.join('\n')} 1\n` }));
    expect(errors).toEqual([expect.stringMatching(/^block\.yaml:257:257: error: expected at most 256 levels of nested mappings and lists, found 300 levels/)]);
  });

  it('counted through aliases: an alias nests what its anchor nests, where the alias stands', () => {
    // The anchor is 150 levels deep at its own place (fine); the alias stands 120 levels deep: 269 levels.
    const anchor = `a: &deep ${'['.repeat(149)}${']'.repeat(149)}`;
    const alias = `b: ${'['.repeat(119)}*deep${']'.repeat(119)}`;
    const { errors } = failed(load({ 'alias.yaml': `${anchor}\n${alias}\n` }));
    expect(errors).toEqual([expect.stringMatching(/^alias\.yaml:2:123: error: expected at most 256 levels of nested mappings and lists, found 269 levels/)]);
  });
});

describe('netsim validate on a deeply nested file', () => {
  const { dir, cleanup } = tempDir('netsim-nesting-');
  afterAll(cleanup);

  it.each([
    ['past the limit', nested(300)],
    ['past the parser', `a: ${'[{b: '.repeat(3000)}1${'}]'.repeat(3000)}\n`],
  ])('%s: exit 2, file:line:col and the limit, no stack trace', async (_, text) => {
    const file = join(dir, 'deep.yaml');
    writeFileSync(file, text);
    const r = await netsim(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/deep\.yaml:\d+:\d+: error: expected at most 256 levels of nested mappings and lists/);
    expect(r.stderr).not.toMatch(/call stack/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('netsim sweep on a deeply nested experiment file', () => {
  const { dir, cleanup } = tempDir('netsim-nesting-exp-');
  afterAll(cleanup);

  it.each([
    ['past the limit', `apiVersion: netsim/v1\nkind: Experiment\nmetadata: {name: deep}\nspec:\n  extra: ${'['.repeat(300)}${']'.repeat(300)}\n`],
    ['past the parser', `apiVersion: netsim/v1\nkind: Experiment\nmetadata: {name: deep}\nspec:\n  extra: ${'[{b: '.repeat(3000)}1${'}]'.repeat(3000)}\n`],
  ])('%s: the same limit as a scenario, at file:line:col, exit 2', async (_, text) => {
    const file = join(dir, 'deep-experiment.yaml');
    writeFileSync(file, text);
    const r = await netsim(['sweep', file, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/deep-experiment\.yaml:5:\d+: error: expected at most 256 levels of nested mappings and lists/);
    expect(r.stderr).not.toMatch(/call stack/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
