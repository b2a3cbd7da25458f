/** `netsim describe FILE... [KIND]`: what the simulator built, like `kubectl get -o wide`. */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { DESCRIBE_KINDS, renderDescribe, type DescribeKind } from '../../report/text/describe.js';
import { loadScenario } from '../../scenario/index.js';
import { CliError, EXIT, type CliContext } from '../context.js';
import { checkFiles, collect, printDiagnostics, reportBadInput } from '../input.js';

interface DescribeOptions {
  set?: string[];
}

/** Accepted spellings of each kind (kubectl's short names included). */
const KIND_ALIASES: Readonly<Record<string, DescribeKind | 'all'>> = {
  all: 'all',
  node: 'nodes',
  nodes: 'nodes',
  no: 'nodes',
  pod: 'pods',
  pods: 'pods',
  po: 'pods',
  service: 'services',
  services: 'services',
  svc: 'services',
  endpoint: 'endpoints',
  endpoints: 'endpoints',
  ep: 'endpoints',
  client: 'clients',
  clients: 'clients',
};

export function describeCommand(ctx: CliContext): Command {
  return new Command('describe')
    .description('show what the simulator built from a scenario: nodes, pods, services, endpoints, clients')
    .argument('<file...>', `scenario files, then optionally what to show: ${[...DESCRIBE_KINDS, 'all'].join('|')} (default all)`)
    .option('--set <path=value>', 'override a field before validation (repeatable)', collect)
    .addHelpText(
      'after',
      `
Columns follow kubectl get -o wide: pods show READY, STATUS (Running/Pending/Terminating), IP, NODE
and ZONE; services show CLUSTER-IP (None when headless), EXTERNAL-IP, PORT(S) as port:nodePort/protocol,
SELECTOR, and the traffic policies (ETP, ITP), session AFFINITY, TOPOLOGY and load balancer (LB);
endpoints list the ready pod addresses per Service.

Examples:
  $ netsim describe models/production-3zones.yaml
  $ netsim describe models/production-3zones.yaml pods
  $ netsim describe models/nodeport-web.yaml svc --set 'Service/web-service-nodeport.spec.externalTrafficPolicy=Local'`,
    )
    .action((args: string[], opts: DescribeOptions) => {
      let kind: DescribeKind | 'all' = 'all';
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
      const loaded = loadScenario(files, { set });
      if (!loaded.ok) {
        ctx.exitCode = reportBadInput(ctx, loaded.diagnostics, loaded.sources, set, 'nothing to describe');
        return;
      }
      printDiagnostics(ctx, loaded.warnings, loaded.sources, set);
      ctx.out(renderDescribe(loaded.spec, kind));
      ctx.exitCode = EXIT.ok;
    });
}
