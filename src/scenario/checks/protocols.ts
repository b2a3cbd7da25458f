/**
 * Service ports of protocol UDP or SCTP that a client sends to (issue 15, item 6). The data path is a
 * model of TCP: a connection per request (or kept alive), a conntrack entry per connection, kube-proxy's
 * choice per new connection. The model still answers for such a port (the balancing, the queueing at the
 * pods and the network latencies are the same), so it is a warning, not an error; what it does not model
 * is said in the warning and in docs/model.md.
 */
import type { Problems } from '../problems.js';
import type { ValidatedScenario } from '../validate.js';

const WHAT_CHANGES: Readonly<Record<'UDP' | 'SCTP', string>> = {
  UDP:
    'UDP has no connections: kube-proxy picks an endpoint per conntrack flow (a source and destination address and port pair, kept 30 s after its last packet, 120 s once answered), not per request or connection; keep-alive and pool settings, handshakes and resets do not apply, and a lost datagram is not retransmitted',
  SCTP: 'SCTP associations are handled like TCP connections (multi-homing and streams are not modelled)',
};

export function checkProtocols(v: ValidatedScenario, problems: Problems): void {
  // Services clients address by name (`web` or `shop/web`); a port is reported once.
  const targeted = new Set<string>();
  for (const w of v.workloads) {
    for (const c of w.obj.spec.clients) {
      const t = (c as { target?: { service?: unknown } }).target?.service;
      if (typeof t === 'string') targeted.add(t);
    }
  }
  for (const { res, obj } of v.services) {
    const ns = obj.metadata.namespace ?? 'default';
    const name = obj.metadata.name;
    if (!targeted.has(name) && !targeted.has(`${ns}/${name}`)) continue;
    (obj.spec.ports ?? []).forEach((p, i) => {
      if (p.protocol === 'TCP') return;
      problems.warn(res, ['spec', 'ports', i, 'protocol'], `${p.protocol} is simulated as TCP: ${WHAT_CHANGES[p.protocol]}; latency and balancing figures for this port are those of TCP traffic`);
    });
  }
}
