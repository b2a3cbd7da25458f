// The `netsim` command as a bundle. `npm run build` runs tsc (dist/src/: what the tests, the sweep workers
// and the library use), then this, which joins the compiled CLI into a few files in dist/cli/ that
// bin/netsim.js loads (it falls back to dist/src/cli/main.js when dist/cli/ is missing).
//
// Why: Node 20 loads ES modules one at a time and has no compile cache (`module.enableCompileCache` is
// Node 22), and `netsim validate` loaded ~240 of them (zod alone is ~95 files): about 150 ms of CPU
// before any work. Bundled, it loads a few files (docs/benchmarks.md, "Start-up"). Each command's work
// stays behind its dynamic import, so it is its own chunk and `--version` loads none of it.
//
// Only the packages on the start-up path are inlined. Every other package stays an import resolved from
// node_modules at run time: piscina starts workers from dist/src/experiment/worker.js, resvg is a native
// module, and the report's packages (Plot, linkedom, ajv...) are loaded only by the commands that use
// them. No source maps: NETSIM_DEBUG stack traces name the bundle's files (the functions keep their names).
import { statSync } from 'node:fs';
import { build } from 'rolldown';

/** Packages inlined into the bundle (the rest are external). */
const INLINED = ['zod', 'yaml', 'commander'];
const OUT = 'dist/cli';

const inlined = (id) => INLINED.some((p) => id === p || id.startsWith(`${p}/`));

const result = await build({
  input: { netsim: 'dist/src/cli/main.js' },
  platform: 'node',
  // A bare specifier is a package: external unless listed above. Relative and absolute ids are files to
  // bundle (ours, or inside an inlined package).
  external: (id) => id.startsWith('node:') || (!id.startsWith('.') && !id.startsWith('/') && !inlined(id)),
  logLevel: 'warn',
  // Doc comments dropped: V8 scans every byte of a module before running it (~10 ms less for validate).
  output: { dir: OUT, format: 'esm', cleanDir: true, comments: { legal: true, jsdoc: false, annotation: false } },
});

const files = result.output.map((o) => o.fileName);
const kB = files.reduce((sum, f) => sum + statSync(`${OUT}/${f}`).size, 0) / 1024;
console.log(`bundled the CLI into ${OUT}/ (${files.length} files, ${kB.toFixed(0)} kB)`);
