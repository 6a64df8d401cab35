// SHA3/SHAKE on every WASM build (debug/release × scalar/SIMD) and on the noble fallback, checked
// against node:crypto (OpenSSL) and @noble/hashes on random messages of 0..10,000 bytes with random
// streaming split points; batch digests; the public API's argument checks and hasher life cycle.

import { createHash, hash as nodeHash } from 'node:crypto';
import fc from 'fast-check';
import { sha3_256 as nobleSha3_256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { QuorumkitError } from '../../src/core/errors.js';
import {
  createSha3_224,
  createSha3_256,
  createSha3_384,
  createSha3_512,
  createShake128,
  createShake256,
  hashBackend,
  sha3_224,
  sha3_256,
  sha3_256Many,
  sha3_384,
  sha3_512,
  shake128,
  shake256,
} from '../../src/hash/index.js';
import { _createHasher } from '../../src/hash/sha3.js';
import { SHA3_224, SHA3_256, SHA3_384, SHA3_512, SHAKE128, SHAKE256, type SpongeSpec } from '../../src/hash/_spec.js';
import { allEngines } from './_builds.js';

const SPECS: [SpongeSpec, string][] = [
  [SHA3_224, 'sha3-224'],
  [SHA3_256, 'sha3-256'],
  [SHA3_384, 'sha3-384'],
  [SHA3_512, 'sha3-512'],
  [SHAKE128, 'shake128'],
  [SHAKE256, 'shake256'],
];

/** node:crypto's answer (outputLength for the XOFs). */
function openssl(alg: string, msg: Uint8Array, outLen: number, xof: boolean): string {
  return createHash(alg, xof ? { outputLength: outLen } : undefined).update(msg).digest('hex');
}

const engines = allEngines();

describe.each(engines)('engine $label', ({ engine, label }) => {
  it('one-shot and streaming digests equal node:crypto on random messages and split points (law)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 10_000 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 700 }),
        (msg, cuts, si, xofLen) => {
          const [spec, alg] = SPECS[si]!;
          const outLen = spec.xof ? xofLen : spec.outLen;
          const want = openssl(alg, msg, outLen, spec.xof);
          expect(toHex(engine.hash(spec, msg, outLen)), `${label} ${alg} one-shot`).toBe(want);
          const points = [...new Set(cuts.map((c) => c % (msg.length + 1)))].sort((a, b) => a - b);
          const h = _createHasher(engine, spec, outLen);
          let prev = 0;
          for (const p of [...points, msg.length]) {
            h.update(msg.subarray(prev, p));
            prev = p;
          }
          expect(toHex(h.digest()), `${label} ${alg} streamed at ${points.join(',')}`).toBe(want);
        },
      ),
      { numRuns: label === 'noble' ? 60 : 150 },
    );
  });

  it('block-boundary lengths equal @noble/hashes for every rate', () => {
    for (const [spec, alg] of SPECS) {
      for (const base of [0, spec.rate, 2 * spec.rate]) {
        for (const d of [-2, -1, 0, 1, 2]) {
          const len = base + d;
          if (len < 0) continue;
          const msg = Uint8Array.from({ length: len }, (_, i) => (i * 31 + len) & 0xff);
          expect(toHex(engine.hash(spec, msg, spec.outLen)), `${alg} len ${len}`).toBe(openssl(alg, msg, spec.outLen, spec.xof));
        }
      }
    }
    expect(toHex(engine.hash(SHA3_256, new Uint8Array(3), 32))).toBe(toHex(nobleSha3_256(new Uint8Array(3))));
  });

  it('xof reads the output stream in any pieces; clone forks the state', () => {
    const msg = Uint8Array.from({ length: 333 }, (_, i) => i & 0xff);
    const want = openssl('shake256', msg, 1000, true);
    const h = _createHasher(engine, SHAKE256);
    h.update(msg.subarray(0, 100));
    const fork = h.clone();
    h.update(msg.subarray(100));
    const parts = [h.xof(1), h.xof(167), h.xof(0), h.xof(500), h.xof(332)];
    expect(parts.map(toHex).join('')).toBe(want);
    fork.update(msg.subarray(100, 200));
    expect(toHex(fork.digest())).toBe(openssl('shake256', msg.subarray(0, 200), 32, true));
  });

  it('batch digests equal one-shot digests, equal and unequal lengths mixed (law)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 40 }), fc.integer({ min: 0, max: 200 }), (msgs, n) => {
        const same = Array.from({ length: n % 7 }, (_, i) => new Uint8Array(n).fill(i));
        const all = [...same, ...msgs];
        const got = engine.hashMany(SHA3_256, all, 32).map(toHex);
        expect(got).toEqual(all.map((m) => nodeHash('sha3-256', m)));
      }),
      { numRuns: 40 },
    );
  });

  it('inputs and outputs past the 4 MiB slice and the 16 KiB fast path', () => {
    const big = Uint8Array.from({ length: 9 * 1024 * 1024 + 77 }, (_, i) => (i * 2654435761) >>> 24);
    expect(toHex(engine.hash(SHA3_512, big, 64))).toBe(nodeHash('sha3-512', big));
    expect(toHex(engine.hash(SHAKE128, big.subarray(0, 20_000), 5_000_001))).toBe(openssl('shake128', big.subarray(0, 20_000), 5_000_001, true));
    const h = _createHasher(engine, SHA3_256);
    h.update(big.subarray(0, 20_000)).update(big.subarray(20_000));
    expect(toHex(h.digest())).toBe(nodeHash('sha3-256', big));
  });
});

