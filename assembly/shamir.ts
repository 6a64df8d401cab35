// Shamir secret sharing over F_p, p = 2^127 − 1 (A. Shamir, "How to share a secret", CACM 22(11),
// 1979): a secret s is the constant term of a random polynomial f of degree k − 1; party i holds
// (x_i, f(x_i)); any k shares give s = Σ λ_i·f(x_i) with the Lagrange coefficients at 0,
// λ_i = Π_{j≠i} x_j / (x_j − x_i); at an arbitrary point x, λ_i(x) = Π_{j≠i} (x − x_j) / (x_i − x_j).
//
// Random coefficients come from the TS side (crypto.getRandomValues, rejection-sampled below p):
// WASM has no RNG. Share x-coordinates are public; secrets, coefficients and share values are not.
// Layouts (16-byte elements, see field127.ts): a batch of m secrets shared among n parties is
// share-major, share (party i, secret j) at out + 16·(i·m + j), so each party's shares are contiguous.

import {
  carry, carryStore, clearC, mulAccL, mulL, mulW, outHi, outLo, packR, r0, r1, r2, r3, r4, settleC,
  storeOut, subW, unpack,
} from './field127';
import { f127DotBatch, f127InvBatch } from './field-batch';
import { F127X2_LIMBS_BYTES, f127x2CombineStore, f127x2SplatLimbs } from './field127-x2';

/** Sums of products between two carries of the C accumulators (see field-batch.ts). */
const LAZY_TERMS: usize = 31;

/**
 * Splits m secrets among n parties with threshold k: share (i, j) = f_j(xs[i]) where
 * f_j(x) = secrets[j] + Σ_{t=1}^{k−1} coeffs[j·(k−1) + t − 1]·x^t. k ≥ 1; out must not alias inputs.
 * Returns 0.
 */
export function shamirSplitBatch(out: usize, secrets: usize, coeffs: usize, m: usize, k: usize, xs: usize, n: usize): i32 {
  const km1 = k - 1;
  for (let i: usize = 0; i < n; i++) {
    const xp = xs + (i << 4);
    unpack(load<u64>(xp), load<u64>(xp, 8));
    const x0 = r0(), x1 = r1(), x2 = r2(), x3 = r3(), x4 = r4();
    const row = out + ((i * m) << 4);
    for (let j: usize = 0; j < m; j++) {
      // Horner from the top coefficient down to the secret
      let a0: u64 = 0, a1: u64 = 0, a2: u64 = 0, a3: u64 = 0, a4: u64 = 0;
      const cj = coeffs + ((j * km1) << 4);
      for (let t = km1; t > 0; t--) {
        const c = cj + ((t - 1) << 4);
        mulL(a0, a1, a2, a3, a4, x0, x1, x2, x3, x4);
        a0 = r0(); a1 = r1(); a2 = r2(); a3 = r3(); a4 = r4();
        unpack(load<u64>(c), load<u64>(c, 8));
        carry(a0 + r0(), a1 + r1(), a2 + r2(), a3 + r3(), a4 + r4());
        a0 = r0(); a1 = r1(); a2 = r2(); a3 = r3(); a4 = r4();
      }
      const s = secrets + (j << 4);
      mulL(a0, a1, a2, a3, a4, x0, x1, x2, x3, x4);
      a0 = r0(); a1 = r1(); a2 = r2(); a3 = r3(); a4 = r4();
      unpack(load<u64>(s), load<u64>(s, 8));
      carry(a0 + r0(), a1 + r1(), a2 + r2(), a3 + r3(), a4 + r4());
      packR();
      storeOut(row + (j << 4));
    }
  }
  return 0;
}

/**
 * Lagrange coefficients at the point [x] for the k share abscissas xs: out[i] = λ_i(x) =
 * Π_{j≠i} (x − x_j) / (x_i − x_j), with all k denominators inverted at once (Montgomery's trick).
 * `tmp` holds 2k elements of scratch. Returns 0, or the number of zero denominators (duplicate
 * abscissas; then out is meaningless and callers must reject the input).
 */
export function lagrangeAtBatch(out: usize, tmp: usize, xs: usize, k: usize, x: usize): i32 {
  const xlo = load<u64>(x), xhi = load<u64>(x, 8);
  const den = tmp;
  const inv = tmp + (k << 4);
  for (let i: usize = 0; i < k; i++) {
    const xi = xs + (i << 4);
    const xilo = load<u64>(xi), xihi = load<u64>(xi, 8);
    let nlo: u64 = 1, nhi: u64 = 0, dlo: u64 = 1, dhi: u64 = 0;
    for (let j: usize = 0; j < k; j++) {
      if (j == i) continue; // index comparison, public
      const xj = xs + (j << 4);
      const xjlo = load<u64>(xj), xjhi = load<u64>(xj, 8);
      subW(xlo, xhi, xjlo, xjhi);
      mulW(nlo, nhi, outLo(), outHi());
      nlo = outLo(); nhi = outHi();
      subW(xilo, xihi, xjlo, xjhi);
      mulW(dlo, dhi, outLo(), outHi());
      dlo = outLo(); dhi = outHi();
    }
    store<u64>(out + (i << 4), nlo);
    store<u64>(out + (i << 4), nhi, 8);
    store<u64>(den + (i << 4), dlo);
    store<u64>(den + (i << 4), dhi, 8);
  }
  const zeros = f127InvBatch(inv, den, k);
  for (let i: usize = 0; i < k; i++) {
    const o = i << 4;
    mulW(load<u64>(out + o), load<u64>(out + o, 8), load<u64>(inv + o), load<u64>(inv + o, 8));
    storeOut(out + o);
  }
  return zeros;
}

