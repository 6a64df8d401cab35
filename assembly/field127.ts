// Arithmetic in F_p, p = 2^127 − 1 (the Mersenne prime M127), constant time on element values.
//
// Memory form of an element: 16 bytes little-endian, `lo: u64` at +0 and `hi: u64` at +8, value
// lo + hi·2^64, always canonical (< p) on input and on output.
// Multiplication form: five 26-bit limbs a0..a4 (radix 2^26, 130 bits). WASM has no 64×64→128
// multiply, but 26×26-bit products fit a u64 with room to add five of them, and since
// 2^130 = 8·2^127 ≡ 8 (mod p) the upper half of the schoolbook product folds back with a factor 8
// (Crandall, "Method and apparatus for public key exchange in a cryptographic system", US 5159632;
// the same layout as poly1305-donna with 2^130 − 5). Reduction: x = h·2^127 + l ≡ h + l.
//
// Constant time: no branch and no memory index depends on an element value; conditional
// subtraction of p is a mask select. Loop trip counts depend only on lengths (public).
// Every function states its ranges; "weak" limbs mean r0..r3 < 2^26, r4 ≤ 2^23, value < 2^127 + 2^104.

/** 2^26 − 1: one limb of the multiplication form. */
export const M26: u64 = 0x3ffffff;
/** 2^23 − 1: limb 4 holds bits 104..126. */
export const M23: u64 = 0x7fffff;
/** 2^63 − 1: the high word of p. */
const M63: u64 = 0x7fffffffffffffff;
/** Bytes of one element in linear memory. */
export const F127_BYTES: usize = 16;

// Result registers of the limb layer (WASM functions return one value; globals carry five).
let R0: u64 = 0;
let R1: u64 = 0;
let R2: u64 = 0;
let R3: u64 = 0;
let R4: u64 = 0;
// Wide column accumulators (lazy reduction of sums of products).
let C0: u64 = 0;
let C1: u64 = 0;
let C2: u64 = 0;
let C3: u64 = 0;
let C4: u64 = 0;
// Result registers of the canonical layer.
let OLO: u64 = 0;
let OHI: u64 = 0;

/** Limb result registers (after `mulL`, `sqrL`, `unpack`, `carry`). */
@inline export function r0(): u64 { return R0; }
/** Limb 1 of the result. */
@inline export function r1(): u64 { return R1; }
/** Limb 2 of the result. */
@inline export function r2(): u64 { return R2; }
/** Limb 3 of the result. */
@inline export function r3(): u64 { return R3; }
/** Limb 4 of the result. */
@inline export function r4(): u64 { return R4; }

/** Canonical result, low word (after `finish`, `mulW`, ...). */
@inline export function outLo(): u64 {
  return OLO;
}
/** Canonical result, high word. */
@inline export function outHi(): u64 {
  return OHI;
}

/**
 * Reduces v = hi·2^64 + lo < 2^128 to canonical form into OLO/OHI: fold bit 127 (2^127 ≡ 1),
 * then subtract p when v' ≥ p, detected as bit 127 of v' + 1, selected with a mask.
 */
@inline export function finish(lo: u64, hi: u64): void {
  const t = hi >> 63;
  let h = hi & M63;
  const l = lo + t;
  h += <u64>(l < t);
  // v' ≤ 2^127 here; v' ≥ p  ⇔  v' + 1 ≥ 2^127
  const l1 = l + 1;
  const h1 = h + <u64>(l1 == 0);
  const m = 0 - (h1 >> 63);
  OLO = l ^ ((l ^ l1) & m);
  OHI = h ^ ((h ^ (h1 & M63)) & m);
}

/** a + b for canonical a, b; result canonical in OLO/OHI. */
@inline export function addW(alo: u64, ahi: u64, blo: u64, bhi: u64): void {
  const lo = alo + blo;
  const hi = ahi + bhi + <u64>(lo < alo);
  finish(lo, hi);
}

/** a − b = a + (p − b) for canonical a, b; p − b needs no borrow (p's low word is all ones). */
@inline export function subW(alo: u64, ahi: u64, blo: u64, bhi: u64): void {
  const nlo = ~blo;
  const nhi = M63 - bhi;
  const lo = alo + nlo;
  const hi = ahi + nhi + <u64>(lo < alo);
  finish(lo, hi);
}

/** −a = p − a (0 maps to p, which `finish` turns into 0). */
@inline export function negW(alo: u64, ahi: u64): void {
  finish(~alo, M63 - ahi);
}

