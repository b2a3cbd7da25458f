/**
 * The command-line conventions users know from kubectl, helm and k6 (docs/cli.md): output folders are never
 * overwritten without --force (a resumed sweep is not an overwrite), `report` writes next to its results,
 * `--set` creates the Simulation a file lacks, colour follows NO_COLOR/FORCE_COLOR, `sweep --json` prints
 * summary.json, shell completion lists the real commands, and kubectl-netsim runs as a kubectl plugin.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { createContext } from '../../src/cli/context.js';
import { colourWanted, stripAnsi } from '../../src/cli/terminal.js';
import { tinyExperiment, TINY_SCENARIO, workspace } from '../experiment/helpers.js';
import { Capture, model, netsim, ROOT } from './helpers.js';

const SHORT = ['--set', 'Simulation.spec.duration=2s'];
const NODEPORT = model('nodeport-web.yaml');
const ws = workspace({ 'tiny.yaml': TINY_SCENARIO, 'e.yaml': tinyExperiment({ replications: 2 }) });
afterAll(() => ws.cleanup());

describe('output folders: earlier results are kept unless --force', () => {
  it('run: a second run into the same folder is refused (exit 2, nothing simulated); --force replaces the results', async () => {
    const out = ws.path('run-force');
    expect((await netsim(['run', NODEPORT, ...SHORT, '--out', out, '-q'])).code).toBe(0);
    const before = readFileSync(join(out, 'result.json'), 'utf8');
    const again = await netsim(['run', NODEPORT, ...SHORT, '--seed', '9', '--out', out, '-q']);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`error: ${out} holds earlier results (result.json): add --force to replace them, or choose another --out\n`);
    expect(readFileSync(join(out, 'result.json'), 'utf8')).toBe(before);
    const forced = await netsim(['run', NODEPORT, ...SHORT, '--seed', '9', '--out', out, '-q', '--force']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).seed).toBe(9);
  });

  it('run --force removes what netsim wrote there (an old report/), and leaves other files alone', async () => {
    const out = ws.path('run-force-report');
    expect((await netsim(['run', NODEPORT, ...SHORT, '--out', out, '-q', '--report'])).code).toBe(0);
    expect(existsSync(join(out, 'report', 'index.html'))).toBe(true);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    expect((await netsim(['run', NODEPORT, ...SHORT, '--out', out, '-q', '--force'])).code).toBe(0);
    expect(existsSync(join(out, 'report'))).toBe(false);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('report: written next to the results by default; a second report is refused without --force', async () => {
    const out = ws.path('run-for-report');
    expect((await netsim(['run', NODEPORT, ...SHORT, '--out', out, '-q'])).code).toBe(0);
    const first = await netsim(['report', out, '-q']);
    expect(first.code).toBe(0);
    expect(existsSync(join(out, 'report', 'index.html'))).toBe(true);
    const second = await netsim(['report', out]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/holds an earlier report \(index\.html\): add --force/);
    expect((await netsim(['report', out, '-q', '--force'])).code).toBe(0);
    // A report never goes into a results folder (its CSV files would mix with the run's).
    const into = await netsim(['report', out, '--out', out]);
    expect(into.code).toBe(2);
    expect(into.stderr).toMatch(/holds results \(result\.json\), not a report/);
  });

  it('sweep: refused over an earlier sweep; --resume keeps its runs (not an overwrite); --force starts again', async () => {
    const out = ws.path('sweep-force');
    const e = ws.path('e.yaml');
    expect((await netsim(['sweep', e, '--out', out, '--workers', '0', '-q'])).code).toBe(0);
    // The runs and their figures (wall-clock time aside).
    const runs = () => readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => { const { run, metrics } = JSON.parse(l) as { run: string; metrics: Record<string, unknown> }; return { run, metrics }; }).sort((a, b) => a.run.localeCompare(b.run));
    const lines = runs();
    const again = await netsim(['sweep', e, '--out', out, '--workers', '0', '-q']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds sweep results \(results\.jsonl\): pass --resume to finish that sweep, --force to replace them/);
    const resumed = await netsim(['sweep', e, '--out', out, '--workers', '0', '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/0 runs \(0 failed, \d+ already done\)/);
    expect(runs()).toEqual(lines);
    const forced = await netsim(['sweep', e, '--out', out, '--workers', '0', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).not.toMatch(/already done/);
    // Same experiment, same seeds: the replaced results are the same runs and figures again.
    expect(runs()).toEqual(lines);
    expect((await netsim(['sweep', e, '--out', out, '--resume', '--force'])).code).toBe(2);
  });
});

describe('sweep --json', () => {
  it('prints exactly summary.json on stdout; the timing goes to stderr', async () => {
    const out = ws.path('sweep-json');
    const r = await netsim(['sweep', ws.path('e.yaml'), '--out', out, '--workers', '0', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(JSON.parse(r.stdout).schema).toBe('netsim.sweep-summary/v1');
    expect(r.stderr).toMatch(/\d+ runs \(0 failed\) on \d+ workers?/);
  });
});

describe('--set creates a netsim kind the files lack', () => {
  const noSimulation = ws.write(
    'no-sim.yaml',
    readFileSync(join(ROOT, 'test/cli/fixtures/services.yaml'), 'utf8')
      .split(/^---$/m)
      .filter((d) => !/kind: Simulation/.test(d))
      .join('---'),
  );

  it('Simulation.spec.duration=5s on a file without a Simulation runs 5 s', async () => {
    const out = ws.path('created-sim');
    const r = await netsim(['run', noSimulation, '--set', 'Simulation.spec.duration=5s', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { stop: { generationEnd: number } };
    expect(result.stop.generationEnd).toBeCloseTo(5, 9);
  });

  it('a bad value in the created Simulation is reported at its --set (exit 2)', async () => {
    const r = await netsim(['validate', noSimulation, '--set', 'Simulation.spec.duration=soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--set:1:26: error: Simulation\.spec\.duration: expected a duration/m);
  });

  it('a Kubernetes kind is not created: naming one the files lack is still an error', async () => {
    const r = await netsim(['validate', noSimulation, '--set', 'HorizontalPodAutoscaler.spec.minReplicas=2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/names nothing: the scenario has no HorizontalPodAutoscaler/);
  });
});

describe('colour', () => {
  const terminal = { isTTY: true, write: () => true };
  const pipe = { isTTY: false, write: () => true };

  it('on a terminal by default; off through a pipe; NO_COLOR turns it off; FORCE_COLOR turns it on and wins', () => {
    expect(colourWanted(terminal, {})).toBe(true);
    expect(colourWanted(pipe, {})).toBe(false);
    expect(colourWanted(terminal, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted(terminal, { NO_COLOR: '' })).toBe(true);
    expect(colourWanted(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourWanted(terminal, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourWanted(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(colourWanted(terminal, { TERM: 'dumb' })).toBe(false);
  });

  it('the run summary paints dropped requests red, and the text is the same without the codes', async () => {
    // Slow pods with a queue of 2 under more load than they serve: drops.
    const annotation = 'Deployment.spec.template.metadata.annotations.netsim';
    const args = ['run', NODEPORT, ...SHORT, '--set', `${annotation}/service-time="const(100ms)"`, '--set', `${annotation}/queue-capacity="2"`];
    const plain = await netsim([...args, '--out', ws.path('colour-plain')], { env: { NO_COLOR: '1' } });
    const coloured = await netsim([...args, '--out', ws.path('colour-forced')], { env: { FORCE_COLOR: '1' } });
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('\u001b[');
    expect(coloured.stdout).toMatch(/\u001b\[31mdropped\s+[\d,]+/);
    expect(stripAnsi(coloured.stdout).replace(/colour-forced/g, 'colour-plain').replace(/Engine .*/, '')).toBe(plain.stdout.replace(/Engine .*/, ''));
  });
});

