// Two F_p elements at once (p = 2^127 − 1) in WASM SIMD lanes, for the batch kernels of SIMD builds.
// Same arithmetic as field127.ts (five 26-bit limbs, 2^130 ≡ 8), lane 0 = element i, lane 1 = element
// i + 1. Limbs live in the low two i32 lanes of a v128 so that `i64x2.extmul_low_i32x4_u` (WASM SIMD
// spec §4.4.3.14, one `pmuludq` after two unpacks) forms both 26×26-bit products at once; columns and
// carries are i64x2. Batch kernels interleave one such pair with one scalar element per iteration:
// the vector and integer multipliers are separate execution units, so the pair runs in the shadow of
// the scalar product (measured on x86-64/V8: 6.0 ns per product against 8.3 ns scalar-only).
//
// Constant time: no branch or address depends on an element value; the final subtraction of p is a
// `v128.bitselect` on a mask. Only SIMD builds call these (guard with ASC_FEATURE_SIMD).

const M26: u64 = 0x3ffffff;
const M23: u64 = 0x7fffff;
const M63: u64 = 0x7fffffffffffffff;
const SIGN: u64 = 0x8000000000000000;

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
 * Stores the canonical forms of two values given as lo/hi i64x2 lanes (each value < 2^128 with
 * hi < 2^63 + 1) at out and out + 16: fold bit 127 (2^127 ≡ 1), subtract p by mask when ≥ p.
 */
@inline function finish2Store(out: usize, lo: v128, hi: v128): void {
  const t = i64x2.shr_u(hi, 63);
  let h = v128.and(hi, V(M63));
  const l = i64x2.add(lo, t);
  // lo + t carries out exactly when t = 1 and l = 0
  h = i64x2.sub(h, v128.and(i64x2.eq(l, V(0)), i64x2.neg(t)));
  const l1 = i64x2.add(l, V(1));
  const h1 = i64x2.sub(h, i64x2.eq(l1, V(0)));
  const m = i64x2.shr_s(h1, 63); // all ones when v' + 1 ≥ 2^127, i.e. v' ≥ p
  const rl = v128.bitselect(l1, l, m);
  const rh = v128.bitselect(v128.and(h1, V(M63)), h, m);
  v128.store(out, i64x2.shuffle(rl, rh, 0, 2));
  v128.store(out, i64x2.shuffle(rl, rh, 1, 3), 16);
}

/**
 * Carries wide columns (each lane < 2^63), folds bits ≥ 127 once into the packed value and stores
 * both canonical results at out, out + 16 (the vector twin of field127.ts `carryStore`).
 */
@inline function carry2Store(out: usize, r0: v128, r1: v128, r2: v128, r3: v128, r4: v128): void {
  const m26 = V(M26);
  r1 = i64x2.add(r1, i64x2.shr_u(r0, 26)); r0 = v128.and(r0, m26);
  r2 = i64x2.add(r2, i64x2.shr_u(r1, 26)); r1 = v128.and(r1, m26);
  r3 = i64x2.add(r3, i64x2.shr_u(r2, 26)); r2 = v128.and(r2, m26);
  r4 = i64x2.add(r4, i64x2.shr_u(r3, 26)); r3 = v128.and(r3, m26);
  const top = i64x2.shr_u(r4, 23);
  const lo = i64x2.add(v128.or(v128.or(r0, i64x2.shl(r1, 26)), i64x2.shl(r2, 52)), top);
  // unsigned lo < top (the carry of the addition) via signed compare of sign-flipped lanes
  const c = i64x2.lt_s(v128.xor(lo, V(SIGN)), v128.xor(top, V(SIGN)));
  const hi = v128.or(v128.or(i64x2.shr_u(r2, 12), i64x2.shl(r3, 14)), i64x2.shl(v128.and(r4, V(M23)), 40));
  finish2Store(out, lo, i64x2.sub(hi, c));
}

/**
 * Per i64 lane, bit 63 set when the element with words lo/hi is ≥ p, other bits meaningless (no
 * branch): the vector twin of field127.ts `nonCanonicalBitW`.
 */
@inline function nonCanonicalBit2(lo: v128, hi: v128): v128 {
  return v128.or(hi, i64x2.sub(hi, i64x2.eq(lo, V(0xffffffffffffffff))));
}

/**
 * [out], [out + 16] = [a]·[b], [a + 16]·[b + 16]. Returns, per i64 lane, a word whose bit 63 is set
 * when that lane's a or b is ≥ p (then its result is meaningless). For inputs < p the results are
 * canonical.
 * out may equal a or b (all loads happen before the stores).
 */
@inline export function f127x2MulStore(out: usize, a: usize, b: usize): v128 {
  const x0 = v128.load(a), x1 = v128.load(a, 16);
  const y0 = v128.load(b), y1 = v128.load(b, 16);
  const alo = i64x2.shuffle(x0, x1, 0, 2), ahi = i64x2.shuffle(x0, x1, 1, 3);
  const blo = i64x2.shuffle(y0, y1, 0, 2), bhi = i64x2.shuffle(y0, y1, 1, 3);
  const bad = v128.or(nonCanonicalBit2(alo, ahi), nonCanonicalBit2(blo, bhi));
  const ma = i32x4.splat(0x3ffffff);
  const a0 = v128.and(compact(alo), ma);
  const a1 = v128.and(compact(i64x2.shr_u(alo, 26)), ma);
  const a2 = v128.and(compact(v128.or(i64x2.shr_u(alo, 52), i64x2.shl(ahi, 12))), ma);
  const a3 = v128.and(compact(i64x2.shr_u(ahi, 14)), ma);
  const a4 = compact(i64x2.shr_u(ahi, 40));
  const b0 = v128.and(compact(blo), ma);
  const b1 = v128.and(compact(i64x2.shr_u(blo, 26)), ma);
  const b2 = v128.and(compact(v128.or(i64x2.shr_u(blo, 52), i64x2.shl(bhi, 12))), ma);
  const b3 = v128.and(compact(i64x2.shr_u(bhi, 14)), ma);
  const b4 = compact(i64x2.shr_u(bhi, 40));
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
  const ma = i32x4.splat(0x3ffffff);
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
