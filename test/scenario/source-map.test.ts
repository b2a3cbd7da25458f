import { describe, expect, test } from 'vitest';
import { SourceText } from '../../src/scenario/source-map.js';
import { formatFieldPath, formatPath, parseTarget } from '../../src/scenario/path.js';
import { diagnostic, formatDiagnostic, splitExpectedFound } from '../../src/scenario/diagnostics.js';

describe('SourceText.locate', () => {
  const text = [
    'a:', //                                1
    '  plain: exp(mean=5ms)', //            2
    "  single: 'it''s x'", //               3
    '  double: "tab\\there x"', //          4
    '  block: |', //                        5
    '    line one', //                      6
    '    line x', //                        7
    '  list:', //                           8
    '    - {k: v}', //                      9
    '  anchored: &n {deep: 1}', //         10
    '  alias: *n', //                      11
    '',
  ].join('\n');
  const src = new SourceText('f.yaml', text);
  const at = (path: (string | number)[], opts = {}) => {
    const l = src.locate(0, path, opts);
    return `${l.line}:${l.col}`;
  };

  test('values, keys, missing fields', () => {
    expect(at(['a', 'plain'])).toBe('2:10');
    expect(at(['a', 'plain'], { key: true })).toBe('2:3');
    expect(at(['a', 'missing'])).toBe('1:1'); // the nearest existing key: `a`
    expect(at(['a', 'list', 0, 'k'])).toBe('9:11');
    expect(at(['a', 'list'])).toBe('8:3'); // a block list: its key
    expect(at(['a', 'alias', 'deep'])).toBe('10:23'); // through the alias, to the anchor's node
  });

  test('offsets inside scalars map through quotes, escapes and block indentation', () => {
    const inner = (path: (string | number)[], offset: number) => at(path, { inner: { offset, length: 1 } });
    expect(inner(['a', 'plain'], 9)).toBe('2:19'); // the '5' of 5ms
    expect(inner(['a', 'single'], 5)).toBe('3:18'); // value "it's x": the 'x' at 5, after the doubled quote
    expect(inner(['a', 'double'], 9)).toBe('4:22'); // value "tab<TAB>here x": the 'x' at 9; the escape is 2 source chars
    expect(inner(['a', 'block'], 14)).toBe('7:10'); // value "line one\nline x\n": the 'x'
  });
});

describe('paths', () => {
  test('format', () => {
    expect(formatFieldPath(['spec', 'clients', 0, 'rate'])).toBe('spec.clients[0].rate');
    expect(formatFieldPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(formatPath('Service/web', ['spec', 'ports', 0])).toBe('Service/web.spec.ports[0]');
  });

  test('a formatted path parses back', () => {
    const p = ['spec', 'template', 'metadata', 'annotations', 'netsim/service-time', 'x.y', 3];
    const t = parseTarget(formatPath('Deployment/web', p), false);
    expect(t).toMatchObject({ kind: 'Deployment', names: ['web'], path: p });
  });
});

describe('diagnostics', () => {
  test('the one-line form, and the source line with a caret', () => {
    const d = diagnostic('error', { file: 'f.yaml', line: 2, col: 15, length: 3 }, 'Cluster.spec.x', splitExpectedFound("expected a duration such as 2s, found '5xs'"));
    expect(d).toMatchObject({ expected: 'a duration such as 2s', found: "'5xs'" });
    expect(formatDiagnostic(d)).toBe("f.yaml:2:15: error: Cluster.spec.x: expected a duration such as 2s, found '5xs'");
    const sources = new Map([['f.yaml', 'a:\n  x: exp(mean=5xs)\n']]);
    expect(formatDiagnostic(d, { sources }).split('\n').slice(1)).toEqual(['2 |   x: exp(mean=5xs)', '  |               ^^^']);
  });
});
