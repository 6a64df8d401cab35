// Batch kernels over arrays of F_p elements (p = 2^127 − 1) in linear memory: elementwise add, sub,
// mul, scalar mul, dot product with lazy reduction, Horner evaluation (one polynomial at many points,
// many polynomials at one point) and batch inversion by Montgomery's trick
// (P. L. Montgomery, "Speeding the Pollard and elliptic curve methods of factorization", Math. Comp.
// 48 (1987) §10.3.1: n inverses for one inversion and 3(n − 1) products).
//
// Layout: element i of an array at `a` is the 16 bytes at a + 16·i (see field127.ts). The TS side
// checks every length and places all regions in its scratch arena; counts and pointers are public,
// element values are secret (no branch or address depends on them). Every input element is < p
// (the elementwise kernels also take others and report them, below) and every output element is
// < p. Outputs may alias inputs only where a kernel says so.

import {
  M23, M26, addW, carry, carryStore, finish, invW, isZeroW, mulL, mulLimbsStore, mulStore, mulW, nonCanonicalBitW, outHi, outLo, packR,
  r0, r1, r2, r3, r4,
  storeOut, subW, unpack,
} from './field127';
import { f127x4MulStore } from './field127-x2';

/** Sums of products between two carries of the dot columns (each adds < 2^58; 31·2^58 < 2^63). */
const LAZY_TERMS: usize = 31;

// The elementwise kernels check canonical form in the same pass as the arithmetic (one read of each
// input instead of two): they return 1 when some a[i] or b[i] is ≥ p, else 0, found without a
// branch by OR-ing `nonCanonicalBitW` over all inputs; on 1 the caller must discard out.

/** out[i] = a[i] + b[i]. out may alias a or b. Returns 1 when an input is ≥ p, else 0. */
export function f127AddBatch(out: usize, a: usize, b: usize, n: usize): i32 {
  let bad: u64 = 0;
  for (let i: usize = 0; i < n; i++) {
    const o = i << 4;
    const alo = load<u64>(a + o), ahi = load<u64>(a + o, 8), blo = load<u64>(b + o), bhi = load<u64>(b + o, 8);
    bad |= nonCanonicalBitW(alo, ahi) | nonCanonicalBitW(blo, bhi);
    addW(alo, ahi, blo, bhi);
    storeOut(out + o);
  }
  return <i32>(bad >> 63);
}

/** out[i] = a[i] − b[i]. out may alias a or b. Returns 1 when an input is ≥ p, else 0. */
export function f127SubBatch(out: usize, a: usize, b: usize, n: usize): i32 {
  let bad: u64 = 0;
  for (let i: usize = 0; i < n; i++) {
    const o = i << 4;
    const alo = load<u64>(a + o), ahi = load<u64>(a + o, 8), blo = load<u64>(b + o), bhi = load<u64>(b + o, 8);
    bad |= nonCanonicalBitW(alo, ahi) | nonCanonicalBitW(blo, bhi);
    subW(alo, ahi, blo, bhi);
    storeOut(out + o);
  }
  return <i32>(bad >> 63);
}

/**
 * out[i] = a[i]·b[i]. out may alias a or b. Returns 1 when an input is ≥ p, else 0 (a
 * non-canonical input only gives a meaningless out[i]: WASM integer arithmetic wraps, never traps).
 */
export function f127MulBatch(out: usize, a: usize, b: usize, n: usize): i32 {
  let bad: u64 = 0;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    // four elements per step, transposed into i32x4 word vectors (see f127x4MulStore)
    let acc = i32x4.splat(0);
    for (; i + 3 < n; i += 4) {
      const o = i << 4;
      acc = v128.or(acc, f127x4MulStore(out + o, a + o, b + o));
    }
    bad |= <u64>(i32x4.bitmask(acc) != 0) << 63;
  }
  for (; i < n; i++) {
    const o = i << 4;
    const alo = load<u64>(a + o), ahi = load<u64>(a + o, 8), blo = load<u64>(b + o), bhi = load<u64>(b + o, 8);
    bad |= nonCanonicalBitW(alo, ahi) | nonCanonicalBitW(blo, bhi);
    mulStore(out + o, alo, ahi, blo, bhi);
  }
  return <i32>(bad >> 63);
}