describe('netsim completion', () => {
  const ctx = createContext({ stdout: new Capture(), stderr: new Capture(), env: {} });
  const commands = buildProgram(ctx).commands.map((c) => c.name());

  it.each(['bash', 'zsh', 'fish'])('%s: lists every command and the options of each', async (shell) => {
    const r = await netsim(['completion', shell]);
    expect(r.code).toBe(0);
    for (const c of commands) expect(r.stdout).toContain(c);
    for (const o of ['--seed', '--force', '--workers', '--resume', '--output']) expect(r.stdout).toContain(o.slice(shell === 'fish' ? 2 : 0));
    expect(r.stdout).toMatch(/json yaml wide/);
  });

  it('bash: the script is valid bash and completes subcommands and -o values', () => {
    const script = spawnSync(process.execPath, [join(ROOT, 'bin/netsim.js'), 'completion', 'bash'], { encoding: 'utf8' }).stdout;
    const probe = (words: string[]) =>
      spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _netsim; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    const sub = probe(['netsim', 'va']);
    expect(sub.status).toBe(0);
    expect(sub.stdout.trim()).toBe('validate');
    expect(probe(['netsim', 'describe', 'x.yaml', '-o', 'y']).stdout.trim()).toBe('yaml');
    expect(probe(['netsim', 'sweep', '--res']).stdout.trim()).toBe('--resume');
  });

  it('an unknown shell is bad input (exit 2)', async () => {
    const r = await netsim(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bash, zsh, fish/);
  });
});

describe('kubectl-netsim', () => {
  it('package.json installs it, and it runs the same command (kubectl netsim ... runs kubectl-netsim ...)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
    expect(pkg.bin['kubectl-netsim']).toBe('bin/kubectl-netsim.js');
    const bin = join(ROOT, pkg.bin['kubectl-netsim']);
    const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    const validate = spawnSync(process.execPath, [bin, 'validate', NODEPORT], { encoding: 'utf8' });
    expect(validate.status).toBe(0);
    expect(validate.stdout).toMatch(/^ok: 3 pods/);
    const bad = spawnSync(process.execPath, [bin, 'validate', join(ROOT, 'no-such-file.yaml')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});