describe('public API', () => {
  it('uses WASM in Node and matches node:crypto', () => {
    const msg = new TextEncoder().encode('quorumkit');
    expect(toHex(sha3_224(msg))).toBe(nodeHash('sha3-224', msg));
    expect(toHex(sha3_256(msg))).toBe(nodeHash('sha3-256', msg));
    expect(toHex(sha3_384(msg))).toBe(nodeHash('sha3-384', msg));
    expect(toHex(sha3_512(msg))).toBe(nodeHash('sha3-512', msg));
    expect(toHex(shake128(msg))).toBe(openssl('shake128', msg, 16, true));
    expect(toHex(shake256(msg))).toBe(openssl('shake256', msg, 32, true));
    expect(toHex(shake256(msg, { dkLen: 100 }))).toBe(openssl('shake256', msg, 100, true));
    expect(shake128(msg, { dkLen: 0 }).length).toBe(0);
    expect(hashBackend()).toBe('wasm');
    expect(toHex(sha3_256(new Uint8Array()))).toBe('a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a');
  });

  it('streaming hashers for every function equal the one-shots', () => {
    const msg = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    const pairs: [() => { update(d: Uint8Array): unknown; digest(): Uint8Array }, (m: Uint8Array) => Uint8Array][] = [
      [createSha3_224, sha3_224],
      [createSha3_256, sha3_256],
      [createSha3_384, sha3_384],
      [createSha3_512, sha3_512],
      [() => createShake128({ dkLen: 77 }), (m) => shake128(m, { dkLen: 77 })],
      [() => createShake256(), shake256],
    ];
    for (const [make, one] of pairs) {
      const h = make();
      h.update(msg.subarray(0, 10));
      h.update(msg.subarray(10));
      expect(toHex(h.digest())).toBe(toHex(one(msg)));
    }
    const h = createSha3_256();
    expect(h.outputLen).toBe(32);
    expect(h.blockLen).toBe(136);
  });

  it('many live hashers (past one 64-slot slab) keep independent states', () => {
    const hs = Array.from({ length: 150 }, () => createSha3_256());
    hs.forEach((h, i) => h.update(new Uint8Array([i])));
    hs.forEach((h, i) => expect(toHex(h.digest())).toBe(nodeHash('sha3-256', new Uint8Array([i]))));
  });

  it('sha3_256Many equals sha3_256 per message', () => {
    const msgs = Array.from({ length: 1001 }, (_, i) => new Uint8Array(64).fill(i & 0xff));
    msgs.push(new Uint8Array(0), new Uint8Array(5));
    expect(sha3_256Many(msgs).map(toHex)).toEqual(msgs.map((m) => toHex(sha3_256(m))));
    expect(sha3_256Many([])).toEqual([]);
  });

  it('refuses bad arguments with TypeError / RangeError', () => {
    for (const bad of [null, undefined, 'abc', [1, 2], new ArrayBuffer(4), 42, new Uint16Array(2)]) {
      expect(() => sha3_256(bad as never)).toThrow(TypeError);
      expect(() => shake256(bad as never)).toThrow(TypeError);
      expect(() => createSha3_256().update(bad as never)).toThrow(TypeError);
    }
    expect(() => sha3_256Many('x' as never)).toThrow(TypeError);
    expect(() => sha3_256Many([new Uint8Array(1), 'x'] as never)).toThrow(/msgs\[1\]/);
    for (const dkLen of [-1, 2 ** 30 + 1]) expect(() => shake128(new Uint8Array(1), { dkLen })).toThrow(RangeError);
    for (const dkLen of [1.5, '32', NaN]) expect(() => shake128(new Uint8Array(1), { dkLen } as never)).toThrow(TypeError);
    expect(() => shake128(new Uint8Array(1), null as never)).toThrow(TypeError);
    expect(() => createShake256().xof(-1)).toThrow(RangeError);
  });

  it('a finished hasher refuses further use; digest after xof and xof on SHA3 are refused', () => {
    const h = createSha3_256();
    h.digest();
    expect(() => h.update(new Uint8Array(1))).toThrow(QuorumkitError);
    expect(() => h.digest()).toThrow(/after digest/);
    expect(() => h.clone()).toThrow(QuorumkitError);
    const x = createShake128();
    x.xof(4);
    expect(() => x.update(new Uint8Array(1))).toThrow(/after xof/);
    expect(() => x.digest()).toThrow(/after xof/);
    expect(() => (createSha3_256() as unknown as { xof(n: number): Uint8Array }).xof(4)).toThrow(/not an XOF/);
    const d = createSha3_512();
    d.destroy();
    d.destroy();
    expect(() => d.update(new Uint8Array(1))).toThrow(QuorumkitError);
  });
});
