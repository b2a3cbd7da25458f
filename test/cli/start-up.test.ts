/**
 * Which program `bin/netsim.js` runs (docs/cli.md, "Start-up time"): the bundle in dist/cli/ when it is
 * there and not older than the compiled modules in dist/src/, otherwise the modules. Checked on a copy of
 * the bin script in a scratch tree whose two entry points only say which one ran, so the real dist/ is
 * left alone.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

let tree: string;
const BUNDLE = (): string => join(tree, 'dist/cli/netsim.js');
const MODULES = (): string => join(tree, 'dist/src/cli/main.js');

/** An entry point that prints its name and the arguments main() got, and exits with 3. */
function entry(path: string, name: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `export async function main(argv) { console.log(${JSON.stringify(name)}, argv.slice(2).join(' ')); return 3; }\n`);
}

function age(path: string, secondsAgo: number): void {
  const t = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, t, t);
}

function run(bin = 'netsim.js'): { stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, [join(tree, 'bin', bin), 'validate', 'a.yaml'], { encoding: 'utf8' });
  return { stdout: r.stdout, status: r.status };
}

beforeEach(() => {
  tree = mkdtempSync(join(tmpdir(), 'netsim-bin-'));
  mkdirSync(join(tree, 'bin'));
  for (const b of ['netsim.js', 'kubectl-netsim.js']) copyFileSync(join(ROOT, 'bin', b), join(tree, 'bin', b));
});
afterEach(() => rmSync(tree, { recursive: true, force: true }));

describe('bin/netsim.js', () => {
  it('runs the bundle when it is newer than the compiled modules, with the arguments and exit code of main()', () => {
    entry(MODULES(), 'modules');
    entry(BUNDLE(), 'bundle');
    age(MODULES(), 60);
    expect(run()).toEqual({ stdout: 'bundle validate a.yaml\n', status: 3 });
  });

  it('runs the modules when the bundle is older than them (tsc was run alone since the last npm run build)', () => {
    entry(MODULES(), 'modules');
    entry(BUNDLE(), 'bundle');
    age(BUNDLE(), 60);
    expect(run()).toEqual({ stdout: 'modules validate a.yaml\n', status: 3 });
  });

  it('runs the modules when there is no bundle', () => {
    entry(MODULES(), 'modules');
    expect(run()).toEqual({ stdout: 'modules validate a.yaml\n', status: 3 });
  });

  it('kubectl-netsim makes the same choice', () => {
    entry(MODULES(), 'modules');
    entry(BUNDLE(), 'bundle');
    age(MODULES(), 60);
    expect(run('kubectl-netsim.js')).toEqual({ stdout: 'bundle validate a.yaml\n', status: 3 });
  });
});
