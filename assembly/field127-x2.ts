// Two and four F_p elements at once (p = 2^127 − 1) in WASM SIMD lanes, for the batch kernels of SIMD
// builds. Same arithmetic as field127.ts (five 26-bit limbs, 2^130 ≡ 8). `i64x2.extmul_low_i32x4_u` /
// `extmul_high_i32x4_u` (WASM SIMD spec §4.4.3.14; on x86-64 V8 emits two unpacks and one `pmuludq`)
// form two 26×26-bit products per instruction; columns and carries are i64x2 (one pair of elements).
// The elementwise product takes four elements per step with their 32-bit words transposed into i32x4
// vectors, so limb extraction and the canonical check cost one vector op per four elements; the
// combine kernel keeps two elements' limbs in the low i32 lanes. Measured on x86-64 (AMD EPYC, V8 in
// Node 24), 4096-element chunks in cache: 9.4 ns per product, against 13.8 ns for the former
// pair-plus-scalar interleave and 15.6 ns scalar-only; the vector and integer multipliers do not
// overlap enough there for an interleaved scalar element to pay.
//
// Constant time: no branch or address depends on an element value; the final subtraction of p is
// applied under a mask. Only SIMD builds call these (guard with ASC_FEATURE_SIMD).

const M26: u64 = 0x3ffffff;

// Vector masks are loaded from static memory, not written as v128 constants: the optimizer would
// propagate such a constant into every use, and V8 builds each v128.const from general registers
// (several instructions) where a load from L1 is one; measured 15% of the elementwise product.
const MASKS: usize = memory.data<u32>([
  0x3ffffff, 0x3ffffff, 0x3ffffff, 0x3ffffff, // 2^26 − 1 per i32 lane
  0x3ffffff, 0, 0x3ffffff, 0, // 2^26 − 1 per i64 lane
  0x7fffff, 0, 0x7fffff, 0, // 2^23 − 1 per i64 lane
  0, 0x80000000, 0, 0x80000000, // 2^63 per i64 lane
], 16);
/** 2^26 − 1 in every i32 lane. */
@inline function M26x4(): v128 { return v128.load(MASKS); }
/** 2^26 − 1 in every i64 lane. */
@inline function M26x2(): v128 { return v128.load(MASKS, 16); }
/** 2^23 − 1 in every i64 lane. */
@inline function M23x2(): v128 { return v128.load(MASKS, 32); }
/** 2^63 in every i64 lane. */
@inline function SIGNx2(): v128 { return v128.load(MASKS, 48); }

/** Bytes of the nine splatted limb vectors of one multiplier (see `f127x2SplatLimbs`). */
export const F127X2_LIMBS_BYTES: usize = 144;

@inline function V(x: u64): v128 {
  return i64x2.splat(x);
}

/** Moves i32 lanes 0 and 2 (the low words of the two i64 lanes) into lanes 0 and 1. */
@inline function compact(x: v128): v128 {
  return i32x4.shuffle(x, x, 0, 2, 0, 2);
}

@inline function mx(a: v128, b: v128): v128 {
  return i64x2.extmul_low_i32x4_u(a, b);
}

/**
 * Stores the canonical forms of two values given as lo/hi i64x2 lanes at out and out + 16; each
 * value v = hi·2^64 + lo must be < 2^127 + 2^64 (hi ≤ 2^63, which `carry2Store` guarantees), so
 * v < 2p and one masked subtraction of p suffices: v ≥ p ⇔ v + 1 ≥ 2^127, and then
 * v − p = v + 1 − 2^127 (no fold of bit 127 first).
 */
@inline function finish2Store(out: usize, lo: v128, hi: v128): void {
  const ce = i64x2.eq(lo, V(0xffffffffffffffff)); // all ones when lo + 1 carries
  const h1 = i64x2.sub(hi, ce);
  const m = i64x2.lt_s(h1, V(0)); // bit 127 of v + 1 (h1 ≤ 2^63 + 1 never wraps)
  const rl = i64x2.sub(lo, m);
  const rh = i64x2.sub(hi, v128.and(m, i64x2.add(ce, SIGNx2()))); // h1 − 2^63 under the mask
  v128.store(out, i64x2.shuffle(rl, rh, 0, 2));
  v128.store(out, i64x2.shuffle(rl, rh, 1, 3), 16);
}