/**
 * Carries weak-or-wide limbs (each < 2^63) into weak limbs R0..R4: one carry pass, fold bits ≥ 127
 * into limb 0 (2^127 ≡ 1), a second pass.
 */
@inline export function carry(r0: u64, r1: u64, r2: u64, r3: u64, r4: u64): void {
  r1 += r0 >> 26; r0 &= M26;
  r2 += r1 >> 26; r1 &= M26;
  r3 += r2 >> 26; r2 &= M26;
  r4 += r3 >> 26; r3 &= M26;
  r0 += r4 >> 23; r4 &= M23;
  r1 += r0 >> 26; r0 &= M26;
  r2 += r1 >> 26; r1 &= M26;
  r3 += r2 >> 26; r2 &= M26;
  r4 += r3 >> 26; r3 &= M26;
  R0 = r0; R1 = r1; R2 = r2; R3 = r3; R4 = r4;
}

/**
 * Product of weak limbs a, b (each limb < 2^26 + small) into weak limbs R0..R4.
 * 2^130 ≡ 8: column k gets a_i·b_j (i + j = k) plus 8·a_i·b_j (i + j = k + 5); 8·b_j < 2^29, so every
 * sum of five products stays below 2^58.
 */
@inline export function mulL(
  a0: u64, a1: u64, a2: u64, a3: u64, a4: u64,
  b0: u64, b1: u64, b2: u64, b3: u64, b4: u64,
): void {
  const s1 = b1 << 3, s2 = b2 << 3, s3 = b3 << 3, s4 = b4 << 3;
  const r0 = a0 * b0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
  const r1 = a0 * b1 + a1 * b0 + a2 * s4 + a3 * s3 + a4 * s2;
  const r2 = a0 * b2 + a1 * b1 + a2 * b0 + a3 * s4 + a4 * s3;
  const r3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * s4;
  const r4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
  carry(r0, r1, r2, r3, r4);
}

/**
 * Adds the unreduced product columns of a·b (weak limbs) to wide accumulators C0..C4. Each call adds
 * less than 2^58 per column, so up to 31 calls may follow a `carry` before the next one (< 2^63).
 */
@inline export function mulAccL(
  a0: u64, a1: u64, a2: u64, a3: u64, a4: u64,
  b0: u64, b1: u64, b2: u64, b3: u64, b4: u64,
): void {
  const s1 = b1 << 3, s2 = b2 << 3, s3 = b3 << 3, s4 = b4 << 3;
  C0 += a0 * b0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
  C1 += a0 * b1 + a1 * b0 + a2 * s4 + a3 * s3 + a4 * s2;
  C2 += a0 * b2 + a1 * b1 + a2 * b0 + a3 * s4 + a4 * s3;
  C3 += a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * s4;
  C4 += a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
}

/** Carries the accumulators C0..C4 into weak limbs R0..R4 and restarts them from those limbs. */
@inline export function settleC(): void {
  carry(C0, C1, C2, C3, C4);
  C0 = R0; C1 = R1; C2 = R2; C3 = R3; C4 = R4;
}

/** Clears the accumulators C0..C4. */
@inline export function clearC(): void {
  C0 = 0; C1 = 0; C2 = 0; C3 = 0; C4 = 0;
}

/** Square of weak limbs a into weak limbs R0..R4 (15 products instead of 25). */
@inline export function sqrL(a0: u64, a1: u64, a2: u64, a3: u64, a4: u64): void {
  const d0 = a0 << 1, d1 = a1 << 1;
  const e3 = a3 << 4, e4 = a4 << 4;
  const r0 = a0 * a0 + a1 * e4 + a2 * e3;
  const r1 = d0 * a1 + a2 * e4 + a3 * (a3 << 3);
  const r2 = d0 * a2 + a1 * a1 + a3 * e4;
  const r3 = d0 * a3 + d1 * a2 + a4 * (a4 << 3);
  const r4 = d0 * a4 + d1 * a3 + a2 * a2;
  carry(r0, r1, r2, r3, r4);
}

/** Splits a canonical (or any < 2^128 with hi < 2^63 + small) element into limbs R0..R4. */
@inline export function unpack(lo: u64, hi: u64): void {
  R0 = lo & M26;
  R1 = (lo >> 26) & M26;
  R2 = ((lo >> 52) | (hi << 12)) & M26;
  R3 = (hi >> 14) & M26;
  R4 = hi >> 40;
}

/** Packs weak limbs R0..R4 into a canonical element in OLO/OHI. */
@inline export function packR(): void {
  const lo = R0 | (R1 << 26) | (R2 << 52);
  const hi = (R2 >> 12) | (R3 << 14) | (R4 << 40);
  finish(lo, hi);
}

