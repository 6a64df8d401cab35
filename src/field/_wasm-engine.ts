// F_p engine on the quorumkit.wasm kernels (assembly/field127.ts, field-batch.ts, shamir.ts).
// Inputs are copied into the instance's scratch arena, in chunks of CHUNK elements for elementwise
// kernels so the working set stays in cache; canonical form is checked in WASM on the copies, by
// the elementwise kernels themselves in the pass that computes (they return 1 when an input is
// ≥ p) and by f127CountNonCanonical before the other kernels; every scratch region is wiped in
// `finally`.
// Scalars cross as two u64 words through a cached BigUint64Array view of linear memory.

import type { WasmInstance } from '../wasm/_instance.js';
import { WasmIntegrityError } from '../wasm/errors.js';
import { FIELD_ELEMENT_BYTES } from './constants.js';
import type { FieldEngine } from './_engine.js';
import type { FieldVector } from './types.js';

const MASK64 = (1n << 64n) - 1n;
/** Elements per chunk of an elementwise kernel: 3 × 64 KiB regions stay in L2. */
const CHUNK = 4096;

/** Largest k served by the pinned single-reconstruction slab. */
const SLAB_K = 16;
/** λ, ys, out and the combine kernel's tmp (184·k) for k ≤ SLAB_K. */
const SLAB_BYTES = 16 * SLAB_K * 2 + 16 + 184 * SLAB_K;
/** Key abscissas, λ, xs, ys (k ≤ SLAB_K each) and the secret of the packed path. */
const PACKED_SLAB_BYTES = 16 * SLAB_K * 4 + 16;

type Binary = (out: number, a: number, b: number, n: number) => number;

