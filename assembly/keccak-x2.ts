// Two independent FIPS 202 §4 sponges run at once in the 2-lane permutation keccakF1600x2 (SIMD
// builds only): used for batch digests of equal-length messages and for tree-hash leaves (RFC 6962
// §2.1 leaf prefix 0x00). Both messages have the same length, so both sponges see the same block
// schedule; only the bytes differ.
//
// Scratch layout at st2 (16-aligned, KECCAK_X2_STATE_BYTES):
//   [0, 400)    25 interleaved lanes: lane i of sponge A at 16i, of sponge B at 16i + 8
//   [400, 600)  block buffer of A (the prefixed first block and the padded last block)
//   [600, 800)  block buffer of B

import { keccakF1600x2 } from './keccak-f1600';

/** Bytes of the 2-lane scratch state (interleaved lanes + two block buffers). */
export const KECCAK_X2_STATE_BYTES: i32 = 800;
const BUF_A: usize = 400;
const BUF_B: usize = 600;

/** XORs one `rate`-byte block of each message into its half of the interleaved lanes. */
@inline function xorBlocks(st2: usize, a: usize, b: usize, lanes: usize): void {
  for (let i: usize = 0; i < lanes; i++) {
    const s = st2 + (i << 4);
    const o = i << 3;
    store<u64>(s, load<u64>(s) ^ load<u64>(a + o));
    store<u64>(s, load<u64>(s, 8) ^ load<u64>(b + o), 8);
  }
}

/**
 * Copies virtual-message bytes [s, s + n) of (prefix? ‖ data) into `buf` (hp = 1 when a prefix byte
 * leads the message). Returns nothing; `buf` must already be zeroed past n when padding follows.
 */
@inline function copyVirtual(buf: usize, prefix: i32, hp: usize, data: usize, s: usize, n: usize): void {
  if (n == 0) return;
  if (s < hp) {
    store<u8>(buf, <u8>prefix);
    memory.copy(buf + 1, data, n - 1);
  } else {
    memory.copy(buf, data + s - hp, n);
  }
}

/** Writes `outLen` (≤ rate) bytes of one half of the interleaved state to `out`. */
@inline function squeezeHalf(st2: usize, half: usize, out: usize, outLen: usize): void {
  const whole = outLen >> 3;
  for (let i: usize = 0; i < whole; i++) store<u64>(out + (i << 3), load<u64>(st2 + (i << 4) + half));
  for (let j: usize = whole << 3; j < outLen; j++) store<u8>(out + j, load<u8>(st2 + ((j >> 3) << 4) + half + (j & 7)));
}

/**
 * Hashes two messages of `len` bytes each, at `a` and `b`, with rate `rate` (multiple of 8 in
 * [8, 192]) and domain byte `ds`; `prefix` ≥ 0 prepends that byte to both messages (−1: none).
 * Writes `outLen` (≤ rate) bytes each to `outA` and `outB`. SIMD builds only (traps otherwise).
 */
export function keccakHashX2(
  st2: usize,
  rate: u32,
  ds: u32,
  prefix: i32,
  a: usize,
  b: usize,
  len: usize,
  outA: usize,
  outB: usize,
  outLen: usize,
): void {
  if (!ASC_FEATURE_SIMD) {
    unreachable();
    return;
  }
  assert(rate >= 8 && rate < 200 && (rate & 7) == 0 && outLen <= <usize>rate, 'keccakHashX2: bad rate or outLen');
  const r = <usize>rate;
  const lanes = r >> 3;
  const hp: usize = prefix >= 0 ? 1 : 0;
  const total = len + hp;
  memory.fill(st2, 0, 400);
  let s: usize = 0;
  for (; s + r <= total; s += r) {
    if (s >= hp) {
      xorBlocks(st2, a + s - hp, b + s - hp, lanes);
    } else {
      copyVirtual(st2 + BUF_A, prefix, hp, a, s, r);
      copyVirtual(st2 + BUF_B, prefix, hp, b, s, r);
      xorBlocks(st2, st2 + BUF_A, st2 + BUF_B, lanes);
    }
    keccakF1600x2(st2);
  }
  const rem = total - s;
  memory.fill(st2 + BUF_A, 0, 400);
  copyVirtual(st2 + BUF_A, prefix, hp, a, s, rem);
  copyVirtual(st2 + BUF_B, prefix, hp, b, s, rem);
  store<u8>(st2 + BUF_A + rem, load<u8>(st2 + BUF_A + rem) ^ <u8>ds);
  store<u8>(st2 + BUF_B + rem, load<u8>(st2 + BUF_B + rem) ^ <u8>ds);
  store<u8>(st2 + BUF_A + r - 1, load<u8>(st2 + BUF_A + r - 1) ^ 0x80);
  store<u8>(st2 + BUF_B + r - 1, load<u8>(st2 + BUF_B + r - 1) ^ 0x80);
  xorBlocks(st2, st2 + BUF_A, st2 + BUF_B, lanes);
  keccakF1600x2(st2);
  squeezeHalf(st2, 0, outA, outLen);
  squeezeHalf(st2, 8, outB, outLen);
}
