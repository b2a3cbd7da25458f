/** `netsim describe FILE... [KIND]`: what the simulator built, like `kubectl get`. */
import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import { collect, OUTPUT_FORMATS, type OutputFormat } from '../options.js';

export interface DescribeOptions {
  set?: string[];
  output?: OutputFormat;
  placement?: 'as-is' | 'reschedule';
}

/** What `describe` can show: the tables of src/report/text/describe.ts (a test keeps the two lists equal). */
export const DESCRIBE_TABLES = ['nodes', 'pods', 'services', 'endpoints', 'clients'] as const;
export type DescribeTable = (typeof DESCRIBE_TABLES)[number];

/** Accepted spellings of each kind (kubectl's short names included). */
export const KIND_ALIASES: Readonly<Record<string, DescribeTable | 'all'>> = {
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
    .argument('<file...>', `scenario files, then optionally what to show: ${[...DESCRIBE_TABLES, 'all'].join('|')} (default all)`)
    .option('--set <path=value>', 'override a field before validation (repeatable)', collect)
    .addOption(new Option('--placement <mode>', "a dump's live pods: as-is (on their nodes, the default) or reschedule (placed by the scheduler model)").choices(['as-is', 'reschedule']))
    .addOption(new Option('-o, --output <format>', `${OUTPUT_FORMATS.join('|')}: json or yaml on stdout (schemas/describe.schema.json); wide never wraps a row`).choices(OUTPUT_FORMATS))
    .addHelpText(
      'after',
      `
Columns follow kubectl get -o wide: pods show READY, STATUS (Running/Pending/Terminating), IP, NODE
and ZONE; services show CLUSTER-IP (None when headless), EXTERNAL-IP, PORT(S) as port:nodePort/protocol,
SELECTOR, and the traffic policies (ETP, ITP), session AFFINITY, TOPOLOGY and load balancer (LB);
endpoints list the ready pod addresses per Service. On a terminal, long cells wrap to fit its width;
-o wide (and any pipe) keeps every row on one line.

Examples:
  $ netsim describe models/production-3zones.yaml
  $ netsim describe models/production-3zones.yaml pods
  $ netsim describe models/production-3zones.yaml svc -o json | jq '.services[].clusterIP'
  $ netsim describe models/nodeport-web.yaml svc --set 'Service/web-service-nodeport.spec.externalTrafficPolicy=Local'`,
    )
    .action(async (args: string[], opts: DescribeOptions) => {
      const { describe } = await import('../actions/describe.js');
      ctx.exitCode = describe(ctx, args, opts);
    });
}