/** out[i] = s·a[i] for one canonical element s at `s`. out may alias a. Returns 1 when some a[i] ≥ p, else 0. */
export function f127ScaleBatch(out: usize, a: usize, s: usize, n: usize): i32 {
  unpack(load<u64>(s), load<u64>(s, 8));
  const s0 = r0(), s1 = r1(), s2 = r2(), s3 = r3(), s4 = r4();
  const t1 = s1 << 3, t2 = s2 << 3, t3 = s3 << 3, t4 = s4 << 3;
  let bad: u64 = 0;
  for (let i: usize = 0; i < n; i++) {
    const o = i << 4;
    const alo = load<u64>(a + o), ahi = load<u64>(a + o, 8);
    bad |= nonCanonicalBitW(alo, ahi);
    mulLimbsStore(out + o, alo, ahi, s0, s1, s2, s3, s4, t1, t2, t3, t4);
  }
  return <i32>(bad >> 63);
}

/**
 * [out] = Σ a[i]·b[i] with one reduction per 31 terms. Returns 1 when some a[i] or b[i] is ≥ p
 * (then [out] is meaningless), else 0: the canonical check rides in the same pass, so a caller with
 * packed inputs (a dot product, or one secret Σ λ_i·y_i from packed shares) needs one call. The
 * columns live in locals (no module globals), so nothing of the inputs outlives the call.
 */
export function f127DotBatch(out: usize, a: usize, b: usize, n: usize): i32 {
  let c0: u64 = 0, c1: u64 = 0, c2: u64 = 0, c3: u64 = 0, c4: u64 = 0;
  let bad: u64 = 0;
  let pending: usize = 0;
  for (let i: usize = 0; i < n; i++) {
    const o = i << 4;
    const alo = load<u64>(a + o), ahi = load<u64>(a + o, 8), blo = load<u64>(b + o), bhi = load<u64>(b + o, 8);
    bad |= nonCanonicalBitW(alo, ahi) | nonCanonicalBitW(blo, bhi);
    const a0 = alo & M26, a1 = (alo >> 26) & M26, a2 = ((alo >> 52) | (ahi << 12)) & M26;
    const a3 = (ahi >> 14) & M26, a4 = ahi >> 40;
    const b0 = blo & M26, b1 = (blo >> 26) & M26, b2 = ((blo >> 52) | (bhi << 12)) & M26;
    const b3 = (bhi >> 14) & M26, b4 = bhi >> 40;
    const s1 = b1 << 3, s2 = b2 << 3, s3 = b3 << 3, s4 = b4 << 3;
    // each term adds < 2^58 per column (see mulAccL)
    c0 += a0 * b0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
    c1 += a0 * b1 + a1 * b0 + a2 * s4 + a3 * s3 + a4 * s2;
    c2 += a0 * b2 + a1 * b1 + a2 * b0 + a3 * s4 + a4 * s3;
    c3 += a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * s4;
    c4 += a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
    if (++pending == LAZY_TERMS) { // count is public
      // one carry pass and a fold of bits ≥ 127 (2^127 ≡ 1): c0 < 2^26 + 2^40, the others < 2^26
      c1 += c0 >> 26; c0 &= M26;
      c2 += c1 >> 26; c1 &= M26;
      c3 += c2 >> 26; c2 &= M26;
      c4 += c3 >> 26; c3 &= M26;
      c0 += c4 >> 23; c4 &= M23;
      pending = 0;
    }
  }
  carryStore(out, c0, c1, c2, c3, c4);
  return <i32>(bad >> 63);
}

/** Adds the canonical element at `c` to the limbs R0..R4 limb by limb (no carry; limbs stay < 2^27). */
@inline function addElemToR(r0v: u64, r1v: u64, r2v: u64, r3v: u64, r4v: u64, c: usize): void {
  const lo = load<u64>(c), hi = load<u64>(c, 8);
  carryAdd(r0v, r1v, r2v, r3v, r4v, lo, hi);
}

@inline function carryAdd(r0v: u64, r1v: u64, r2v: u64, r3v: u64, r4v: u64, lo: u64, hi: u64): void {
  unpack(lo, hi);
  carry(r0v + r0(), r1v + r1(), r2v + r2(), r3v + r3(), r4v + r4());
}