/**
 * Carries wide columns (each lane < 2^63), folds bits ≥ 127 once into the packed value and stores
 * both canonical results at out, out + 16 (the vector twin of field127.ts `carryStore`).
 */
@inline function carry2Store(out: usize, r0: v128, r1: v128, r2: v128, r3: v128, r4: v128): void {
  const m26 = M26x2();
  r1 = i64x2.add(r1, i64x2.shr_u(r0, 26)); r0 = v128.and(r0, m26);
  r2 = i64x2.add(r2, i64x2.shr_u(r1, 26)); r1 = v128.and(r1, m26);
  r3 = i64x2.add(r3, i64x2.shr_u(r2, 26)); r2 = v128.and(r2, m26);
  r4 = i64x2.add(r4, i64x2.shr_u(r3, 26)); r3 = v128.and(r3, m26);
  const top = i64x2.shr_u(r4, 23);
  const lo = i64x2.add(v128.or(v128.or(r0, i64x2.shl(r1, 26)), i64x2.shl(r2, 52)), top);
  // unsigned lo < top (the carry of the addition) via signed compare of sign-flipped lanes
  const c = i64x2.lt_s(v128.xor(lo, SIGNx2()), v128.xor(top, SIGNx2()));
  const hi = v128.or(v128.or(i64x2.shr_u(r2, 12), i64x2.shl(r3, 14)), i64x2.shl(v128.and(r4, M23x2()), 40));
  finish2Store(out, lo, i64x2.sub(hi, c));
}

@inline function mxh(a: v128, b: v128): v128 {
  return i64x2.extmul_high_i32x4_u(a, b);
}

/**
 * Per i32 lane, bit 31 set when the element with 32-bit words w0..w3 (w3 most significant) is ≥ p,
 * other bits meaningless: w3 ≥ 2^31, or v = p exactly (w0 = w1 = w2 = 2^32 − 1 and w3 + 1 = 2^31).
 */
@inline function nonCanonicalBit4(w0: v128, w1: v128, w2: v128, w3: v128): v128 {
  const ones = v128.and(v128.and(i32x4.eq(w0, i32x4.splat(-1)), i32x4.eq(w1, i32x4.splat(-1))), i32x4.eq(w2, i32x4.splat(-1)));
  return v128.or(w3, i32x4.sub(w3, ones));
}

/**
 * [out + 16·e] = [a + 16·e]·[b + 16·e] for e = 0..3. The four elements' 32-bit words are transposed
 * into word vectors (lane e = element e), so limb extraction, the canonical check and the 8·b_j run
 * once for four elements as i32x4; `extmul_low` forms the products of elements 0, 1 and
 * `extmul_high` those of elements 2, 3 (25 of each), and each pair is carried by `carry2Store`. Returns, per i32 lane, a word whose bit 31 is set when that element's a or b is
 * ≥ p (then its result is meaningless). For inputs < p the results are canonical.
 * out may equal a or b (all loads happen before the stores).
 */
