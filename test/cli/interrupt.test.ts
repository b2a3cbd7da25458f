/**
 * Issue 15, item 8: SIGINT during a sweep exits 130 and says what was kept and how to resume. Runs the built
 * CLI (bin/netsim.js, `npm run build` first) in a child process, since the handler belongs to the real process.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readResults } from '../../src/experiment/store.js';
import { ROOT, tempDir } from './helpers.js';

const tmp = tempDir('netsim-int-');
afterAll(() => tmp.cleanup());

describe('SIGINT during a sweep', () => {
  test('exits 130, prints the runs kept and the command that resumes', async () => {
    const out = join(tmp.dir, 'etp');
    const experiment = join(ROOT, 'experiments/etp-cluster-vs-local.yaml');
    const child = spawn(process.execPath, [join(ROOT, 'bin/netsim.js'), 'sweep', experiment, '--workers', '1', '--out', out, '-q'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait for the first finished run, then interrupt.
    const t0 = Date.now();
    while (Date.now() - t0 < 60_000) {
      const path = join(out, 'results.jsonl');
      if (existsSync(path) && readFileSync(path, 'utf8').includes('\n')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    const kept = readResults(out).lines.length;
    expect(kept).toBeGreaterThan(0);
    expect(stderr).toMatch(/interrupted: \d+ finished runs? (are|is) kept in .*results\.jsonl \(runs in flight are lost\); resume with: netsim sweep .*etp-cluster-vs-local\.yaml --out .*etp --resume/);
    const n = Number(/interrupted: (\d+)/.exec(stderr)![1]);
    expect(n).toBeLessThanOrEqual(kept);
  }, 90_000);
});