/** a·b for canonical a, b; canonical result in OLO/OHI. */
@inline export function mulW(alo: u64, ahi: u64, blo: u64, bhi: u64): void {
  const a0 = alo & M26, a1 = (alo >> 26) & M26, a2 = ((alo >> 52) | (ahi << 12)) & M26;
  const a3 = (ahi >> 14) & M26, a4 = ahi >> 40;
  const b0 = blo & M26, b1 = (blo >> 26) & M26, b2 = ((blo >> 52) | (bhi << 12)) & M26;
  const b3 = (bhi >> 14) & M26, b4 = bhi >> 40;
  mulL(a0, a1, a2, a3, a4, b0, b1, b2, b3, b4);
  packR();
}

/**
 * Canonical form of v = hi·2^64 + lo stored at `p`, for v < 2^127 + 2^64 (hi ≤ 2^63, as `carryStore`
 * produces): v < 2p, so one masked subtraction suffices, v ≥ p ⇔ v + 1 ≥ 2^127 and then
 * v − p = v + 1 − 2^127 (no fold of bit 127 first, unlike `finish`).
 */
@inline export function finishStore(p: usize, lo: u64, hi: u64): void {
  const c = <u64>(lo == 0xffffffffffffffff); // lo + 1 carries
  const m = 0 - ((hi + c) >> 63);
  store<u64>(p, lo - m);
  store<u64>(p, hi + (m & (c | 0x8000000000000000)), 8); // hi + c − 2^63 under the mask
}

/** Carries wide columns (each < 2^63), packs and stores the canonical result at `p`, all in locals. */
@inline export function carryStore(p: usize, r0: u64, r1: u64, r2: u64, r3: u64, r4: u64): void {
  r1 += r0 >> 26; r0 &= M26;
  r2 += r1 >> 26; r1 &= M26;
  r3 += r2 >> 26; r2 &= M26;
  r4 += r3 >> 26; r3 &= M26;
  // bits ≥ 127 (r4 >> 23 < 2^41) are added back once to the packed 128-bit value: 2^127 ≡ 1
  const top = r4 >> 23;
  const lo = (r0 | (r1 << 26) | (r2 << 52)) + top;
  const hi = (r2 >> 12) | (r3 << 14) | ((r4 & M23) << 40);
  finishStore(p, lo, hi + <u64>(lo < top));
}

/** [p] = a·b for canonical a, b given by their words; the hot path of batch kernels (locals only). */
@inline export function mulStore(p: usize, alo: u64, ahi: u64, blo: u64, bhi: u64): void {
  const a0 = alo & M26, a1 = (alo >> 26) & M26, a2 = ((alo >> 52) | (ahi << 12)) & M26;
  const a3 = (ahi >> 14) & M26, a4 = ahi >> 40;
  const b0 = blo & M26, b1 = (blo >> 26) & M26, b2 = ((blo >> 52) | (bhi << 12)) & M26;
  const b3 = (bhi >> 14) & M26, b4 = bhi >> 40;
  const s1 = b1 << 3, s2 = b2 << 3, s3 = b3 << 3, s4 = b4 << 3;
  carryStore(
    p,
    a0 * b0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1,
    a0 * b1 + a1 * b0 + a2 * s4 + a3 * s3 + a4 * s2,
    a0 * b2 + a1 * b1 + a2 * b0 + a3 * s4 + a4 * s3,
    a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * s4,
    a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0,
  );
}

/** [p] = a·s where a is canonical (words) and s is given as limbs s0..s4 with t_j = 8·s_j precomputed. */
@inline export function mulLimbsStore(
  p: usize, alo: u64, ahi: u64,
  s0: u64, s1: u64, s2: u64, s3: u64, s4: u64, t1: u64, t2: u64, t3: u64, t4: u64,
): void {
  const a0 = alo & M26, a1 = (alo >> 26) & M26, a2 = ((alo >> 52) | (ahi << 12)) & M26;
  const a3 = (ahi >> 14) & M26, a4 = ahi >> 40;
  carryStore(
    p,
    a0 * s0 + a1 * t4 + a2 * t3 + a3 * t2 + a4 * t1,
    a0 * s1 + a1 * s0 + a2 * t4 + a3 * t3 + a4 * t2,
    a0 * s2 + a1 * s1 + a2 * s0 + a3 * t4 + a4 * t3,
    a0 * s3 + a1 * s2 + a2 * s1 + a3 * s0 + a4 * t4,
    a0 * s4 + a1 * s3 + a2 * s2 + a3 * s1 + a4 * s0,
  );
}

