import { describe, expect, test } from 'vitest';
import { parseQuantity } from '../../src/scenario/quantity.js';

describe('Kubernetes resource quantities', () => {
  test.each([
    ['500m', 0.5],
    ['2', 2],
    ['0.25', 0.25],
    ['1Gi', 2 ** 30],
    ['512Mi', 512 * 2 ** 20],
    ['1G', 1e9],
    ['129e6', 129e6],
    ['128974848', 128974848],
    ['100k', 1e5],
  ])('%s = %d', (text, value) => expect(parseQuantity(text)).toBeCloseTo(value, 9));
  test.each(['', 'Gi', '1GB', '1 Gi', 'one', '1.2.3'])('%j is not a quantity', (text) => expect(parseQuantity(text)).toBeNaN());
  test('a number stays a number', () => expect(parseQuantity(4)).toBe(4));
});