/**
 * One secret from k packed shares with cached Lagrange coefficients at 0. `key` holds the k
 * abscissas `lambdas` were computed for; when the k abscissas at `xs` equal them byte for byte,
 * [out] = Σ λ_i·ys[i] (the f127DotBatch sum) and returns 0, or 1 when some ys[i] ≥ p (then [out] is
 * meaningless); when they differ it computes nothing and returns 2. Every return leaves the k
 * shares at `ys` zeroed, so no copy of a share outlives the call. 1 ≤ k; λ_i < p.
 * Abscissas are public and may pick the branch; the shares take the same path whatever they hold.
 */
export function shamirCombinePacked(out: usize, xs: usize, ys: usize, key: usize, lambdas: usize, k: usize): i32 {
  const words = k << 1;
  let diff: u64 = 0;
  for (let i: usize = 0; i < words; i++) diff |= load<u64>(xs + (i << 3)) ^ load<u64>(key + (i << 3));
  const status = diff != 0 ? 2 : f127DotBatch(out, lambdas, ys, k);
  // 2k word stores (k ≤ 16 from the TS side) instead of memory.fill, which V8 runs as a call out of the compiled code
  for (let i: usize = 0; i < words; i++) store<u64>(ys + (i << 3), 0);
  return status;
}

/** [out] = Σ_{i<k} λ_i·y_i with λ_i's limbs at lam + 40·i, y_i at y + i·rowBytes; k ≤ 31 (no intermediate carry). */
@inline function combineOneStore(out: usize, y: usize, rowBytes: usize, lam: usize, k: usize): void {
  let c0: u64 = 0, c1: u64 = 0, c2: u64 = 0, c3: u64 = 0, c4: u64 = 0;
  for (let i: usize = 0; i < k; i++) {
    const p = y + i * rowBytes;
    const t = lam + i * 40;
    const lo = load<u64>(p), hi = load<u64>(p, 8);
    const a0 = lo & 0x3ffffff, a1 = (lo >> 26) & 0x3ffffff, a2 = ((lo >> 52) | (hi << 12)) & 0x3ffffff;
    const a3 = (hi >> 14) & 0x3ffffff, a4 = hi >> 40;
    const b0 = load<u64>(t), b1 = load<u64>(t, 8), b2 = load<u64>(t, 16), b3 = load<u64>(t, 24), b4 = load<u64>(t, 32);
    const s1 = b1 << 3, s2 = b2 << 3, s3 = b3 << 3, s4 = b4 << 3;
    c0 += a0 * b0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
    c1 += a0 * b1 + a1 * b0 + a2 * s4 + a3 * s3 + a4 * s2;
    c2 += a0 * b2 + a1 * b1 + a2 * b0 + a3 * s4 + a4 * s3;
    c3 += a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * s4;
    c4 += a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
  }
  carryStore(out, c0, c1, c2, c3, c4);
}

/**
 * Combines m secrets from k shares each: out[j] = Σ_i lambdas[i]·ys[i·m + j] (ys share-major, as
 * `shamirSplitBatch` writes it). With λ at 0 this reconstructs; with λ at x it evaluates the shared
 * polynomials at x (resharing). `tmp` (16-aligned) holds 184·k bytes: 144·k of splatted λ limbs for
 * the SIMD pair path, then 40·k of scalar λ limbs. For k ≤ 31 the columns need no intermediate
 * carry (each term < 2^58); above that one reduction per 31 terms. Returns 0.
 */
export function shamirCombineBatch(out: usize, ys: usize, lambdas: usize, k: usize, m: usize, tmp: usize): i32 {
  const lamS = tmp + k * F127X2_LIMBS_BYTES;
  for (let i: usize = 0; i < k; i++) {
    const l = lambdas + (i << 4);
    const lo = load<u64>(l), hi = load<u64>(l, 8);
    unpack(lo, hi);
    const t = lamS + i * 40;
    store<u64>(t, r0()); store<u64>(t, r1(), 8); store<u64>(t, r2(), 16); store<u64>(t, r3(), 24); store<u64>(t, r4(), 32);
    if (ASC_FEATURE_SIMD) f127x2SplatLimbs(tmp + i * F127X2_LIMBS_BYTES, lo, hi);
  }
  const rowBytes = m << 4;
  let j: usize = 0;
  if (k <= LAZY_TERMS) { // k is public
    if (ASC_FEATURE_SIMD) {
      // a SIMD pair and a scalar secret per iteration (vector and integer multipliers in parallel)
      for (; j + 2 < m; j += 3) {
        const o = j << 4;
        f127x2CombineStore(out + o, ys + o, rowBytes, tmp, k);
        combineOneStore(out + o + 32, ys + o + 32, rowBytes, lamS, k);
      }
    }
    for (; j < m; j++) combineOneStore(out + (j << 4), ys + (j << 4), rowBytes, lamS, k);
    return 0;
  }
  for (; j < m; j++) {
    clearC();
    let y = ys + (j << 4);
    let pending: usize = 0;
    for (let i: usize = 0; i < k; i++) {
      const t = lamS + i * 40;
      unpack(load<u64>(y), load<u64>(y, 8));
      mulAccL(r0(), r1(), r2(), r3(), r4(), load<u64>(t), load<u64>(t, 8), load<u64>(t, 16), load<u64>(t, 24), load<u64>(t, 32));
      y += rowBytes;
      if (++pending == LAZY_TERMS) { // count is public
        settleC();
        pending = 0;
      }
    }
    settleC();
    packR();
    storeOut(out + (j << 4));
  }
  clearC();
  return 0;
}