/** Loads the element at `p` and multiplies: OLO/OHI = OLO/OHI·[p]. */
@inline export function mulAccInto(p: usize): void {
  mulW(OLO, OHI, load<u64>(p), load<u64>(p, 8));
}

/** Stores OLO/OHI at `p`. */
@inline export function storeOut(p: usize): void {
  store<u64>(p, OLO);
  store<u64>(p, OHI, 8);
}

/** Squares weak limbs R0..R4 `n` times in place (n public). */
function sqrN(n: i32): void {
  for (let i = 0; i < n; i++) sqrL(R0, R1, R2, R3, R4);
}

/** R ← R · x where x is five limbs stored at `p` (40 bytes, limb form scratch). */
@inline export function mulByStored(p: usize): void {
  mulL(R0, R1, R2, R3, R4, load<u64>(p), load<u64>(p, 8), load<u64>(p, 16), load<u64>(p, 24), load<u64>(p, 32));
}

@inline export function saveR(p: usize): void {
  store<u64>(p, R0); store<u64>(p, R1, 8); store<u64>(p, R2, 16); store<u64>(p, R3, 24); store<u64>(p, R4, 32);
}

// Limb-form temporaries of the inversion chain, in static memory (5 × 8 bytes each).
const T_X1: usize = memory.data(40, 16);
const T_X2: usize = memory.data(40, 16);
const T_X4: usize = memory.data(40, 16);
const T_X8: usize = memory.data(40, 16);
const T_X16: usize = memory.data(40, 16);
const T_X32: usize = memory.data(40, 16);

/**
 * a^(p−2) = a^(2^127 − 3) for canonical a by a fixed addition chain (126 squarings, 12 products):
 * x_k = a^(2^k − 1) for k = 1, 2, 4, …, 64, then x_125 = x_64·2^61-shifted with x_32, x_16, x_8, x_4, x_1,
 * and a^(2^127 − 3) = x_125^4 · a. The sequence never depends on a; a = 0 yields 0 (callers check).
 * Result canonical in OLO/OHI. The temporaries are wiped before returning.
 */
export function invW(alo: u64, ahi: u64): void {
  unpack(alo, ahi);
  saveR(T_X1);
  sqrL(R0, R1, R2, R3, R4); mulByStored(T_X1); saveR(T_X2); // 2^2 − 1
  sqrN(2); mulByStored(T_X2); saveR(T_X4); // 2^4 − 1
  sqrN(4); mulByStored(T_X4); saveR(T_X8); // 2^8 − 1
  sqrN(8); mulByStored(T_X8); saveR(T_X16); // 2^16 − 1
  sqrN(16); mulByStored(T_X16); saveR(T_X32); // 2^32 − 1
  sqrN(32); mulByStored(T_X32); // 2^64 − 1
  sqrN(32); mulByStored(T_X32); // 2^96 − 1
  sqrN(16); mulByStored(T_X16); // 2^112 − 1
  sqrN(8); mulByStored(T_X8); // 2^120 − 1
  sqrN(4); mulByStored(T_X4); // 2^124 − 1
  sqrN(1); mulByStored(T_X1); // 2^125 − 1
  sqrN(2); mulByStored(T_X1); // 2^127 − 4 + 1 = p − 2
  packR();
  memory.fill(T_X1, 0, 40); memory.fill(T_X2, 0, 40); memory.fill(T_X4, 0, 40);
  memory.fill(T_X8, 0, 40); memory.fill(T_X16, 0, 40); memory.fill(T_X32, 0, 40);
}

/** 1 when the canonical element (lo, hi) is zero, else 0, without a branch. */
@inline export function isZeroW(lo: u64, hi: u64): u64 {
  const x = lo | hi;
  return 1 - ((x | (0 - x)) >> 63);
}

/** 1 when (lo, hi) is not canonical (≥ p), else 0, without a branch. */
@inline export function nonCanonicalW(lo: u64, hi: u64): u64 {
  // v ≥ p ⇔ hi ≥ 2^63, or v = p exactly (v + 1 = 2^127)
  const l1 = lo + 1;
  const h1 = hi + <u64>(l1 == 0);
  return (hi >> 63) | ((h1 >> 63) & 1);
}

/**
 * Bit 63 set when (lo, hi) is ≥ p, other bits meaningless: hi, or'd with hi + 1 when lo = 2^64 − 1
 * (v = p exactly carries into bit 63). OR-ing these over many elements and testing bit 63 once is
 * the cheapest branch-free "any non-canonical" for the hot loops.
 */
