/**
 * The service CIDR of a dump. A live Service (one the API server filled in: it has `spec.clusterIPs`) has
 * an address from the cluster's real range, which is seldom kubeadm's default (k3s uses 10.43.0.0/16, EKS
 * 10.100.0.0/16 or 172.20.0.0/16). When the Cluster does not give `serviceCIDR`, the range is taken as the
 * smallest block of at least /16 that holds every live Service's address, so that a dump's addresses are
 * accepted as they are; hand-written addresses outside it are still reported (allocation.ts).
 */
import { cidrContains, formatIPv4, parseCidr, parseIPv4 } from './ipv4.js';

/** The widest block inferred (a /12, the size of kubeadm's default): wider, and the addresses are not one range. */
const WIDEST = 12;
const NARROWEST = 16;

export function inferServiceCIDR(fallback: string, liveAddresses: readonly string[]): string {
  const ips = liveAddresses.map((a) => parseIPv4(a)).filter((x): x is number => x !== undefined);
  const base = parseCidr(fallback)!;
  if (ips.length === 0 || ips.every((ip) => cidrContains(base, ip))) return fallback;
  let prefix = NARROWEST;
  const mask = (p: number): number => (p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0);
  while (prefix >= WIDEST && !ips.every((ip) => ((ip & mask(prefix)) >>> 0) === ((ips[0]! & mask(prefix)) >>> 0))) prefix--;
  if (prefix < WIDEST) return fallback;
  return `${formatIPv4((ips[0]! & mask(prefix)) >>> 0)}/${prefix}`;
}
