// Pure-BigInt F_p engine (p = 2^127 − 1): the executable specification the WASM kernels are tested
// against, and the fallback when WebAssembly cannot be instantiated. Straightforward and
// variable-time (JS BigInt arithmetic is not constant time); correctness is its only job.

import { FIELD_ELEMENT_BYTES, P } from './constants.js';
import type { FieldEngine } from './_engine.js';

const MASK64 = (1n << 64n) - 1n;

function mod(x: bigint): bigint {
  const r = x % P;
  return r < 0n ? r + P : r;
}

function read(bytes: Uint8Array): bigint[] | null {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length / FIELD_ELEMENT_BYTES;
  const out: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = dv.getBigUint64(i * 16, true) | (dv.getBigUint64(i * 16 + 8, true) << 64n);
    if (v >= P) return null;
    out[i] = v;
  }
  return out;
}

function write(values: readonly bigint[], out: Uint8Array): void {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < values.length; i++) {
    dv.setBigUint64(i * 16, values[i]! & MASK64, true);
    dv.setBigUint64(i * 16 + 8, values[i]! >> 64n, true);
  }
}

/** a^e mod p by square-and-multiply (variable time). */
function powRef(a: bigint, e: bigint): bigint {
  let r = 1n;
  let b = a % P;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return r;
}

/** a⁻¹ mod p by the extended Euclidean algorithm (0 for 0). */
export function invEuclid(a: bigint): bigint {
  if (a === 0n) return 0n;
  let [r0, r1] = [P, a];
  let [t0, t1] = [0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return mod(t0);
}

function binary(a: Uint8Array, b: Uint8Array, out: Uint8Array, f: (x: bigint, y: bigint) => bigint): boolean {
  const x = read(a);
  const y = read(b);
  if (x === null || y === null) return false;
  write(x.map((v, i) => f(v, y[i]!)), out);
  return true;
}

function lagrangeRef(xs: readonly bigint[], at: bigint): bigint[] | null {
  const out: bigint[] = [];
  for (let i = 0; i < xs.length; i++) {
    let num = 1n;
    let den = 1n;
    for (let j = 0; j < xs.length; j++) {
      if (j === i) continue;
      num = (num * mod(at - xs[j]!)) % P;
      den = (den * mod(xs[i]! - xs[j]!)) % P;
    }
    if (den === 0n) return null;
    out.push((num * invEuclid(den)) % P);
  }
  return out;
}

/** The abscissas (a copy) and λ of the last `combinePacked`, as the WASM engine keeps them in its slab. */
let last: { readonly xs: Uint8Array; readonly lambdas: Uint8Array } | null = null;

/** Σ λ_i·ys[i] as one packed element, or null when a y is ≥ p. */
function combinePackedRef(ys: Uint8Array, lambdas: Uint8Array): Uint8Array | null {
  const y = read(ys);
  if (y === null) return null;
  const out = new Uint8Array(FIELD_ELEMENT_BYTES);
  write([referenceEngine.combineScalars(y, lambdas)], out);
  return out;
}

/** The BigInt engine. */
export const referenceEngine: FieldEngine = {
  kind: 'reference',
  allocVector(n) {
    let b: Uint8Array | null = new Uint8Array(n * FIELD_ELEMENT_BYTES);
    return {
      length: n,
      get bytes(): Uint8Array {
        if (b === null) throw new RangeError('"vector" was freed');
        return b;
      },
      free(): void {
        b?.fill(0);
        b = null;
      },
    };
  },
  add: (a, b) => (a + b) % P,
  sub: (a, b) => mod(a - b),
  neg: (a) => (P - a) % P,
  mul: (a, b) => (a * b) % P,
  square: (a) => (a * a) % P,
  inv: invEuclid,
  pow: powRef,
  addBatch: (a, b, out) => binary(a, b, out, (x, y) => (x + y) % P),
  subBatch: (a, b, out) => binary(a, b, out, (x, y) => mod(x - y)),
  mulBatch: (a, b, out) => binary(a, b, out, (x, y) => (x * y) % P),
  scaleBatch(a, s, out) {
    const x = read(a);
    if (x === null) return false;
    write(x.map((v) => (v * s) % P), out);
    return true;
  },
  dot(a, b) {
    const x = read(a);
    const y = read(b);
    if (x === null || y === null) return null;
    let s = 0n;
    for (let i = 0; i < x.length; i++) s = (s + x[i]! * y[i]!) % P;
    return s;
  },
  invBatch(a, out) {
    const x = read(a);
    if (x === null) return -1;
    const zeros = x.filter((v) => v === 0n).length;
    write(x.map(invEuclid), out);
    return zeros;
  },
  evalPoints(coeffs, xs, out) {
    const c = read(coeffs);
    const x = read(xs);
    if (c === null || x === null) return false;
    write(x.map((pt) => c.reduceRight((acc, ci) => (acc * pt + ci) % P, 0n)), out);
    return true;
  },
  evalPolys(coeffs, k, x, out) {
    const c = read(coeffs);
    if (c === null) return false;
    const n = c.length / k;
    const res: bigint[] = [];
    for (let i = 0; i < n; i++) res.push(c.slice(i * k, i * k + k).reduceRight((acc, ci) => (acc * x + ci) % P, 0n));
    write(res, out);
    return true;
  },
  splitBatch(secrets, coeffs, k, xs, out) {
    const s = read(secrets);
    const c = read(coeffs);
    const x = read(xs);
    if (s === null || c === null || x === null) return false;
    const res: bigint[] = [];
    for (const pt of x) {
      for (let j = 0; j < s.length; j++) {
        let acc = 0n;
        for (let t = k - 1; t >= 1; t--) acc = (acc * pt + c[j * (k - 1) + t - 1]!) % P;
        res.push((acc * pt + s[j]!) % P);
      }
    }
    write(res, out);
    return true;
  },
  lagrange(xs, at) {
    const x = read(xs);
    if (x === null) return null;
    const l = lagrangeRef(x, at);
    if (l === null) return null;
    const out = new Uint8Array(l.length * 16);
    write(l, out);
    return out;
  },
  combine(rows, lambdas, out) {
    const l = read(lambdas);
    const ys = rows.map(read);
    if (l === null || ys.some((r) => r === null)) return false;
    const m = out.length / 16;
    const res: bigint[] = [];
    for (let j = 0; j < m; j++) {
      let s = 0n;
      for (let i = 0; i < ys.length; i++) s = (s + l[i]! * ys[i]![j]!) % P;
      res.push(s);
    }
    write(res, out);
    return true;
  },
  combineScalars(ys, lambdas) {
    const l = read(lambdas)!;
    let s = 0n;
    for (let i = 0; i < ys.length; i++) s = (s + l[i]! * ys[i]!) % P;
    return s;
  },
  combinePacked(xs, ys, lambdas) {
    last = { xs: xs.slice(), lambdas };
    return combinePackedRef(ys, lambdas);
  },
  combinePackedLast(xs, ys) {
    if (last === null || last.xs.length !== xs.length || last.xs.some((b, i) => b !== xs[i])) return undefined;
    return combinePackedRef(ys, last.lambdas);
  },
};
