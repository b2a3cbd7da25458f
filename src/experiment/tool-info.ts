/**
 * Name and version of the program, for result files and `netsim --version`. In its own module (node:fs
 * only) so that printing the version loads nothing else.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ToolInfo {
  readonly name: string;
  readonly version: string;
}

let cachedTool: ToolInfo | undefined;

/**
 * Name and version from the project's package.json, found by walking up from this module (it sits at a
 * different depth in `src/` and in `dist/src/`).
 */
export function toolInfo(): ToolInfo {
  if (cachedTool) return cachedTool;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'kube-netsim' && typeof pkg.version === 'string') {
          cachedTool = { name: pkg.name, version: pkg.version };
          return cachedTool;
        }
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  cachedTool = { name: 'kube-netsim', version: '0.0.0' };
  return cachedTool;
}
