/** What `netsim describe` does (its options are in ../commands/describe.ts). */
import { existsSync } from 'node:fs';
import { renderDescribe } from '../../report/text/describe.js';
import { loadScenario } from '../../scenario/index.js';
import { KIND_ALIASES, type DescribeOptions, type DescribeTable } from '../commands/describe.js';
import { CliError, EXIT, type CliContext } from '../context.js';
import { printIgnored } from '../ignored.js';
import { checkFiles, printDiagnostics, reportBadInput } from '../input.js';
import { describeData } from '../output/describe-data.js';
import { serialize } from '../output/structured.js';
import { widthFor } from '../terminal.js';

export function describe(ctx: CliContext, args: string[], opts: DescribeOptions): number {
  let kind: DescribeTable | 'all' = 'all';
  const files = [...args];
  const last = files[files.length - 1];
  if (files.length > 1 && last !== undefined && KIND_ALIASES[last.toLowerCase()] !== undefined) {
    kind = KIND_ALIASES[last.toLowerCase()]!;
    files.pop();
  } else if (files.length === 1 && last !== undefined && KIND_ALIASES[last.toLowerCase()] !== undefined && !existsSync(last)) {
    throw new CliError(`no scenario file given: write netsim describe FILE... ${last}`);
  }
  checkFiles(files);
  const set = opts.set ?? [];
  const loaded = loadScenario(files, { set, ...(opts.placement !== undefined ? { placement: opts.placement } : {}) });
  if (!loaded.ok) return reportBadInput(ctx, loaded.diagnostics, loaded.sources, set, 'nothing to describe');
  printDiagnostics(ctx, loaded.warnings, loaded.sources, set);
  printIgnored(ctx, loaded.ignored);
  const format = opts.output;
  if (format === 'json' || format === 'yaml') {
    ctx.stdout.write(serialize(describeData({ files, overrides: set, ...(opts.placement !== undefined ? { placement: opts.placement } : {}) }, loaded.spec, kind, loaded), format));
    return EXIT.ok;
  }
  const width = format === 'wide' ? undefined : widthFor(ctx.stdout, ctx.env);
  ctx.out(renderDescribe(loaded.spec, kind, width !== undefined ? { width } : {}));
  return EXIT.ok;
}