/** Builds an engine on one instance (tests build one per embedded build). */
export function wasmEngine(instance: WasmInstance): FieldEngine {
  const { exports: ex, scratch } = instance;
  let words: BigUint64Array = new BigUint64Array(ex.memory.buffer);
  let bytes: Uint8Array = new Uint8Array(ex.memory.buffer);
  let u32: Uint32Array = new Uint32Array(ex.memory.buffer);

  /**
   * Views over the current buffer. Memory growth detaches the old buffer, which leaves its views
   * with length 0: testing that is cheaper than the `memory.buffer` getter on every call.
   */
  function refresh(): void {
    if (bytes.length === 0) {
      words = new BigUint64Array(ex.memory.buffer);
      bytes = new Uint8Array(ex.memory.buffer);
      u32 = new Uint32Array(ex.memory.buffer);
    }
  }

  function put(ptr: number, v: bigint): void {
    const i = ptr >>> 3;
    words[i] = v & MASK64;
    words[i + 1] = v >> 64n;
  }

  function get(ptr: number): bigint {
    const i = ptr >>> 3;
    return words[i]! | (words[i + 1]! << 64n);
  }

  function check(status: number, name: string): void {
    if (status !== 0) throw new WasmIntegrityError(`${name} kernel returned status ${status}`);
  }

  /** Runs `f` on a scratch region of `len` bytes (16-aligned), wiping it afterwards. */
  function withScratch<T>(len: number, f: (ptr: number) => T): T {
    const mark = scratch.mark();
    try {
      const ptr = scratch.alloc(len);
      refresh();
      return f(ptr);
    } finally {
      scratch.release(mark);
    }
  }

  function unary(a: bigint, kernel: (out: number, a: number) => number): bigint {
    return withScratch(32, (p) => {
      put(p, a);
      kernel(p + 16, p);
      return get(p + 16);
    });
  }

  function scalarBinary(a: bigint, b: bigint, kernel: (out: number, a: number, b: number) => number): bigint {
    return withScratch(48, (p) => {
      put(p, a);
      put(p + 16, b);
      kernel(p + 32, p, p + 16);
      return get(p + 32);
    });
  }

  function nonCanonical(ptr: number, n: number): boolean {
    return ex.f127CountNonCanonical(ptr, n) !== 0;
  }

  /** True when `v` views this instance's linear memory (a FieldVector's bytes). */
  function inMemory(v: Uint8Array): boolean {
    return v.buffer === ex.memory.buffer;
  }

  /** Zero-copy elementwise call: every operand lives in linear memory; out equals or misses each input. */
  function elementwiseInPlace(kernel: Binary, name: string, a: Uint8Array, b: Uint8Array | null, s: bigint, out: Uint8Array): boolean {
    // offsets first: a scratch allocation may grow memory, which detaches (zeroes) these views
    const n = a.length >>> 4, pa = a.byteOffset, po = out.byteOffset;
    // checked before the kernel runs, not by its fused status: out may be a or b, and a rejected
    // call must leave the caller's vectors as they were
    if (nonCanonical(pa, n) || (b !== null && nonCanonical(b.byteOffset, n))) return false;
    if (b !== null) {
      check(kernel(po, pa, b.byteOffset, n), name);
      return true;
    }
    return withScratch(16, (ps) => {
      put(ps, s);
      check(kernel(po, pa, ps, n), name);
      return true;
    });
  }

  /** out may equal an input exactly (kernels allow that) but must not partially overlap it. */
  function disjointOrSame(x: Uint8Array, out: Uint8Array): boolean {
    const xs = x.byteOffset, os = out.byteOffset;
    return xs === os || xs + x.length <= os || os + out.length <= xs;
  }

  function elementwise(kernel: Binary, name: string, a: Uint8Array, b: Uint8Array | null, s: bigint, out: Uint8Array): boolean {
    const n = a.length / FIELD_ELEMENT_BYTES;
    if (n === 0) return true;
    if (inMemory(a) && inMemory(out) && disjointOrSame(a, out) && (b === null || (inMemory(b) && disjointOrSame(b, out)))) {
      return elementwiseInPlace(kernel, name, a, b, s, out);
    }
    const c = Math.min(n, CHUNK);
    const mark = scratch.mark();
    try {
      const pa = scratch.alloc(c * 16);
      const pb = scratch.alloc(b === null ? 16 : c * 16);
      refresh();
      if (b === null) put(pb, s);
      for (let i = 0; i < n; i += c) {
        const len = Math.min(c, n - i) * 16;
        const off = i * 16;
        if (c === n) { // one chunk: copy the operands as they are, no subarray views
          bytes.set(a, pa);
          if (b !== null) bytes.set(b, pb);
        } else {
          bytes.set(a.subarray(off, off + len), pa);
          if (b !== null) bytes.set(b.subarray(off, off + len), pb);
        }
        // the kernel checks canonical form in its own pass over the copies
        if (kernel(pa, pa, pb, len >>> 4) !== 0) return false;
        out.set(bytes.subarray(pa, pa + len), off);
      }
      return true;
    } finally {
      scratch.release(mark);
    }
  }

  /** Copies packed inputs into one scratch block (each 16-aligned) and runs `f` with their pointers. */
  function withInputs<T>(inputs: readonly Uint8Array[], extra: number, f: (ptrs: number[], extraPtr: number) => T): T {
    const mark = scratch.mark();
    try {
      const ptrs = inputs.map((x) => scratch.alloc(Math.max(16, x.length)));
      const extraPtr = scratch.alloc(Math.max(16, extra));
      refresh();
      inputs.forEach((x, i) => bytes.set(x, ptrs[i]));
      return f(ptrs, extraPtr);
    } finally {
      scratch.release(mark);
    }
  }

  // Single-secret reconstruction from bigint shares (k ≤ SLAB_K) runs in a slab pinned once, so a
  // call allocates no scratch and no typed-array view. Layout: λ (16·SLAB_K), ys (16·SLAB_K), out
  // (16), kernel tmp.
  let slab = -1;
  let slabLambdas: Uint8Array | null = null;
  /** Pins the slab on first use and places `lambdas` in it unless they are there already; returns λ's address. */
  function slabWith(lambdas: Uint8Array): number {
    if (slab < 0) slab = scratch.pin(SLAB_BYTES);
    refresh();
    if (slabLambdas !== lambdas) { // λ are public (functions of the abscissas): kept between calls
      bytes.set(lambdas, slab);
      slabLambdas = lambdas;
    }
    return slab;
  }

  function combineSmall(ys: readonly bigint[], lambdas: Uint8Array): bigint {
    const pl = slabWith(lambdas), py = pl + 16 * SLAB_K, po = py + 16 * SLAB_K;
    const k = ys.length;
    const w = py >>> 3;
    try {
      for (let i = 0; i < k; i++) {
        const y = ys[i]!;
        words[w + 2 * i] = y; // BigUint64Array stores y mod 2^64
        words[w + 2 * i + 1] = y >> 64n;
      }
      check(ex.shamirCombineBatch(po, py, pl, k, 1, po + 16), 'shamirCombineBatch');
      const o = po >>> 3;
      return words[o]! | (words[o + 1]! << 64n);
    } finally {
      bytes.fill(0, py, po + 16); // the shares and the secret; tmp holds only λ limbs
    }
  }

  // Packed single-secret reconstruction (k ≤ SLAB_K) keeps the abscissas and λ of the last set in a
  // slab of its own, beside the one above (whose λ `combineSmall` replaces at will), so a repeated
  // set costs two copies in, one kernel call that compares the abscissas in WASM, and a 16-byte copy
  // out. Layout: key abscissas, λ, xs, ys (16·SLAB_K each), then the secret (16).
  let packedSlab = -1;
  /** k of the (key, λ) pair in the packed slab; 0 while it holds none. */
  let packedK = 0;

  /**
   * Copies xs and ys into the packed slab and runs shamirCombinePacked (which wipes the copy of ys);
   * returns the secret as a fresh element, null for a y ≥ p, undefined when xs differ from the key.
   */
  function combineInSlab(xs: Uint8Array, ys: Uint8Array, k: number): Uint8Array | null | undefined {
    const pl = packedSlab + 16 * SLAB_K, px = pl + 16 * SLAB_K, py = px + 16 * SLAB_K, po = py + 16 * SLAB_K;
    bytes.set(xs, px);
    bytes.set(ys, py);
    let status: number;
    try {
      status = ex.shamirCombinePacked(po, px, py, packedSlab, pl, k);
    } catch (err) { // a trap (debug build) skips the kernel's own wipe
      bytes.fill(0, py, po + 16);
      throw err;
    }
    if (status === 2) return undefined;
    const q = po >>> 2, w0 = u32[q]!, w1 = u32[q + 1]!, w2 = u32[q + 2]!, w3 = u32[q + 3]!;
    // the secret's only copy in linear memory; four word stores, no fill() call
    u32[q] = 0; u32[q + 1] = 0; u32[q + 2] = 0; u32[q + 3] = 0;
    if (status === 1) return null;
    check(status, 'shamirCombinePacked');
    // a fresh array and 16 byte stores: cheaper than slice() on V8 for one element
    const out = new Uint8Array(FIELD_ELEMENT_BYTES);
    out[0] = w0; out[1] = w0 >>> 8; out[2] = w0 >>> 16; out[3] = w0 >>> 24;
    out[4] = w1; out[5] = w1 >>> 8; out[6] = w1 >>> 16; out[7] = w1 >>> 24;
    out[8] = w2; out[9] = w2 >>> 8; out[10] = w2 >>> 16; out[11] = w2 >>> 24;
    out[12] = w3; out[13] = w3 >>> 8; out[14] = w3 >>> 16; out[15] = w3 >>> 24;
    return out;
  }

  /** Packed single-secret combine Σ λ_i·y_i with λ given; for k ≤ SLAB_K the pair (xs, λ) stays in the packed slab. */
  function combinePacked(xs: Uint8Array, ys: Uint8Array, lambdas: Uint8Array): Uint8Array | null {
    const k = ys.length >>> 4;
    if (k > SLAB_K) {
      return withScratch(32 * k + 16, (p) => {
        bytes.set(lambdas, p);
        bytes.set(ys, p + 16 * k);
        const po = p + 32 * k;
        return ex.f127DotBatch(po, p, p + 16 * k, k) === 0 ? bytes.slice(po, po + 16) : null;
      });
    }
    if (packedSlab < 0) packedSlab = scratch.pin(PACKED_SLAB_BYTES);
    refresh();
    packedK = 0; // no pair while the key and λ are half written
    bytes.set(xs, packedSlab);
    bytes.set(lambdas, packedSlab + 16 * SLAB_K);
    packedK = k;
    const secret = combineInSlab(xs, ys, k);
    if (secret === undefined) throw new WasmIntegrityError('shamirCombinePacked refused the abscissas it was just given');
    return secret;
  }

  /** Σ λ_i·y_i with the packed slab's λ when xs equal its key (compared in WASM); undefined otherwise. */
  function combinePackedLast(xs: Uint8Array, ys: Uint8Array): Uint8Array | null | undefined {
    const k = ys.length >>> 4;
    if (k !== packedK) return undefined; // also every k > SLAB_K: packedK never exceeds it
    refresh();
    return combineInSlab(xs, ys, k);
  }

  // FieldVectors: regions pinned in linear memory (never returned to the arena), recycled first-fit.
  const slots: { ptr: number; cap: number; used: boolean }[] = [];
  function allocVector(n: number): FieldVector {
    const len = n * FIELD_ELEMENT_BYTES;
    let slot = slots.find((v) => !v.used && v.cap >= len);
    if (slot === undefined) {
      slot = { ptr: scratch.pin(Math.max(16, len)), cap: Math.max(16, len), used: false };
      slots.push(slot);
    }
    const s = slot;
    s.used = true;
    let view = new Uint8Array(ex.memory.buffer, s.ptr, len);
    return {
      length: n,
      get bytes(): Uint8Array {
        if (!s.used) throw new RangeError('"vector" was freed');
        if (view.buffer !== ex.memory.buffer) view = new Uint8Array(ex.memory.buffer, s.ptr, len);
        return view;
      },
      free(): void {
        if (!s.used) return;
        refresh();
        bytes.fill(0, s.ptr, s.ptr + s.cap);
        s.used = false;
      },
    };
  }

  return {
    kind: 'wasm',
    allocVector,
    add: (a, b) => scalarBinary(a, b, ex.f127Add),
    sub: (a, b) => scalarBinary(a, b, ex.f127Sub),
    neg: (a) => unary(a, ex.f127Neg),
    mul: (a, b) => scalarBinary(a, b, ex.f127Mul),
    square: (a) => unary(a, ex.f127Square),
    inv: (a) => unary(a, ex.f127Inv),
    pow: (a, e) => scalarBinary(a, e, ex.f127Pow),
    addBatch: (a, b, out) => elementwise(ex.f127AddBatch, 'f127AddBatch', a, b, 0n, out),
    subBatch: (a, b, out) => elementwise(ex.f127SubBatch, 'f127SubBatch', a, b, 0n, out),
    mulBatch: (a, b, out) => elementwise(ex.f127MulBatch, 'f127MulBatch', a, b, 0n, out),
    scaleBatch: (a, s, out) => elementwise(ex.f127ScaleBatch, 'f127ScaleBatch', a, null, s, out),
    dot(a, b) {
      const n = a.length / 16;
      return withInputs([a, b], 16, ([pa, pb], po) => (ex.f127DotBatch(po, pa!, pb!, n) === 0 ? get(po) : null));
    },
    invBatch(a, out) {
      const n = a.length / 16;
      return withInputs([a], a.length, ([pa], po) => {
        if (nonCanonical(pa!, n)) return -1;
        const zeros = ex.f127InvBatch(po, pa!, n);
        if (zeros === 0) out.set(bytes.subarray(po, po + a.length));
        return zeros;
      });
    },
    evalPoints(coeffs, xs, out) {
      return withInputs([coeffs, xs], xs.length, ([pc, px], po) => {
        if (nonCanonical(pc!, coeffs.length / 16) || nonCanonical(px!, xs.length / 16)) return false;
        check(ex.f127EvalPoints(po, pc!, coeffs.length / 16, px!, xs.length / 16), 'f127EvalPoints');
        out.set(bytes.subarray(po, po + xs.length));
        return true;
      });
    },
    evalPolys(coeffs, k, x, out) {
      return withInputs([coeffs, new Uint8Array(16)], out.length, ([pc, px], po) => {
        if (nonCanonical(pc!, coeffs.length / 16)) return false;
        put(px!, x);
        check(ex.f127EvalPolys(po, pc!, k, out.length / 16, px!), 'f127EvalPolys');
        out.set(bytes.subarray(po, po + out.length));
        return true;
      });
    },
    splitBatch(secrets, coeffs, k, xs, out) {
      const m = secrets.length / 16;
      return withInputs([secrets, coeffs, xs], out.length, ([ps, pc, px], po) => {
        if (nonCanonical(ps!, m)) return false;
        check(ex.shamirSplitBatch(po, ps!, pc!, m, k, px!, xs.length / 16), 'shamirSplitBatch');
        out.set(bytes.subarray(po, po + out.length));
        return true;
      });
    },
    lagrange(xs, at) {
      const k = xs.length / 16;
      return withInputs([xs, new Uint8Array(16)], 16 * 3 * k, ([px, pat], tmp) => {
        put(pat!, at);
        const out = tmp + 32 * k;
        if (ex.lagrangeAtBatch(out, tmp, px!, k, pat!) !== 0) return null;
        return bytes.slice(out, out + 16 * k);
      });
    },
    combine(rows, lambdas, out) {
      const k = rows.length;
      const m = out.length / 16;
      const mark = scratch.mark();
      try {
        const pl = scratch.alloc(lambdas.length);
        const tmp = scratch.alloc(184 * k);
        const c = Math.max(1, Math.min(m, CHUNK));
        const py = scratch.alloc(c * 16 * k);
        const po = scratch.alloc(c * 16);
        refresh();
        bytes.set(lambdas, pl);
        for (let j = 0; j < m; j += c) {
          const cnt = Math.min(c, m - j);
          for (let i = 0; i < k; i++) bytes.set(rows[i]!.subarray(j * 16, (j + cnt) * 16), py + i * cnt * 16);
          if (nonCanonical(py, cnt * k)) return false;
          check(ex.shamirCombineBatch(po, py, pl, k, cnt, tmp), 'shamirCombineBatch');
          out.set(bytes.subarray(po, po + cnt * 16), j * 16);
        }
        return true;
      } finally {
        scratch.release(mark);
      }
    },
    combinePacked,
    combinePackedLast,
    combineScalars(ys, lambdas) {
      const k = ys.length;
      if (k <= SLAB_K) return combineSmall(ys, lambdas);
      return withScratch(32 * k + 184 * k + 16, (p) => {
        bytes.set(lambdas, p);
        const py = p + 16 * k;
        for (let i = 0; i < k; i++) put(py + 16 * i, ys[i]!);
        const po = py + 16 * k;
        check(ex.shamirCombineBatch(po, py, p, k, 1, po + 16), 'shamirCombineBatch');
        return get(po);
      });
    },
  };
}
