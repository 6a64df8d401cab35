// FIPS 202 §4 sponge construction over Keccak-f[1600] (assembly/keccak-f1600.ts), with the §5.1
// multi-rate padding pad10*1 and the §6 domain suffixes (SHA3: bits 01 → byte 0x06; SHAKE: bits 1111
// → byte 0x1f, per §B.2 with the padding's first 1 bit folded in). Every rate r (bytes, a multiple of
// 8 below 200: 144/136/104/72 for SHA3-224/256/384/512, 168/136 for SHAKE128/256) is one parameter.
//
// A streaming state is 208 bytes of linear memory (KECCAK_STATE_BYTES), 8-aligned, owned by the TS
// side (a persistent slot, so it survives between calls):
//   [0, 200)   the 25 lanes, little-endian (§B.1 byte order: state byte i = lane i/8, bits 8(i%8)..)
//   [200, 204) u32 pos: bytes absorbed into the current block, or bytes already squeezed from it
//   [204, 208) u32 rate in bytes
// Absorbing XORs input bytes straight into the lanes (no block buffer): whole blocks go 8 bytes at a
// time with little-endian u64 loads from the input, partial blocks bytewise.
// Ranges: the TS side checks that every pointer + length lies inside memory and that rates are valid;
// the debug build asserts the rate again.

import { keccakF1600 } from './keccak-f1600';
import { keccakHashX2, KECCAK_X2_STATE_BYTES } from './keccak-x2';

const LANES_BYTES: usize = 200;
const POS_OFFSET: usize = 200;
const RATE_OFFSET: usize = 204;
/** Bytes of one streaming state (lanes, pos, rate). */
const KECCAK_STATE_BYTES: i32 = 208;
/** SHA3 domain byte (FIPS 202 §6.1: M ‖ 01, then pad10*1). */
const SHA3_DS: u32 = 0x06;
const SHA3_256_RATE: u32 = 136;
const SHA3_256_BYTES: u32 = 32;

/** Returns the size in bytes of one streaming state slot (208); the TS side sizes its slots with it. */
export function keccakStateBytes(): i32 {
  return KECCAK_STATE_BYTES;
}

/** Returns the size in bytes of the 2-lane scratch state the batch kernels need (SIMD or not). */
export function keccakX2StateBytes(): i32 {
  return KECCAK_X2_STATE_BYTES;
}

@inline function checkRate(rate: u32): void {
  assert(rate >= 8 && rate < 200 && (rate & 7) == 0, 'keccak: rate must be a multiple of 8 in [8, 192]');
}

/** Zeroes the state at `st` and sets its rate (bytes; multiple of 8 in [8, 192]). */
export function keccakInit(st: usize, rate: u32): void {
  checkRate(rate);
  memory.fill(st, 0, LANES_BYTES);
  store<u32>(st, 0, POS_OFFSET);
  store<u32>(st, rate, RATE_OFFSET);
}

/**
 * Absorbs `len` bytes at `p` into the state at `st` (FIPS 202 §4 Algorithm 8 steps 6, fed
 * incrementally). Any split of a message into updates gives the same state.
 */
export function keccakUpdate(st: usize, p: usize, len: usize): void {
  const rate = <usize>load<u32>(st, RATE_OFFSET);
  checkRate(<u32>rate);
  let pos = <usize>load<u32>(st, POS_OFFSET);
  if (pos != 0) {
    const room = rate - pos;
    const n = len < room ? len : room;
    for (let i: usize = 0; i < n; i++) store<u8>(st + pos + i, load<u8>(st + pos + i) ^ load<u8>(p + i));
    pos += n;
    p += n;
    len -= n;
    if (pos < rate) {
      store<u32>(st, <u32>pos, POS_OFFSET);
      return;
    }
    keccakF1600(st);
  }
  const lanes = rate >> 3;
  while (len >= rate) {
    for (let i: usize = 0; i < lanes; i++) {
      const o = i << 3;
      store<u64>(st + o, load<u64>(st + o) ^ load<u64>(p + o));
    }
    keccakF1600(st);
    p += rate;
    len -= rate;
  }
  for (let i: usize = 0; i < len; i++) store<u8>(st + i, load<u8>(st + i) ^ load<u8>(p + i));
  store<u32>(st, <u32>len, POS_OFFSET);
}

/**
 * Pads the absorbed message with domain byte `ds` (0x06 SHA3, 0x1f SHAKE; its low bits are the
 * suffix, the next bit starts pad10*1) and the final 0x80 at byte rate − 1, permutes, and switches
 * the state to squeezing at offset 0. Call once; then {@link keccakSqueeze}.
 */