@inline export function nonCanonicalBitW(lo: u64, hi: u64): u64 {
  return hi | (hi + <u64>(lo == 0xffffffffffffffff));
}

// ---- scalar exports: pointers to 16-byte elements; inputs canonical; return an i32 status ----

/** [out] = [a] + [b] mod p. a, b < p; result < p. Returns 0. */
export function f127Add(out: usize, a: usize, b: usize): i32 {
  addW(load<u64>(a), load<u64>(a, 8), load<u64>(b), load<u64>(b, 8));
  storeOut(out);
  return 0;
}

/** [out] = [a] − [b] mod p. a, b < p; result < p. Returns 0. */
export function f127Sub(out: usize, a: usize, b: usize): i32 {
  subW(load<u64>(a), load<u64>(a, 8), load<u64>(b), load<u64>(b, 8));
  storeOut(out);
  return 0;
}

/** [out] = −[a] mod p. a < p; result < p. Returns 0. */
export function f127Neg(out: usize, a: usize): i32 {
  negW(load<u64>(a), load<u64>(a, 8));
  storeOut(out);
  return 0;
}

/** [out] = [a]·[b] mod p. a, b < p; result < p. Returns 0. */
export function f127Mul(out: usize, a: usize, b: usize): i32 {
  mulW(load<u64>(a), load<u64>(a, 8), load<u64>(b), load<u64>(b, 8));
  storeOut(out);
  return 0;
}

/** [out] = [a]² mod p. a < p; result < p. Returns 0. */
export function f127Square(out: usize, a: usize): i32 {
  unpack(load<u64>(a), load<u64>(a, 8));
  sqrL(R0, R1, R2, R3, R4);
  packR();
  storeOut(out);
  return 0;
}

/**
 * [out] = [a]^(p−2) = [a]⁻¹ mod p in constant time. a < p; result < p.
 * Returns 0, or 1 when a = 0 (then [out] = 0); the status is computed without a branch.
 */
export function f127Inv(out: usize, a: usize): i32 {
  const lo = load<u64>(a), hi = load<u64>(a, 8);
  invW(lo, hi);
  storeOut(out);
  return <i32>isZeroW(lo, hi);
}

/**
 * [out] = [a]^[e] mod p, e a 128-bit little-endian exponent (any value; 0^0 = 1).
 * Constant time in a and e: a left-to-right ladder of 128 squarings and 128 products whose result
 * is kept or dropped by a mask of the exponent bit. a < p; result < p. Returns 0.
 */
export function f127Pow(out: usize, a: usize, e: usize): i32 {
  const alo = load<u64>(a), ahi = load<u64>(a, 8);
  const elo = load<u64>(e), ehi = load<u64>(e, 8);
  let rlo: u64 = 1, rhi: u64 = 0;
  for (let i = 127; i >= 0; i--) {
    mulW(rlo, rhi, rlo, rhi);
    rlo = OLO; rhi = OHI;
    mulW(rlo, rhi, alo, ahi);
    const w = i >= 64 ? ehi : elo; // i is public
    const m = 0 - ((w >> <u64>(i & 63)) & 1);
    rlo ^= (rlo ^ OLO) & m;
    rhi ^= (rhi ^ OHI) & m;
  }
  OLO = rlo; OHI = rhi;
  storeOut(out);
  return 0;
}

/**
 * Counts elements in [a, a + 16n) that are not canonical (≥ p), reading all of them (no early exit).
 * Returns the count (0 = all canonical); callers locate the first offender only on failure.
 */
export function f127CountNonCanonical(a: usize, n: usize): i32 {
  let bad: u64 = 0;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    // two elements per step: lanes lo = [lo0, lo1], hi = [hi0, hi1]; v ≥ p ⇔ bit 63 of hi or of
    // hi + carry(lo + 1), the carry being lo = 2^64 − 1
    let acc = i64x2.splat(0);
    for (; i + 1 < n; i += 2) {
      const p = a + (i << 4);
      const x0 = v128.load(p), x1 = v128.load(p, 16);
      const lo = i64x2.shuffle(x0, x1, 0, 2), hi = i64x2.shuffle(x0, x1, 1, 3);
      const h1 = i64x2.sub(hi, i64x2.eq(lo, i64x2.splat(-1)));
      acc = i64x2.add(acc, i64x2.shr_u(v128.or(hi, h1), 63));
    }
    bad = i64x2.extract_lane(acc, 0) + i64x2.extract_lane(acc, 1);
  }
  for (; i < n; i++) {
    const p = a + (i << 4);
    bad += nonCanonicalW(load<u64>(p), load<u64>(p, 8));
  }
  return <i32>bad;
}
