// Timing-leak checks of the F_p kernels on secret inputs (npm run test:ct): f127Mul, f127Inv and the
// batch product and dot kernels (f127MulBatch, f127DotBatch) on the release builds (scalar and SIMD), one fixed input vs uniformly random ones, dudect-style.
// The raw kernels are timed (bigint ↔ memory conversion in JS is variable time by nature and stays
// out of the measured region); inputs of every sample are precomputed so both classes run the same
// preparation code. A deliberately variable-time square-and-multiply must show a leak, proving the
// detector can see one on this machine.
import { describe, expect, it } from 'vitest';
import { _loadBuild } from '../../src/wasm/_instance.js';
import { randomElements } from '../../src/field/codec.js';
import { P } from '../../src/field/constants.js';
import { measureLeak, randomClasses, T_THRESHOLD, type TimingTarget } from './_dudect.js';

const WARMUP = 2000;
const MUL_SAMPLES = 150_000;
const INV_SAMPLES = 40_000;
const MUL_REPS = 16;
const INV_REPS = 2;
/** Elements of the batch cases: one four-element SIMD step and one scalar tail element. */
const BATCH_N = 5;
/** Shares of the dot case (reconstructPacked at K = 3). */
const DOT_K = 3;

/**
 * Per-sample inputs: `count` elements for each sample, by class: 0 = one fixed element (drawn once),
 * 1 = fresh uniform elements (dudect "fixed vs random"). The fixed value is itself random: a branch or
 * memory index on the data makes its time differ from the average, while the Hamming-weight power
 * effect of an all-zero input on CPU frequency (Hertzbleed-like, outside what code can control) stays
 * out of the comparison.
 */
function inputsFor(classes: Uint8Array, count: number): Uint8Array {
  const table = randomElements(classes.length * count);
  const fixed = randomElements(count);
  for (let i = 0; i < classes.length; i++) if (classes[i] === 0) table.set(fixed, i * count * 16);
  return table;
}

for (const simd of [false, true]) {
  describe(`timing leaks, release${simd ? ' simd' : ''} build`, () => {
    const inst = _loadBuild('release', { simd });
    const ex = inst.exports;
    const base = inst.scratch.alloc(512);
    const mem = new Uint8Array(ex.memory.buffer);

    function target(classes: Uint8Array, count: number, run: () => void): TimingTarget {
      const table = inputsFor(classes, count);
      const len = count * 16;
      return { prepare: (i) => mem.set(table.subarray(i * len, i * len + len), base), run };
    }

    /** Fixed-vs-random check of `call` over `count` secret input elements at `base` (rerun `reps` times per sample). */
    function expectNoLeak(name: string, samples: number, count: number, reps: number, call: () => void): void {
      const classes = randomClasses(samples + WARMUP);
      const t = target(classes, count, () => { for (let r = 0; r < reps; r++) call(); });
      const rep = measureLeak(t, samples, WARMUP, 0.9, classes);
      console.log(`[ct] ${name}${simd ? ' simd' : ''}: |t| = ${Math.abs(rep.t).toFixed(2)} over ${rep.samples.join(' + ')} samples (means ${rep.means.map((m) => m.toFixed(1)).join(' / ')} ns per ${reps} calls)`);
      expect(Math.abs(rep.t)).toBeLessThan(T_THRESHOLD);
    }

    it('f127Mul: fixed vs random operands shows no leak', () => {
      expectNoLeak('f127Mul', MUL_SAMPLES, 2, MUL_REPS, () => ex.f127Mul(base + 32, base, base + 16));
    });

    it('f127Inv: fixed vs random input shows no leak', () => {
      expectNoLeak('f127Inv', INV_SAMPLES, 1, INV_REPS, () => ex.f127Inv(base + 32, base));
    });

    it('f127MulBatch: fixed vs random operands shows no leak', () => {
      const b = base + 16 * BATCH_N;
      expectNoLeak('f127MulBatch', MUL_SAMPLES, 2 * BATCH_N, MUL_REPS, () => ex.f127MulBatch(base + 256, base, b, BATCH_N));
    });

    it('f127DotBatch: fixed vs random shares shows no leak', () => {
      const b = base + 16 * DOT_K;
      expectNoLeak('f127DotBatch', MUL_SAMPLES, 2 * DOT_K, MUL_REPS, () => ex.f127DotBatch(base + 256, base, b, DOT_K));
    });
  });
}

describe('positive control', () => {
  it('a branchy square-and-multiply (BigInt) leaks its exponent and the detector sees it', () => {
    const powVar = (a: bigint, e: bigint): bigint => {
      let r = 1n;
      let b = a;
      while (e > 0n) {
        if (e & 1n) r = (r * b) % P; // the branch on a secret bit is the leak
        b = (b * b) % P;
        e >>= 1n;
      }
      return r;
    };
    const samples = 3000;
    const classes = randomClasses(samples + 200);
    const table = randomElements(classes.length);
    const dv = new DataView(table.buffer);
    // same bit length (bit 126 set) in both classes; class 0 has no other bit set
    const exps = Array.from(classes, (c, i) => (c === 0 ? 0n : dv.getBigUint64(i * 16, true) | (dv.getBigUint64(i * 16 + 8, true) << 64n)) | (1n << 126n));
    let e = 0n;
    const rep = measureLeak({ prepare: (i) => { e = exps[i]!; }, run: () => { powVar(123456789n, e); } }, samples, 200, 0.9, classes);
    console.log(`[ct] control (variable-time pow): |t| = ${Math.abs(rep.t).toFixed(2)} over ${rep.samples.join(' + ')} samples`);
    expect(Math.abs(rep.t)).toBeGreaterThan(T_THRESHOLD);
  });
});
