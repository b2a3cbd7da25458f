/**
 * The one set of formatters (src/report/format.ts, d3-format) that charts, HTML tables and the terminal
 * share: edge values (0, 1e-9, 1e9, NaN, negative, ∞), units on every value, µs below 1 ms and "< 1 µs"
 * instead of nanoseconds, percentage points for differences of shares.
 */
import { describe, expect, test } from 'vitest';
import {
  formatBytes,
  formatCompact,
  formatCost,
  formatCount,
  formatDifference,
  formatDuration,
  formatHalfWidth,
  formatMillis,
  formatNumber,
  formatPercent,
  formatPoints,
  formatQuantile,
  formatRate,
  formatStagePercentile,
  formatTime,
  formatValue,
  plain,
} from '../../src/report/format.js';

/** Written with plain spaces and an ASCII minus, to keep the expectations readable. */
const p = (text: string): string => plain(text);

describe('edge values', () => {
  test('0', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatCount(0)).toBe('0');
    expect(p(formatDuration(0))).toBe('0 ms');
    expect(p(formatPercent(0))).toBe('0 %');
    expect(p(formatPoints(0))).toBe('0 pp');
    expect(formatCost(0)).toBe('$0');
    expect(p(formatBytes(0))).toBe('0 B');
    expect(p(formatRate(0))).toBe('0 req/s');
  });

  test('1e-9: no nanoseconds, no string of zeros', () => {
    expect(formatNumber(1e-9)).toBe('1e-9');
    expect(p(formatDuration(1e-9))).toBe('< 1 µs');
    expect(p(formatDuration(1.55e-10))).toBe('< 1 µs');
    expect(p(formatPercent(1e-9))).toBe('< 0.001 %');
    expect(p(formatPercent(1.25e-8))).toBe('< 0.001 %');
    expect(p(formatCost(1e-9))).toBe('< $0.0001');
    expect(formatCount(1e-9)).toBe('0');
  });

  test('1e9', () => {
    expect(formatNumber(1e9)).toBe('1G');
    expect(formatCount(1e9)).toBe('1,000,000,000');
    expect(formatCompact(1e9)).toBe('1G');
    expect(p(formatBytes(1e9))).toBe('1 GB');
    expect(formatCost(1e9)).toBe('$1,000,000,000.00');
    expect(p(formatDuration(1e9))).toBe('278,000 h');
  });

  test('NaN, null and undefined are missing; ∞ is ∞ (a percentile among drops is "not reached")', () => {
    for (const f of [formatNumber, formatCount, formatCompact, formatDuration, formatPercent, formatPoints, formatRate, formatBytes, formatCost, formatTime]) {
      expect(f(Number.NaN)).toBe('–');
      expect(f(null)).toBe('–');
      expect(f(undefined)).toBe('–');
    }
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatDuration(Infinity)).toBe('∞');
    expect(formatQuantile(Infinity)).toBe('not reached');
    expect(p(formatQuantile(0.0106))).toBe('10.6 ms');
  });

  test('negative values: a true minus sign (U+2212); plain() gives ASCII for terminals', () => {
    expect(formatNumber(-0.5)).toBe('\u22120.5');
    expect(p(formatNumber(-1234.5))).toBe('-1,230');
    expect(p(formatCount(-1234))).toBe('-1,234');
    expect(p(formatDuration(-0.0021))).toBe('-2.1 ms');
    expect(p(formatPercent(-0.5))).toBe('-50 %');
    expect(p(formatPoints(-0.005))).toBe('-0.5 pp');
    expect(p(formatCost(-0.5))).toBe('-$0.5');
  });
});

describe('precision and units', () => {
  test('three significant digits, trailing zeros dropped, thousands separated', () => {
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(2993)).toBe('2,990');
    expect(formatNumber(12.5)).toBe('12.5');
    expect(formatNumber(100)).toBe('100');
    expect(formatCompact(1500)).toBe('1.5k');
    expect(formatCompact(999_600)).toBe('1M');
  });

  test('durations: µs below 1 ms, ms below 1 s, then s, min, h; rounding moves up a unit', () => {
    expect(p(formatDuration(0.000155))).toBe('155 µs');
    expect(p(formatDuration(0.0000012))).toBe('1.2 µs');
    expect(p(formatDuration(0.0106))).toBe('10.6 ms');
    expect(p(formatDuration(0.0009996))).toBe('1 ms');
    expect(p(formatDuration(0.9996))).toBe('1 s');
    expect(p(formatDuration(12.5))).toBe('12.5 s');
    expect(p(formatDuration(150))).toBe('2.5 min');
    expect(p(formatDuration(7200))).toBe('2 h');
    expect(p(formatMillis(155e-6 * 1000))).toBe('155 µs');
  });

  test('percentages: 3 significant digits; a share that is not all of it never reads 100 %', () => {
    expect(p(formatPercent(2 / 3))).toBe('66.7 %');
    expect(p(formatPercent(0.5))).toBe('50 %');
    expect(p(formatPercent(1))).toBe('100 %');
    expect(p(formatPercent(0.00012))).toBe('0.012 %');
    expect(p(formatPercent(0.9996))).toBe('> 99.9 %');
    expect(p(formatPercent(0.95, 4))).toBe('95 %');
  });

  test('differences: signed, shares in percentage points', () => {
    expect(p(formatDifference(0.161, 'fraction'))).toBe('+16.1 pp');
    expect(p(formatDifference(-0.0021, 's'))).toBe('-2.1 ms');
    expect(p(formatDifference(0, 's'))).toBe('0 ms');
    expect(p(formatHalfWidth(0.0024, 'fraction', true))).toBe('0.24 pp');
    expect(p(formatHalfWidth(0.0024, 'fraction'))).toBe('0.24 %');
  });

  test('a stage p99 of 0 beside a mean above 0 says why instead of a bare 0 ms', () => {
    expect(p(formatStagePercentile(0, 1.2e-6))).toBe('0 (99 % took none)');
    expect(p(formatStagePercentile(0, 0))).toBe('0 ms');
    expect(p(formatStagePercentile(0.0253, 0.0001))).toBe('25.3 ms');
  });

  test('a metric in its unit: cost with its currency sign, rates per second, counts exact', () => {
    expect(formatValue(0.0514, 'cost')).toBe('$0.0514');
    expect(formatCost(12.345)).toBe('$12.35');
    expect(formatValue(3000, '/s')).toBe('3,000/s');
    expect(formatValue(17623, 'count')).toBe('17,623');
    expect(p(formatValue(0.0106, 's'))).toBe('10.6 ms');
    expect(p(formatValue(0.407, 'fraction'))).toBe('40.7 %');
    expect(p(formatBytes(1500))).toBe('1.5 kB');
    expect(p(formatTime(30.25))).toBe('30.25 s');
  });
});