/**
 * Horner step loop: with the point's limbs x0..x4, evaluates c[0] + c[1]·x + … + c[k−1]·x^(k−1) where
 * c[j] is at coeffs + 16·j·stride; leaves weak limbs in R0..R4. k ≥ 1.
 */
@inline function hornerAt(coeffs: usize, k: usize, stride: usize, x0: u64, x1: u64, x2: u64, x3: u64, x4: u64): void {
  const step = stride << 4;
  let c = coeffs + (k - 1) * step;
  unpack(load<u64>(c), load<u64>(c, 8));
  for (let j = k - 1; j > 0; j--) {
    c -= step;
    mulL(r0(), r1(), r2(), r3(), r4(), x0, x1, x2, x3, x4);
    addElemToR(r0(), r1(), r2(), r3(), r4(), c);
  }
}

/**
 * One polynomial at many points: out[i] = Σ_j coeffs[j]·xs[i]^j for j < k (coeffs[0] is the constant
 * term). k ≥ 1, n ≥ 0; out must not alias coeffs. Returns 0.
 */
export function f127EvalPoints(out: usize, coeffs: usize, k: usize, xs: usize, n: usize): i32 {
  for (let i: usize = 0; i < n; i++) {
    const xp = xs + (i << 4);
    unpack(load<u64>(xp), load<u64>(xp, 8));
    hornerAt(coeffs, k, 1, r0(), r1(), r2(), r3(), r4());
    packR();
    storeOut(out + (i << 4));
  }
  return 0;
}

/**
 * Many polynomials at one point: out[i] = Σ_j coeffs[i·k + j]·x^j for j < k (polynomial i's k
 * coefficients are contiguous, constant term first). k ≥ 1; out must not alias coeffs. Returns 0.
 */
export function f127EvalPolys(out: usize, coeffs: usize, k: usize, n: usize, x: usize): i32 {
  unpack(load<u64>(x), load<u64>(x, 8));
  const x0 = r0(), x1 = r1(), x2 = r2(), x3 = r3(), x4 = r4();
  for (let i: usize = 0; i < n; i++) {
    hornerAt(coeffs + i * (k << 4), k, 1, x0, x1, x2, x3, x4);
    packR();
    storeOut(out + (i << 4));
  }
  return 0;
}

/**
 * out[i] = a[i]⁻¹ for all i by Montgomery's trick (one constant-time inversion). Zero elements map to
 * 0 and are counted: a zero is replaced by 1 in the running product with a mask, so it poisons
 * nothing. out must not alias a. Returns the number of zeros (0 = all inverted).
 */
export function f127InvBatch(out: usize, a: usize, n: usize): i32 {
  if (n == 0) return 0;
  let zeros: u64 = 0;
  // forward: out[i] = a'[0]·…·a'[i], a' = a with zeros replaced by 1
  let plo: u64 = 1, phi: u64 = 0;
  for (let i: usize = 0; i < n; i++) {
    const o = i << 4;
    const lo = load<u64>(a + o), hi = load<u64>(a + o, 8);
    const z = isZeroW(lo, hi);
    zeros += z;
    mulW(plo, phi, lo | z, hi); // a zero element has lo = hi = 0, so lo | z = 1 exactly then
    plo = outLo(); phi = outHi();
    store<u64>(out + o, plo);
    store<u64>(out + o, phi, 8);
  }
  invW(plo, phi);
  let ilo = outLo(), ihi = outHi();
  // backward: out[i] = inv(prefix i)·prefix(i−1); inv(prefix i−1) = inv(prefix i)·a'[i]
  for (let i: usize = n - 1; i > 0; i--) {
    const o = i << 4;
    const lo = load<u64>(a + o), hi = load<u64>(a + o, 8);
    const z = isZeroW(lo, hi);
    mulW(ilo, ihi, load<u64>(out + o - 16), load<u64>(out + o - 8));
    const m = z - 1; // all ones when a[i] ≠ 0
    store<u64>(out + o, outLo() & m);
    store<u64>(out + o, outHi() & m, 8);
    mulW(ilo, ihi, lo | z, hi);
    ilo = outLo(); ihi = outHi();
  }
  const z0 = isZeroW(load<u64>(a), load<u64>(a, 8));
  store<u64>(out, ilo & (z0 - 1));
  store<u64>(out, ihi & (z0 - 1), 8);
  finish(0, 0);
  return <i32>zeros;
}
