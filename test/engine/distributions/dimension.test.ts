/**
 * unifyDimension: which values may sit together in one distribution. The first value with a unit decides;
 * a bare 0 fits anything and decides nothing; bare numbers are sizes once the values are sizes; a rate is
 * never a value.
 */
import { describe, expect, it } from 'vitest';
import { unifyDimension } from '../../../src/engine/distributions/dimension.js';

describe('unifyDimension', () => {
  it('lets the first value with a unit decide, and keeps it when the next agrees', () => {
    expect(unifyDimension(undefined, { value: 2, dimension: 'duration' })).toEqual({ ok: true, dimension: 'duration' });
    expect(unifyDimension(undefined, { value: 2, dimension: 'number' })).toEqual({ ok: true, dimension: 'number' });
    expect(unifyDimension('duration', { value: 2, dimension: 'duration' })).toEqual({ ok: true, dimension: 'duration' });
    expect(unifyDimension('bytes', { value: 2, dimension: 'bytes' })).toEqual({ ok: true, dimension: 'bytes' });
  });

  it('lets a bare 0 fit anything without deciding', () => {
    expect(unifyDimension(undefined, { value: 0, dimension: 'number' })).toEqual({ ok: true, dimension: undefined });
    expect(unifyDimension('duration', { value: 0, dimension: 'number' })).toEqual({ ok: true, dimension: 'duration' });
  });

  it('reads bare numbers as sizes once the values are sizes, but not as durations', () => {
    expect(unifyDimension('bytes', { value: 512, dimension: 'number' })).toEqual({ ok: true, dimension: 'bytes' });
    expect(unifyDimension('duration', { value: 2, dimension: 'number' })).toEqual({ ok: false, found: 'a plain number' });
  });

  it('names what it found when the dimensions differ', () => {
    expect(unifyDimension('number', { value: 2, dimension: 'duration' })).toEqual({ ok: false, found: 'a duration' });
    expect(unifyDimension('duration', { value: 2, dimension: 'bytes' })).toEqual({ ok: false, found: 'a size' });
  });

  it('never takes a rate as a value, even the first or a 0', () => {
    expect(unifyDimension(undefined, { value: 5, dimension: 'rate' })).toEqual({ ok: false, found: 'a rate' });
    expect(unifyDimension('duration', { value: 0, dimension: 'rate' })).toEqual({ ok: false, found: 'a rate' });
  });
});
