import { describe, expect, it } from 'vitest';
import { formatBytes, formatCompact, formatCost, formatDecimal, formatInt, formatPercent, formatQuantile, formatSeconds } from '../../../src/report/text/format.js';
import { renderTable } from '../../../src/report/text/table.js';

/** The terminal's formatters: the report's (src/report/format.ts) with plain spaces, an ASCII minus and `-` for missing. */
describe('number formatting for the terminal', () => {
  it('counts: exact with thousands separators', () => {
    expect(formatInt(0)).toBe('0');
    expect(formatInt(999)).toBe('999');
    expect(formatInt(1000)).toBe('1,000');
    expect(formatInt(419995)).toBe('419,995');
    expect(formatInt(-1234567)).toBe('-1,234,567');
    expect(formatInt(null)).toBe('-');
  });

  it('compact: three significant digits and k/M/G suffixes', () => {
    expect(formatCompact(842)).toBe('842');
    expect(formatCompact(1000)).toBe('1k');
    expect(formatCompact(12_480)).toBe('12.5k');
    expect(formatCompact(999_600)).toBe('1M');
    expect(formatCompact(1_690_000)).toBe('1.69M');
    expect(formatCompact(2.2e9)).toBe('2.2G');
    expect(formatCompact(0.5)).toBe('0.5');
    expect(formatCompact(null)).toBe('-');
  });

  it('percentages, with a unit and no long strings of zeros', () => {
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(0.5)).toBe('50 %');
    expect(formatPercent(2 / 3)).toBe('66.7 %');
    expect(formatPercent(1)).toBe('100 %');
    expect(formatPercent(0.00012)).toBe('0.012 %');
    expect(formatPercent(0.0000000125)).toBe('< 0.001 %');
    expect(formatPercent(null)).toBe('-');
  });

  it('durations: µs below 1 ms, never nanoseconds', () => {
    expect(formatSeconds(0.00152)).toBe('1.52 ms');
    expect(formatSeconds(0.000155)).toBe('155 µs');
    expect(formatSeconds(1.55e-10)).toBe('< 1 µs');
    expect(formatSeconds(120)).toBe('2 min');
    expect(formatSeconds(null)).toBe('-');
    expect(formatQuantile(Infinity)).toBe('not reached');
  });

  it('bytes (decimal), cost with its unit and plain decimals', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(2.57e9)).toBe('2.57 GB');
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(0.05142)).toBe('$0.0514');
    expect(formatCost(12.345)).toBe('$12.35');
    expect(formatDecimal(0.333333)).toBe('0.33');
    expect(formatDecimal(2)).toBe('2');
  });
});

describe('renderTable', () => {
  it('pads columns, aligns numbers right and trims line ends', () => {
    const t = renderTable(['NAME', { header: 'N', align: 'right' }, 'NOTE'], [
      ['a', '1', ''],
      ['long-name', '1,000', 'x'],
    ]);
    expect(t).toBe(['NAME            N   NOTE', 'a               1', 'long-name   1,000   x'].join('\n'));
  });

  it('takes an indent, a gap and can omit the header', () => {
    expect(renderTable(['A', 'B'], [['1', '2']], { indent: '  ', gap: 1, header: false })).toBe('  1 2');
  });
});