export function keccakPad(st: usize, ds: u32): void {
  const rate = <usize>load<u32>(st, RATE_OFFSET);
  checkRate(<u32>rate);
  const pos = <usize>load<u32>(st, POS_OFFSET);
  store<u8>(st + pos, load<u8>(st + pos) ^ <u8>ds);
  store<u8>(st + rate - 1, load<u8>(st + rate - 1) ^ 0x80);
  keccakF1600(st);
  store<u32>(st, 0, POS_OFFSET);
}

/**
 * Squeezes `outLen` bytes to `out` from a padded state, continuing where the last squeeze stopped
 * (FIPS 202 §4 Algorithm 8 steps 7–10): output may be read in any number of calls.
 */
export function keccakSqueeze(st: usize, out: usize, outLen: usize): void {
  const rate = <usize>load<u32>(st, RATE_OFFSET);
  checkRate(<u32>rate);
  let pos = <usize>load<u32>(st, POS_OFFSET);
  while (outLen > 0) {
    if (pos == rate) {
      keccakF1600(st);
      pos = 0;
    }
    const room = rate - pos;
    const n = outLen < room ? outLen : room;
    memory.copy(out, st + pos, n);
    out += n;
    outLen -= n;
    pos += n;
  }
  store<u32>(st, <u32>pos, POS_OFFSET);
}

/**
 * One-shot sponge: `outLen` bytes of Keccak[rate](M ‖ suffix) for the `len` bytes at `p`, using the
 * 208-byte scratch state at `st`, which is zeroed again before returning (the permutation is
 * invertible, so a leftover state would reveal the last block). One call per message.
 */
export function keccakHash(st: usize, rate: u32, ds: u32, p: usize, len: usize, out: usize, outLen: usize): void {
  keccakInit(st, rate);
  keccakUpdate(st, p, len);
  keccakPad(st, ds);
  keccakSqueeze(st, out, outLen);
  memory.fill(st, 0, <usize>KECCAK_STATE_BYTES);
}

/**
 * Batch sponge: `count` messages stored back to back at `data`, their byte lengths as u32 at `lens`;
 * writes `outLen` bytes per message to `out` (message i at `out + i·outLen`). With SIMD, two
 * consecutive messages of equal length run together in the 2-lane permutation (`st2`, 16-aligned,
 * KECCAK_X2_STATE_BYTES); otherwise (and without SIMD) one at a time in `st`. `outLen` ≤ rate.
 */
export function keccakHashMany(
  st: usize,
  st2: usize,
  rate: u32,
  ds: u32,
  data: usize,
  lens: usize,
  count: u32,
  out: usize,
  outLen: usize,
): void {
  let p = data;
  let i: u32 = 0;
  while (i < count) {
    const len = <usize>load<u32>(lens + (<usize>i << 2));
    if (ASC_FEATURE_SIMD && i + 1 < count && <usize>load<u32>(lens + (<usize>(i + 1) << 2)) == len) {
      keccakHashX2(st2, rate, ds, -1, p, p + len, len, out, out + outLen, outLen);
      p += len << 1;
      out += outLen << 1;
      i += 2;
    } else {
      keccakHash(st, rate, ds, p, len, out, outLen);
      p += len;
      out += outLen;
      i += 1;
    }
  }
}

/**
 * Leaf hashes of a tree hash: the `len` bytes at `data` split into chunks of `chunkBytes` (the last
 * may be shorter; `len` > 0); writes SHA3-256(0x00 ‖ chunk_i) (RFC 6962 §2.1 leaf prefix) for each
 * chunk to `out + 32i`. With SIMD, pairs of equal-length chunks share the 2-lane permutation.
 */
export function keccakTreeLeaves(st: usize, st2: usize, data: usize, len: usize, chunkBytes: usize, out: usize): void {
  assert(chunkBytes > 0, 'keccakTreeLeaves: chunkBytes must be positive');
  let p = data;
  let left = len;
  while (left > 0) {
    const n = left < chunkBytes ? left : chunkBytes;
    if (ASC_FEATURE_SIMD && left >= chunkBytes << 1) {
      keccakHashX2(st2, SHA3_256_RATE, SHA3_DS, 0x00, p, p + n, n, out, out + SHA3_256_BYTES, SHA3_256_BYTES);
      p += n << 1;
      left -= n << 1;
      out += SHA3_256_BYTES << 1;
    } else {
      keccakInit(st, SHA3_256_RATE);
      store<u8>(st, 0x00); // the leaf prefix byte: XOR with 0 leaves the lane as it is
      store<u32>(st, 1, POS_OFFSET);
      keccakUpdate(st, p, n);
      keccakPad(st, SHA3_DS);
      keccakSqueeze(st, out, SHA3_256_BYTES);
      p += n;
      left -= n;
      out += SHA3_256_BYTES;
    }
  }
}
