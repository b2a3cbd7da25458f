#!/usr/bin/env node
// The `netsim` command. `npm run build` (which `npm ci` runs through the `prepare` script) compiles the
// sources to dist/src/ and then bundles the command line into dist/cli/ (scripts/bundle-cli.mjs), which
// starts in about half the CPU time. Without the bundle, or when it is older than the compiled sources (a
// tsc-only build since), the compiled modules run instead: the same program, loaded file by file.
import { statSync } from 'node:fs';

const bundle = new URL('../dist/cli/netsim.js', import.meta.url);
const modules = new URL('../dist/src/cli/main.js', import.meta.url);
const built = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const useBundle = built(bundle) >= 0 && built(bundle) >= built(modules);
const { main } = await import(useBundle ? bundle.href : modules.href);

process.exitCode = await main(process.argv);
