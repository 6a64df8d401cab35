// An independent, deliberately naive RFC 6962 §2.1 implementation straight from the RFC's
// recursive definitions (over raw entries, SHA3-256 from @noble/hashes), to check src/log against.
import { sha3_256 } from '@noble/hashes/sha3.js';

const H = (...parts: Uint8Array[]): Uint8Array => {
  const h = sha3_256.create();
  for (const p of parts) h.update(p);
  return h.digest();
};
const k = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);

export function naiveMth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return H();
  if (d.length === 1) return H(Uint8Array.of(0), d[0]!);
  const s = k(d.length);
  return H(Uint8Array.of(1), naiveMth(d.slice(0, s)), naiveMth(d.slice(s)));
}

export function naivePath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s ? [...naivePath(m, d.slice(0, s)), naiveMth(d.slice(s))] : [...naivePath(m - s, d.slice(s)), naiveMth(d.slice(0, s))];
}

function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [naiveMth(d)];
  const s = k(d.length);
  return m <= s ? [...subproof(m, d.slice(0, s), b), naiveMth(d.slice(s))] : [...subproof(m - s, d.slice(s), false), naiveMth(d.slice(0, s))];
}

export function naiveConsistency(m: number, d: Uint8Array[]): Uint8Array[] {
  return m === 0 || m === d.length ? [] : subproof(m, d, true);
}

export function entries(n: number, tag = 'e'): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => new TextEncoder().encode(`${tag}-${i}`));
}
