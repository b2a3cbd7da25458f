import { describe, expect, test } from 'vitest';
import { bisectOutcome, nextTests, type LevelStatus } from '../../src/experiment/search/bisect.js';
import { gridNext, gridOrder, gridOutcome, GRID_BATCH, type GridResult } from '../../src/experiment/search/grid.js';
import type { Decision } from '../../src/experiment/search/objective.js';

/** Runs the state machine against a known truth; returns the outcome and the levels tested, in order. */
function search(truth: readonly Decision[], stopAfter = Infinity) {
  const status: LevelStatus[] = truth.map(() => 'untested');
  const tested: number[] = [];
  let stopped = false;
  for (;;) {
    const next = nextTests(status);
    if (next.length === 0) break;
    if (tested.length >= stopAfter) {
      stopped = true;
      break;
    }
    for (const i of next) {
      tested.push(i);
      status[i] = truth[i]!;
    }
  }
  return { outcome: bisectOutcome(status, stopped), tested };
}

const monotone = (n: number, first: number): Decision[] => Array.from({ length: n }, (_, i) => (i >= first ? 'meets' : 'fails'));

describe('bisection over the levels of one parameter', () => {
  test('finds the lowest level that meets, for every position, in about log2(n) + 1 tests', () => {
    for (const n of [1, 2, 3, 7, 11, 16, 33]) {
      for (let first = 0; first <= n; first++) {
        const { outcome, tested } = search(monotone(n, first));
        if (first === n) {
          expect(outcome.kind).toBe('none');
          expect(outcome.answer).toBeNull();
          expect(tested).toContain(n - 1); // the top was tried
        } else {
          expect(outcome).toMatchObject({ kind: 'decided', answer: first, below: first === 0 ? null : first - 1, contradiction: null });
        }
        // log2 steps, plus the check of the level above the answer.
        expect(tested.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n + 1)) + 1);
        expect(new Set(tested).size).toBe(tested.length); // no level twice
      }
    }
  });

  test('says "not monotone" when a level meets and the one above it fails', () => {
    // F M F M: the bisection lands on 1, its check of 2 fails.
    const { outcome } = search(['fails', 'meets', 'fails', 'meets']);
    expect(outcome).toMatchObject({ kind: 'not-monotone', answer: null, contradiction: { meets: 1, fails: 2 } });
  });

  test('an undecided level: the safe answer above it, the failing level below it, and "undecided"', () => {
    const truth: Decision[] = ['fails', 'fails', 'fails', 'undecided', 'meets', 'meets', 'meets', 'meets'];
    const { outcome } = search(truth);
    expect(outcome).toMatchObject({ kind: 'undecided', answer: 4, below: 2, undecided: [3] });
  });

  test('the top undecided: no answer, undecided; the top fails: none', () => {
    expect(search(['fails', 'fails', 'undecided']).outcome).toMatchObject({ kind: 'undecided', answer: null });
    expect(search(['fails', 'fails', 'fails']).outcome).toMatchObject({ kind: 'none', answer: null });
  });

  test('a budget that stops the search: "budget", with what is known', () => {
    const { outcome, tested } = search(monotone(16, 5), 2);
    expect(tested).toHaveLength(2);
    expect(outcome.kind).toBe('budget');
  });
});

describe('grid: cheapest first, pruning what cannot be cheaper', () => {
  const points = [
    { point: 0, bound: 3 },
    { point: 1, bound: 1 },
    { point: 2, bound: 2 },
    { point: 3, bound: 1 },
    { point: 4, bound: 5 },
  ];

  test('tries points by their bound, then plan order, a batch at a time', () => {
    const order = gridOrder(points);
    expect(order.map((p) => p.point)).toEqual([1, 3, 2, 0, 4]);
    expect(gridNext(order, new Map())).toEqual([1, 3].slice(0, GRID_BATCH));
  });

  test('stops once no untried point can be cheaper than the cheapest that meets', () => {
    const order = gridOrder(points);
    const results = new Map<number, GridResult>([
      [1, { decision: 'fails', cost: 1.2 }],
      [3, { decision: 'meets', cost: 2.5 }],
    ]);
    // Point 2 (bound 2) could still be cheaper than 2.5; 0 (3) and 4 (5) cannot.
    expect(gridNext(order, results)).toEqual([2]);
    results.set(2, { decision: 'meets', cost: 2.2 });
    expect(gridNext(order, results)).toEqual([]);
    expect(gridOutcome(order, results)).toEqual({ kind: 'decided', chosen: 2, cheaperUndecided: [], pruned: [0, 4] });
  });

  test('an undecided point that may be cheaper makes the answer undecided; none meets: none', () => {
    const order = gridOrder(points);
    const results = new Map<number, GridResult>([
      [1, { decision: 'undecided', cost: 1.1 }],
      [3, { decision: 'meets', cost: 1.5 }],
      [2, { decision: 'fails', cost: 2.1 }],
    ]);
    expect(gridOutcome(order, results)).toMatchObject({ kind: 'undecided', chosen: 3, cheaperUndecided: [1] });
    const none = new Map<number, GridResult>(points.map((p) => [p.point, { decision: 'fails', cost: p.bound }]));
    expect(gridOutcome(order, none)).toMatchObject({ kind: 'none', chosen: null });
  });
});