@inline export function f127x4MulStore(out: usize, a: usize, b: usize): v128 {
  const u0 = v128.load(a), u1 = v128.load(a, 16), u2 = v128.load(a, 32), u3 = v128.load(a, 48);
  const p0 = i32x4.shuffle(u0, u1, 0, 4, 1, 5), p1 = i32x4.shuffle(u2, u3, 0, 4, 1, 5);
  const p2 = i32x4.shuffle(u0, u1, 2, 6, 3, 7), p3 = i32x4.shuffle(u2, u3, 2, 6, 3, 7);
  const x0 = i64x2.shuffle(p0, p1, 0, 2), x1 = i64x2.shuffle(p0, p1, 1, 3);
  const x2 = i64x2.shuffle(p2, p3, 0, 2), x3 = i64x2.shuffle(p2, p3, 1, 3);
  const v0 = v128.load(b), v1 = v128.load(b, 16), v2 = v128.load(b, 32), v3 = v128.load(b, 48);
  const q0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5), q1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
  const q2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7), q3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
  const y0 = i64x2.shuffle(q0, q1, 0, 2), y1 = i64x2.shuffle(q0, q1, 1, 3);
  const y2 = i64x2.shuffle(q2, q3, 0, 2), y3 = i64x2.shuffle(q2, q3, 1, 3);
  const bad = v128.or(nonCanonicalBit4(x0, x1, x2, x3), nonCanonicalBit4(y0, y1, y2, y3));
  const m = M26x4();
  // limb j holds bits 26j..26j+25: limbs 1..3 straddle two words
  const a0 = v128.and(x0, m);
  const a1 = v128.and(v128.or(i32x4.shr_u(x0, 26), i32x4.shl(x1, 6)), m);
  const a2 = v128.and(v128.or(i32x4.shr_u(x1, 20), i32x4.shl(x2, 12)), m);
  const a3 = v128.and(v128.or(i32x4.shr_u(x2, 14), i32x4.shl(x3, 18)), m);
  const a4 = i32x4.shr_u(x3, 8);
  const b0 = v128.and(y0, m);
  const b1 = v128.and(v128.or(i32x4.shr_u(y0, 26), i32x4.shl(y1, 6)), m);
  const b2 = v128.and(v128.or(i32x4.shr_u(y1, 20), i32x4.shl(y2, 12)), m);
  const b3 = v128.and(v128.or(i32x4.shr_u(y2, 14), i32x4.shl(y3, 18)), m);
  const b4 = i32x4.shr_u(y3, 8);
  // 2^130 ≡ 8: the products that land at column ≥ 5 come back 5 columns lower times 8
  const s1 = i32x4.shl(b1, 3), s2 = i32x4.shl(b2, 3), s3 = i32x4.shl(b3, 3), s4 = i32x4.shl(b4, 3);
  carry2Store(
    out,
    i64x2.add(i64x2.add(i64x2.add(i64x2.add(mx(a0, b0), mx(a1, s4)), mx(a2, s3)), mx(a3, s2)), mx(a4, s1)),
    i64x2.add(i64x2.add(i64x2.add(i64x2.add(mx(a0, b1), mx(a1, b0)), mx(a2, s4)), mx(a3, s3)), mx(a4, s2)),
    i64x2.add(i64x2.add(i64x2.add(i64x2.add(mx(a0, b2), mx(a1, b1)), mx(a2, b0)), mx(a3, s4)), mx(a4, s3)),
    i64x2.add(i64x2.add(i64x2.add(i64x2.add(mx(a0, b3), mx(a1, b2)), mx(a2, b1)), mx(a3, b0)), mx(a4, s4)),
    i64x2.add(i64x2.add(i64x2.add(i64x2.add(mx(a0, b4), mx(a1, b3)), mx(a2, b2)), mx(a3, b1)), mx(a4, b0)),
  );
  carry2Store(
    out + 32,
    i64x2.add(i64x2.add(i64x2.add(i64x2.add(mxh(a0, b0), mxh(a1, s4)), mxh(a2, s3)), mxh(a3, s2)), mxh(a4, s1)),
    i64x2.add(i64x2.add(i64x2.add(i64x2.add(mxh(a0, b1), mxh(a1, b0)), mxh(a2, s4)), mxh(a3, s3)), mxh(a4, s2)),
    i64x2.add(i64x2.add(i64x2.add(i64x2.add(mxh(a0, b2), mxh(a1, b1)), mxh(a2, b0)), mxh(a3, s4)), mxh(a4, s3)),
    i64x2.add(i64x2.add(i64x2.add(i64x2.add(mxh(a0, b3), mxh(a1, b2)), mxh(a2, b1)), mxh(a3, b0)), mxh(a4, s4)),
    i64x2.add(i64x2.add(i64x2.add(i64x2.add(mxh(a0, b4), mxh(a1, b3)), mxh(a2, b2)), mxh(a3, b1)), mxh(a4, b0)),
  );
  return bad;
}

