/** What `netsim validate` does (its options are in ../commands/validate.ts). */
import type { ModelSpec } from '../../model/spec.js';
import { loadScenario } from '../../scenario/index.js';
import type { ValidateOptions } from '../commands/validate.js';
import { EXIT, type CliContext } from '../context.js';
import { printIgnored } from '../ignored.js';
import { checkFiles, countDiagnostics, printDiagnostics, reportBadInput } from '../input.js';
import { serialize, validateData } from '../output/structured.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function validate(ctx: CliContext, files: string[], opts: ValidateOptions): number {
  checkFiles(files);
  const set = opts.set ?? [];
  const loaded = loadScenario(files, { set, ...(opts.placement !== undefined ? { placement: opts.placement } : {}) });
  const format = opts.output;
  const from = { files, overrides: set, ...(opts.placement !== undefined ? { placement: opts.placement } : {}) };
  if (!loaded.ok) {
    if (format === 'json' || format === 'yaml') ctx.stdout.write(serialize(validateData(from, loaded), format));
    return reportBadInput(ctx, loaded.diagnostics, loaded.sources, set, 'the scenario is not valid');
  }
  if (loaded.warnings.length > 0) {
    printDiagnostics(ctx, loaded.warnings, loaded.sources, set);
    ctx.err(countDiagnostics(loaded.warnings).replace(/^0 errors, /, ''));
  }
  printIgnored(ctx, loaded.ignored);
  if (format === 'json' || format === 'yaml') {
    ctx.stdout.write(serialize(validateData(from, { spec: loaded.spec, diagnostics: loaded.warnings, ignored: loaded.ignored }), format));
    return EXIT.ok;
  }
  const { spec } = loaded;
  const pending = spec.pods.filter((p) => p.nodeName === null).length;
  ctx.out(
    `ok: ${plural(spec.pods.length, 'pod')}${pending > 0 ? ` (${pending} pending)` : ''}, ` +
      `${plural(spec.services.length, 'service')}, ${plural(spec.clients.length, 'client')} ` +
      `on ${plural(spec.nodes.length, 'node')}`,
  );
  if (format === 'wide' && spec.nodes.length > 0) ctx.out(wideText(spec));
  return EXIT.ok;
}

/** `-o wide`: nodes and pods per zone (the ignored objects are listed by the loader's own report). */
function wideText(spec: ModelSpec): string {
  const zones = new Map<string, { nodes: number; pods: number }>();
  const zoneOf = new Map(spec.nodes.map((n) => [n.name, n.zone]));
  for (const n of spec.nodes) {
    const z = zones.get(n.zone) ?? { nodes: 0, pods: 0 };
    z.nodes++;
    zones.set(n.zone, z);
  }
  for (const p of spec.pods) if (p.nodeName !== null) zones.get(zoneOf.get(p.nodeName)!)!.pods++;
  return [...zones].map(([zone, z]) => `  zone ${zone}: ${plural(z.nodes, 'node')}, ${plural(z.pods, 'pod')}`).join('\n');
}
