/**
 * Start-up cost of the `netsim` command: CPU time (user + system, the whole process from its start, node's
 * own bootstrap included) of `netsim --version` and of `netsim validate` on a small scenario, each the
 * median of several fresh processes. Target (#13): at most 0.3 s of CPU each. The child reports its own
 * process.cpuUsage() at exit through a preloaded hook, so nothing but the command itself is measured.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/netsim.js');
const RUNS = 9;
const TARGET_MS = 300;

const HOOK = `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeSync(2, '\\ncpu-us ' + (u.user + u.system) + '\\n'); });\n`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function cpuMs(hook: string, args: readonly string[]): { cpu: number; wall: number } {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--require', hook, BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
    wall.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`netsim ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    const m = /cpu-us (\d+)/.exec(r.stderr);
    if (!m) throw new Error('the child did not report its CPU time');
    cpu.push(Number(m[1]) / 1000);
  }
  return { cpu: median(cpu), wall: median(wall) };
}

export async function run(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-startup-'));
  const hook = join(dir, 'cpu-hook.cjs');
  writeFileSync(hook, HOOK);
  try {
    const lines: string[] = [];
    const bare = spawnSync(process.execPath, ['--require', hook, '-e', '0'], { encoding: 'utf8' });
    const nodeMs = Number(/cpu-us (\d+)/.exec(bare.stderr)?.[1] ?? NaN) / 1000;
    lines.push(`node -e 0 (the floor): ${nodeMs.toFixed(0)} ms CPU`);
    for (const [label, args] of [
      ['netsim --version', ['--version']],
      ['netsim validate models/nodeport-web.yaml', ['validate', 'models/nodeport-web.yaml']],
      ['netsim completion bash', ['completion', 'bash']],
    ] as const) {
      const m = cpuMs(hook, args);
      lines.push(`${label}: ${m.cpu.toFixed(0)} ms CPU (median of ${RUNS}), ${m.wall.toFixed(0)} ms wall; target ≤ ${TARGET_MS} ms CPU: ${m.cpu <= TARGET_MS ? 'met' : 'NOT met'}`);
    }
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
