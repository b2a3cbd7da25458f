import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResultFile, withoutWallClock, type ResultFile } from '../../src/experiment/result-file.js';
import type { RequestCounts } from '../../src/model/result.js';
import { Capture, fixture, hasStackTrace, model, netsim, tempDir } from './helpers.js';

const SHORT = ['--set', 'Simulation.spec.duration=5s'];
const NODEPORT = model('nodeport-web.yaml');

const { dir: tmp, cleanup } = tempDir();
afterAll(cleanup);

function readResult(dir: string): ResultFile {
  return parseResultFile(readFileSync(join(dir, 'result.json'), 'utf8'));
}

function checkIdentity(c: RequestCounts): void {
  const dropped = Object.values(c.dropped).reduce((a, b) => a + b, 0);
  expect(c.droppedTotal).toBe(dropped);
  expect(c.generated).toBe(c.completed + c.droppedTotal + c.inFlight);
}

function csvRows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','));
}

describe('netsim run', () => {
  const out = join(tmp, 'nodeport');
  let run: Awaited<ReturnType<typeof netsim>>;
  beforeAll(async () => {
    run = await netsim(['run', NODEPORT, ...SHORT, '--out', out]);
  });

  it('exits 0 and prints the summary table', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const text of ['nodeport-web', 'generated', 'completed', 'in flight', 'p99.9', 'second hop', 'cross zone', 'Pods', 'SHARE', 'UTIL', 'Nodes', 'ENTRY', 'FORWARDED', 'Engine', 'events/s']) {
      expect(run.stdout).toContain(text);
    }
    expect(run.stdout).toContain(`wrote 7 files to ${out}/`);
  });

  it('writes result.json whose request accounting adds up', () => {
    const r = readResult(out);
    expect(r.schema).toBe('netsim.result/v1');
    expect(r.scenario).toBe('nodeport-web');
    expect(r.seed).toBe(1);
    expect(r.overrides).toEqual(['Simulation.spec.duration=5s']);
    expect(r.files).toEqual([{ path: NODEPORT, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(r.tool.name).toBe('kube-netsim');
    expect(r.stop.generationEnd).toBe(5);
    const { total, warmup, measured } = r.accounting;
    for (const c of [total, warmup, measured]) checkIdentity(c);
    expect(total.generated).toBe(warmup.generated + measured.generated);
    expect(measured.generated).toBeGreaterThan(300);
    expect(r.latency.count).toBe(measured.completed);
    expect(r.pods.reduce((n, p) => n + p.requests, 0)).toBe(r.paths.requests);
  });

  it('writes the CSV tables', () => {
    for (const name of ['summary.csv', 'pods.csv', 'nodes.csv', 'zones.csv', 'clients.csv', 'latency-histogram.csv']) {
      expect(existsSync(join(out, name)), name).toBe(true);
    }
    const r = readResult(out);
    const summary = csvRows(join(out, 'summary.csv'));
    expect(summary).toHaveLength(2);
    const col = (name: string): string => summary[1]![summary[0]!.indexOf(name)]!;
    expect(Number(col('accounting.measured.generated'))).toBe(r.accounting.measured.generated);
    expect(Number(col('latency.p99'))).toBe(r.latency.p99);
    const pods = csvRows(join(out, 'pods.csv'));
    expect(pods[0]!.slice(0, 4)).toEqual(['pod', 'node', 'zone', 'requests']);
    expect(pods.slice(1).map((row) => row[0])).toEqual(r.pods.map((p) => p.pod));
    expect(csvRows(join(out, 'nodes.csv'))).toHaveLength(r.nodes.length + 1);
    expect(csvRows(join(out, 'zones.csv'))).toHaveLength(r.zones.length + 1);
    const hist = csvRows(join(out, 'latency-histogram.csv'));
    expect(hist[0]).toEqual(['lower', 'upper', 'count', 'cumulativeCount', 'cumulativeFraction']);
    const last = hist[hist.length - 1]!;
    expect(Number(last[3])).toBe(r.latency.count);
    expect(Number(last[4])).toBe(1);
  });

  it('--json prints result.json to stdout instead of the table', async () => {
    const dir = join(tmp, 'json');
    const res = await netsim(['run', NODEPORT, ...SHORT, '--out', dir, '--json']);
    expect(res.code).toBe(0);
    const printed = parseResultFile(res.stdout);
    expect(res.stdout).not.toContain('Engine ');
    expect(withoutWallClock(printed)).toEqual(withoutWallClock(readResult(dir)));
  });

  it('--quiet prints nothing', async () => {
    const res = await netsim(['run', NODEPORT, ...SHORT, '--out', join(tmp, 'quiet'), '--quiet']);
    expect(res).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(join(tmp, 'quiet', 'result.json'))).toBe(true);
  });

  it('is deterministic: two runs give the same bytes but for the wall-clock fields', async () => {
    const a = join(tmp, 'det-a');
    const b = join(tmp, 'det-b');
    expect((await netsim(['run', NODEPORT, ...SHORT, '--out', a, '-q'])).code).toBe(0);
    expect((await netsim(['run', NODEPORT, ...SHORT, '--out', b, '-q'])).code).toBe(0);
    const blank = (text: string): string =>
      text.replace(/"(wallSeconds|eventsPerWallSecond|requestsPerWallSecond)": [^,\n]+/g, '"$1": 0');
    const ta = readFileSync(join(a, 'result.json'), 'utf8');
    const tb = readFileSync(join(b, 'result.json'), 'utf8');
    expect(blank(ta)).toBe(blank(tb));
    expect(blank(ta)).not.toBe(ta); // the three fields were there to blank
    for (const csv of ['pods.csv', 'nodes.csv', 'zones.csv', 'clients.csv', 'latency-histogram.csv']) {
      expect(readFileSync(join(a, csv), 'utf8'), csv).toBe(readFileSync(join(b, csv), 'utf8'));
    }
  });

  it('--seed changes the results and is recorded', async () => {
    const dir = join(tmp, 'seed7');
    expect((await netsim(['run', NODEPORT, ...SHORT, '--out', dir, '--seed', '7', '-q'])).code).toBe(0);
    const seeded = readResult(dir);
    expect(seeded.seed).toBe(7);
    const base = readResult(out);
    expect(seeded.latency.histogram).not.toEqual(base.latency.histogram);
    expect(seeded.latency.mean).not.toBe(base.latency.mean);
  });

  it('--set overrides a field (externalTrafficPolicy Local removes the second hop)', async () => {
    const dir = join(tmp, 'local');
    const res = await netsim([
      'run', NODEPORT, ...SHORT, '--out', dir, '-q',
      '--set', 'Service/web-service-nodeport.spec.externalTrafficPolicy=Local',
    ]);
    expect(res.code).toBe(0);
    const local = readResult(dir);
    expect(local.overrides).toEqual(['Simulation.spec.duration=5s', 'Service/web-service-nodeport.spec.externalTrafficPolicy=Local']);
    expect(local.paths.secondHop).toBe(0);
    expect(readResult(out).paths.secondHop).toBeGreaterThan(0);
  });

  it('a --set path that names nothing exits 2 with a diagnostic pointing at the override', async () => {
    const dir = join(tmp, 'bad-set');
    const res = await netsim(['run', NODEPORT, '--out', dir, '--set', 'Service/nope.spec.type=NodePort']);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^--set:1:9: error: Service\/nope\.spec\.type: names nothing: no Service named "nope"/m);
    expect(res.stderr).toContain('1 | Service/nope.spec.type=NodePort');
    expect(res.stderr).toContain('nothing was simulated');
    expect(existsSync(dir)).toBe(false);
  });

  it('a --set value of the wrong kind exits 2 naming the field, what was expected and found', async () => {
    const res = await netsim(['run', NODEPORT, '--out', join(tmp, 'x'), '--set', 'Simulation.spec.duration=soon']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^--set:1:26: error: Simulation\/nodeport-web\.spec\.duration: expected a duration .*, found 'soon'/m);
    expect(res.stderr).toMatch(/\^{4}/);
  });

  it('writes to out/<scenario> by default', async () => {
    // Exercised through the CLI's directory naming only: running in the repository would leave files.
    const { safeDirName } = await import('../../src/experiment/write-run.js');
    expect(safeDirName('production-3zones')).toBe('production-3zones');
    expect(safeDirName('my scenario/v2')).toBe('my-scenario-v2');
    expect(safeDirName('..')).toBe('scenario');
  });

  it('runs the fixture with a headless and an ExternalName Service', async () => {
    const dir = join(tmp, 'fixture');
    const res = await netsim(['run', fixture('services.yaml'), '--out', dir]);
    expect(res.code).toBe(0);
    const r = readResult(dir);
    expect(r.scenario).toBe('cli-fixture');
    expect(r.zones.map((z) => z.zone)).toEqual(['zone-a', 'zone-b']);
    checkIdentity(r.accounting.total);
  });

  it('draws a progress bar on a terminal, and none otherwise', async () => {
    const slow = (await import('../../src/experiment/run-scenario.js')).runScenario;
    const stderr = new Capture(true);
    const stdout = new Capture();
    const { main } = await import('../../src/cli/main.js');
    const code = await main(['node', 'netsim', 'run', NODEPORT, ...SHORT, '--out', join(tmp, 'tty'), '--json'], {
      stdout,
      stderr,
      env: {},
      stderrIsTTY: true,
      // Make the run "take more than a moment" so the bar appears.
      runScenario: (req) =>
        slow({
          ...req,
          onProgress: (f) => {
            const until = Date.now() + 500;
            while (Date.now() < until) {
              // busy wait: the simulation is synchronous too
            }
            req.onProgress?.(f * 0.5);
            req.onProgress?.(f);
          },
        }),
    });
    expect(code).toBe(0);
    expect(stderr.text).toContain('simulating');
    expect(stderr.text).toContain('%');
    // The bar goes to stderr only: stdout is the result, the one written to --out, and drawing the bar
    // changes nothing in it (the same scenario, seed and overrides as the run without a terminal above).
    const printed = withoutWallClock(parseResultFile(stdout.text));
    expect(printed).toEqual(withoutWallClock(readResult(join(tmp, 'tty'))));
    expect(printed).toEqual(withoutWallClock(readResult(out)));
    expect(run.stderr).not.toContain('simulating');
  });
});

