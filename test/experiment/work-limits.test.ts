/**
 * Issue 15, item 3: inputs that validate but never finish. Validation estimates the work (events, memory)
 * and refuses what cannot finish, naming the field; a run stops at its event ceiling (--max-events).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_MAX_EVENTS } from '../../src/model/simulation.js';
import { netsim } from '../cli/helpers.js';
import { TINY_SCENARIO, workspace } from './helpers.js';

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO });
afterAll(() => ws.cleanup());

function variant(name: string, edit: (text: string) => string): string {
  return ws.write(name, edit(TINY_SCENARIO));
}

const CLIENT = "      rate: 150/s";

describe('validation refuses what cannot finish (exit 2, the field, what the run would need)', () => {
  test.each([
    ['rate: 1e12/s', (t: string) => t.replace(CLIENT, '      rate: 1e12/s'), /clients\[0\]\.rate: this run would need about .* events .*lower its rate/],
    ['interarrival: const(0)', (t: string) => t.replace(CLIENT, '      interarrival: const(0)'), /clients\[0\]\.interarrival: client users would send infinitely many requests/],
    ['timeout: 0, retries: 1000000000', (t: string) => t.replace(CLIENT, `${CLIENT}\n      timeout: 0s\n      retries: 1000000000`), /clients\[0\]\.retries: 1\.0e9 retries: at most 1000 retries/],
    ['duration: 1e308s', (t: string) => t.replace('duration: 1s', 'duration: 1e308s'), /spec\.duration: this run would need about .* events .*shorten Simulation\.spec\.duration/],
    ['users: 1000000000', (t: string) => t.replace(CLIENT, '      users: 1000000000'), /clients\[0\]\.users: 1\.0e9 users would need about .* of memory, more than the .* a run may use: lower users/],
    ['empirical(/dev/zero)', (t: string) => t.replace(/exp\(mean=2ms\)/, 'empirical(/dev/zero)'), /\/dev\/zero is not a regular file/],
  ])('%s', async (name, edit, message) => {
    const file = variant(`v-${name.replace(/[^a-z0-9]+/gi, '-')}.yaml`, edit);
    const t0 = performance.now();
    const r = await netsim(['validate', file]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  test('a timeout of 0 with many retries at a high rate names the timeout', async () => {
    const file = variant('v-timeout.yaml', (t) => t.replace(CLIENT, '      rate: 1e6/s\n      timeout: 0s\n      retries: 1000').replace('duration: 1s', 'duration: 100s'));
    const r = await netsim(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/clients\[0\]\.timeout: a timeout of 0 with 1000 retries/);
  });

  test('the tiny scenario still validates', async () => {
    const r = await netsim(['validate', ws.path('tiny.yaml')]);
    expect(r.code).toBe(0);
  });
});

describe('a run honours its event ceiling', () => {
  test('--max-events 100: exit 1 with a clear message, nothing written', async () => {
    const out = ws.path('ceiling');
    const r = await netsim(['run', ws.path('tiny.yaml'), '--max-events', '100', '--out', out, '-q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: simulation failed: the run reached its ceiling of 100 events \(--max-events\) at simulated time .* raise --max-events/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(out, 'result.json'))).toBe(false);
  });

  test('--max-events must be a whole number above 0 (exit 2)', async () => {
    for (const v of ['0', '-5', '1.5', 'lots']) {
      const r = await netsim(['run', ws.path('tiny.yaml'), `--max-events=${v}`, '-q']);
      expect(r.code, v).toBe(2);
    }
  });

  test('a ceiling high enough changes nothing; the default is 1e10', async () => {
    const r = await netsim(['run', ws.path('tiny.yaml'), '--max-events', '1e9', '--out', ws.path('fine'), '-q']);
    expect(r.code).toBe(0);
    expect(DEFAULT_MAX_EVENTS).toBe(1e10);
  });
});
