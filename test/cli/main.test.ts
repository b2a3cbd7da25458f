import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, model, netsim, ROOT } from './helpers.js';

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('netsim (commander)', () => {
  it('--help lists the commands, examples and exit codes on stdout, exit 0', async () => {
    const res = await netsim(['--help']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    for (const text of ['Usage: netsim', 'run [options] <file...>', 'validate', 'describe', 'Examples:', 'Exit codes:', '2  bad input']) {
      expect(res.stdout).toContain(text);
    }
  });

  it.each(['run', 'validate', 'describe'])('%s --help has examples, exit 0', async (cmd) => {
    const res = await netsim([cmd, '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Usage: netsim ${cmd}`);
    expect(res.stdout).toContain('Examples:');
    expect(res.stdout).toContain(`$ netsim ${cmd} models/`);
    const viaHelp = await netsim(['help', cmd]);
    expect(viaHelp).toEqual(res);
  });

  it('run --help documents every option', async () => {
    const res = await netsim(['run', '--help']);
    for (const opt of ['--seed <n>', '--out <dir>', '--set <path=value>', '--json', '-q, --quiet', 'Exit codes: 0 ok, 1']) expect(res.stdout).toContain(opt);
  });

  it('--version prints the package version', async () => {
    const res = await netsim(['--version']);
    expect(res).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('an unknown command exits 2 with commander\'s error and a suggestion', async () => {
    const res = await netsim(['rnu', model('nodeport-web.yaml')]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain("error: unknown command 'rnu'");
    expect(res.stderr).toContain('(Did you mean run?)');
  });

  it('an unknown option exits 2', async () => {
    const res = await netsim(['run', model('nodeport-web.yaml'), '--sed', '3']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("error: unknown option '--sed'");
    expect(res.stderr).toMatch(/Did you mean .*--seed/);
    expect(hasStackTrace(res.stderr)).toBe(false);
  });

  it('a missing argument exits 2', async () => {
    const res = await netsim(['validate']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("error: missing required argument 'file'");
  });

  it('no command at all prints the help on stderr and exits 2', async () => {
    const res = await netsim([]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('Usage: netsim');
  });

  it('the bin script runs the built CLI', () => {
    const bin = join(ROOT, 'bin/netsim.js');
    expect(existsSync(join(ROOT, 'dist/src/cli/main.js')), 'dist is built by `npm test` / `npm ci`').toBe(true);
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', cwd: ROOT });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: netsim');
    expect(help.stdout).toContain('Exit codes:');
    const bad = spawnSync(process.execPath, [bin, 'validate', 'no-such-file.yaml'], { encoding: 'utf8', cwd: ROOT });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('error: no-such-file.yaml: no such file\n');
  });
});