describe('netsim run --report', () => {
  it('writes the run and its HTML report, the same page as netsim report on that directory', async () => {
    const out = join(tmp, 'with-report');
    const r = await netsim(['run', NODEPORT, ...SHORT, '--out', out, '--report']);
    expect(r.code).toBe(0);
    const page = join(out, 'report', 'index.html');
    expect(r.stdout).toContain(`report: ${page}`);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('nodeport-web');
    const again = await netsim(['report', out, '--out', join(tmp, 'report-again'), '--quiet']);
    expect(again.code).toBe(0);
    expect(readFileSync(join(tmp, 'report-again', 'index.html'), 'utf8')).toBe(html);
  });
});

describe('netsim run failures', () => {
  it('an exception inside the simulation exits 1 with one line and no stack trace', async () => {
    const res = await netsim(['run', NODEPORT, '--out', join(tmp, 'boom')], {
      runScenario: () => {
        throw new Error('event heap corrupted');
      },
    });
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('error: simulation failed: event heap corrupted');
    expect(hasStackTrace(res.stderr)).toBe(false);
    expect(res.stderr.trim().split('\n')).toHaveLength(2); // the message and the NETSIM_DEBUG hint
  });

  it('NETSIM_DEBUG=1 adds the stack trace', async () => {
    const res = await netsim(['run', NODEPORT, '--out', join(tmp, 'boom')], {
      env: { NETSIM_DEBUG: '1' },
      runScenario: () => {
        throw new Error('event heap corrupted');
      },
    });
    expect(res.code).toBe(1);
    expect(hasStackTrace(res.stderr)).toBe(true);
  });

  it('an output directory that cannot be written exits 1 with a clear message', async () => {
    const res = await netsim(['run', NODEPORT, ...SHORT, '--out', join(NODEPORT, 'sub'), '-q']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: cannot write the results to .*nodeport-web\.yaml\/sub/m);
    expect(hasStackTrace(res.stderr)).toBe(false);
  });

  it('--seed needs a value', async () => {
    const res = await netsim(['run', NODEPORT, '--seed']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("error: option '--seed <n>' argument missing");
  });
});
