/**
 * Integer hashes used by L4 decisions that are deterministic rather than random: IPVS source/destination
 * hashing (the kernel's own `hash_32`), load-balancer flow hashing, and stable hashes of names.
 *
 * All functions work on unsigned 32-bit integers and allocate nothing.
 */

/** The kernel's `GOLDEN_RATIO_32` (include/linux/hash.h). */
export const GOLDEN_RATIO_32 = 0x61c88647;

/** Linux `hash_32(val, bits)`: multiplicative (Fibonacci) hashing to `bits` bits. */
export function kernelHash32(value: number, bits: number): number {
  return Math.imul(value >>> 0, GOLDEN_RATIO_32) >>> (32 - bits);
}

/**
 * MurmurHash3's finaliser: every input bit affects every output bit. Used to turn a flow number (often a
 * plain counter in the data path) into a well-spread hash, as a load balancer's 5-tuple hash would be.
 */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of `text`: a stable name hash for setup-time use. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Dotted-quad IPv4 to its host-order integer; `null` for anything else (IPv6, a name). */
export function ipv4ToUint32(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value >>> 0;
}

/** An address as the 32-bit number a kernel hash sees; non-IPv4 text falls back to a name hash. */
export function addressKey(ip: string): number {
  return ipv4ToUint32(ip) ?? fnv1a32(ip);
}
