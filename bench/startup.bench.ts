/**
 * Start-up cost of the `netsim` command: CPU time (user + system, the whole process from its start, node's
 * own bootstrap and every thread included) of `netsim --version` and of `netsim validate` on a small
 * scenario, each the median of several fresh processes. Target (#13): at most 0.3 s of CPU each. The child
 * reports its own process.cpuUsage() at exit through a preloaded hook, so nothing but the command itself is
 * measured. CPU rather than wall time: the figures stay meaningful on a machine shared with other work.
 *
 * `bin/netsim.js` runs the bundle in dist/cli/ (scripts/bundle-cli.mjs); the "modules" lines run the same
 * program from the compiled modules in dist/src/ (what bin/netsim.js falls back to without the bundle), so
 * one run shows what the bundle is worth. The commands take turns, so a change in the machine's load
 * touches them all alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/netsim.js');
const RUNS = 9;
const TARGET_MS = 300;
const SMALL = 'models/nodeport-web.yaml';

const HOOK = `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeSync(2, '\\ncpu-us ' + (u.user + u.system) + '\\n'); });\n`;
const MODULES_ENTRY = `import { main } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/src/cli/main.js')).href)};\nprocess.exitCode = await main(process.argv);\n`;

interface Case {
  readonly label: string;
  /** Node's arguments after the CPU hook: a script and its arguments. */
  readonly argv: readonly string[];
  /** Held to the #13 target. */
  readonly target: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function runOnce(hook: string, argv: readonly string[]): { cpu: number; wall: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', hook, ...argv], { cwd: ROOT, encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /cpu-us (\d+)/.exec(r.stderr);
  if (!m) throw new Error('the child did not report its CPU time');
  return { cpu: Number(m[1]) / 1000, wall };
}

export async function run(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-startup-'));
  const hook = join(dir, 'cpu-hook.cjs');
  const modules = join(dir, 'modules.mjs');
  writeFileSync(hook, HOOK);
  writeFileSync(modules, MODULES_ENTRY);
  try {
    const bundled = existsSync(join(ROOT, 'dist/cli/netsim.js'));
    const cases: Case[] = [
      { label: 'node -e 0 (the floor)', argv: ['-e', '0'], target: false },
      { label: 'netsim --version', argv: [BIN, '--version'], target: true },
      { label: `netsim validate ${SMALL}`, argv: [BIN, 'validate', SMALL], target: true },
      { label: 'netsim completion bash', argv: [BIN, 'completion', 'bash'], target: false },
      { label: `validate ${SMALL}, from the modules (no bundle)`, argv: [modules, 'validate', SMALL], target: false },
    ];
    const cpu = cases.map((): number[] => []);
    const wall = cases.map((): number[] => []);
    for (let i = 0; i < RUNS; i++) {
      cases.forEach((c, k) => {
        const m = runOnce(hook, c.argv);
        cpu[k]!.push(m.cpu);
        wall[k]!.push(m.wall);
      });
    }
    const lines = [bundled ? 'bin/netsim.js runs the bundle (dist/cli/)' : 'no bundle in dist/cli/: bin/netsim.js runs the modules (npm run build makes it)'];
    cases.forEach((c, k) => {
      const ms = median(cpu[k]!);
      const verdict = c.target ? `; target ≤ ${TARGET_MS} ms CPU: ${ms <= TARGET_MS ? 'met' : 'NOT met'}` : '';
      lines.push(`${c.label}: ${ms.toFixed(0)} ms CPU (median of ${RUNS}), ${median(wall[k]!).toFixed(0)} ms wall${verdict}`);
    });
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