/**
 * Writes the multiplier s (canonical, words lo/hi) as nine splatted limb vectors at `dst`
 * (F127X2_LIMBS_BYTES, 16-aligned): s0..s4 then 8·s1..8·s4, each in both low i32 lanes.
 */
export function f127x2SplatLimbs(dst: usize, lo: u64, hi: u64): void {
  const s0 = <u32>(lo & M26), s1 = <u32>((lo >> 26) & M26), s2 = <u32>(((lo >> 52) | (hi << 12)) & M26);
  const s3 = <u32>((hi >> 14) & M26), s4 = <u32>(hi >> 40);
  v128.store(dst, i32x4.splat(s0));
  v128.store(dst, i32x4.splat(s1), 16);
  v128.store(dst, i32x4.splat(s2), 32);
  v128.store(dst, i32x4.splat(s3), 48);
  v128.store(dst, i32x4.splat(s4), 64);
  v128.store(dst, i32x4.splat(s1 << 3), 80);
  v128.store(dst, i32x4.splat(s2 << 3), 96);
  v128.store(dst, i32x4.splat(s3 << 3), 112);
  v128.store(dst, i32x4.splat(s4 << 3), 128);
}

/**
 * [out], [out + 16] = Σ_{i<k} λ_i·y_i(j), Σ_{i<k} λ_i·y_i(j + 1), where y_i(j) is the element at
 * y + i·rowBytes (and + 16 for j + 1) and λ_i's splatted limbs are at lam + 144·i. k ≤ 31 so that
 * the wide columns (each term < 2^58) stay below 2^63 without an intermediate carry. Results canonical.
 */
@inline export function f127x2CombineStore(out: usize, y: usize, rowBytes: usize, lam: usize, k: usize): void {
  let c0 = V(0), c1 = V(0), c2 = V(0), c3 = V(0), c4 = V(0);
  const ma = M26x4();
  for (let i: usize = 0; i < k; i++) {
    const p = y + i * rowBytes;
    const l = lam + i * F127X2_LIMBS_BYTES;
    const x0 = v128.load(p), x1 = v128.load(p, 16);
    const alo = i64x2.shuffle(x0, x1, 0, 2), ahi = i64x2.shuffle(x0, x1, 1, 3);
    const a0 = v128.and(compact(alo), ma);
    const a1 = v128.and(compact(i64x2.shr_u(alo, 26)), ma);
    const a2 = v128.and(compact(v128.or(i64x2.shr_u(alo, 52), i64x2.shl(ahi, 12))), ma);
    const a3 = v128.and(compact(i64x2.shr_u(ahi, 14)), ma);
    const a4 = compact(i64x2.shr_u(ahi, 40));
    const b0 = v128.load(l), b1 = v128.load(l, 16), b2 = v128.load(l, 32), b3 = v128.load(l, 48), b4 = v128.load(l, 64);
    const s1 = v128.load(l, 80), s2 = v128.load(l, 96), s3 = v128.load(l, 112), s4 = v128.load(l, 128);
    c0 = i64x2.add(c0, i64x2.add(i64x2.add(i64x2.add(i64x2.add(mx(a0, b0), mx(a1, s4)), mx(a2, s3)), mx(a3, s2)), mx(a4, s1)));
    c1 = i64x2.add(c1, i64x2.add(i64x2.add(i64x2.add(i64x2.add(mx(a0, b1), mx(a1, b0)), mx(a2, s4)), mx(a3, s3)), mx(a4, s2)));
    c2 = i64x2.add(c2, i64x2.add(i64x2.add(i64x2.add(i64x2.add(mx(a0, b2), mx(a1, b1)), mx(a2, b0)), mx(a3, s4)), mx(a4, s3)));
    c3 = i64x2.add(c3, i64x2.add(i64x2.add(i64x2.add(i64x2.add(mx(a0, b3), mx(a1, b2)), mx(a2, b1)), mx(a3, b0)), mx(a4, s4)));
    c4 = i64x2.add(c4, i64x2.add(i64x2.add(i64x2.add(i64x2.add(mx(a0, b4), mx(a1, b3)), mx(a2, b2)), mx(a3, b1)), mx(a4, b0)));
  }
  carry2Store(out, c0, c1, c2, c3, c4);
}
