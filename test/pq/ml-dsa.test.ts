import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { isQuorumkitError, type QuorumkitErrorCode } from '../../src/core/errors.js';
import type { PqErrorCode } from '../../src/pq/errors.js';
import {
  algFromLevel, levelFromAlg, listProviders, mlDsa, verifySignature, verifySignatureOffThread,
  PUBLIC_KEY_BYTES, SECRET_KEY_BYTES, SIGNATURE_BYTES,
} from '../../src/pq/ml-dsa.js';
import { getProvider, PROVIDER_ORDER } from '../../src/pq/registry.js';
import type { MlDsaLevel } from '../../src/pq/provider.js';

const msg = new TextEncoder().encode('quorumkit ml-dsa unit test');
const ctx = new TextEncoder().encode('app-context');
const seed = new Uint8Array(32).map((_, i) => i);
const LEVELS: MlDsaLevel[] = [44, 65, 87];

const code = (c: QuorumkitErrorCode | PqErrorCode) => (e: unknown) => isQuorumkitError(e, c);
// After vi.resetModules() the error class is a fresh copy, so match by class name and code.
const providerUnavailable = (e: unknown) => e instanceof Error && e.name === 'ProviderUnavailableError' && (e as { code?: unknown }).code === 'ERR_PROVIDER_UNAVAILABLE';

describe('algFromLevel / levelFromAlg', () => {
  it('round-trips the three parameter sets and matches FIPS 204 Table 2 sizes', () => {
    for (const l of LEVELS) expect(levelFromAlg(algFromLevel(l))).toBe(l);
    expect([PUBLIC_KEY_BYTES[44], SECRET_KEY_BYTES[44], SIGNATURE_BYTES[44]]).toEqual([1312, 2560, 2420]);
    expect([PUBLIC_KEY_BYTES[65], SECRET_KEY_BYTES[65], SIGNATURE_BYTES[65]]).toEqual([1952, 4032, 3309]);
    expect([PUBLIC_KEY_BYTES[87], SECRET_KEY_BYTES[87], SIGNATURE_BYTES[87]]).toEqual([2592, 4896, 4627]);
  });
  it('rejects unknown algorithms with ERR_UNKNOWN_ALG, bad levels with RangeError', () => {
    for (const bad of ['ml-dsa-65', 'ML-DSA-66', 'Ed25519', '', 'ML-DSA-65 ']) expect(() => levelFromAlg(bad)).toThrow(expect.toSatisfy(code('ERR_UNKNOWN_ALG')));
    expect(() => levelFromAlg(65 as unknown as string)).toThrow(TypeError);
    expect(() => algFromLevel(66 as MlDsaLevel)).toThrow(RangeError);
    expect(() => mlDsa(66 as MlDsaLevel)).toThrow(RangeError);
  });
});

describe('listProviders', () => {
  it('lists every provider in the fixed order with truthful supports', async () => {
    const list = await listProviders();
    expect(list.map((p) => p.name)).toEqual([...PROVIDER_ORDER]);
    for (const p of list) {
      expect(p.supports).toEqual(getProvider(p.name).supports);
      expect(p.available ? p.reason : typeof p.reason).toBe(p.available ? undefined : 'string');
    }
    expect(list.find((p) => p.name === 'noble')!.available).toBe(true);
    // This repository pins Node 24 (OpenSSL 3.5) and ships liboqs-js: all three run in the test suite.
    expect(list.every((p) => p.available)).toBe(true);
  });
});

describe('mlDsa dispatch', () => {
  it('defaults to level 65 and the fastest available provider', async () => {
    const dsa = await mlDsa().ready();
    expect(dsa.level).toBe(65);
    expect(dsa.alg).toBe('ML-DSA-65');
    const first = (await listProviders()).find((p) => p.available)!.name;
    expect(dsa.provider).toBe(first);
    expect(dsa.auto).toBe(true);
    expect(dsa.supports.context && dsa.supports.seedKeygen && dsa.supports.deterministic).toBe(true);
  });

  for (const level of LEVELS) {
    it(`keygen/sign/verify round trip, ML-DSA-${level}, every provider and auto`, async () => {
      for (const provider of ['auto', ...PROVIDER_ORDER] as const) {
        const dsa = mlDsa(level, { provider });
        const { publicKey, secretKey } = await dsa.keygen();
        expect([publicKey.length, secretKey.length]).toEqual([PUBLIC_KEY_BYTES[level], SECRET_KEY_BYTES[level]]);
        const sig = await dsa.sign(msg, secretKey);
        expect(sig.length).toBe(SIGNATURE_BYTES[level]);
        expect(await dsa.verify(sig, msg, publicKey)).toBe(true);
        expect(await dsa.verify(sig, msg.subarray(1), publicKey)).toBe(false);
      }
    });
  }

  it('routes a context-string call away from a provider without context support', async () => {
    const dsa = mlDsa(65);
    const { publicKey, secretKey } = await dsa.keygen();
    const sig = await dsa.sign(msg, secretKey, { context: ctx });
    expect(await dsa.verify(sig, msg, publicKey, { context: ctx })).toBe(true);
    expect(await dsa.verify(sig, msg, publicKey)).toBe(false);
    expect(await getProvider('noble').verify(65, sig, msg, publicKey, { context: ctx })).toBe(true);
  });

  it('routes seed keygen and deterministic signing to a provider that has them', async () => {
    const dsa = mlDsa(44);
    const a = await dsa.keygen(seed);
    const ref = await getProvider('noble').keygen(44, seed);
    expect(a).toEqual(ref);
    const s1 = await dsa.sign(msg, a.secretKey, { deterministic: true, context: ctx });
    const s2 = await dsa.sign(msg, a.secretKey, { deterministic: true, context: ctx });
    expect(s1).toEqual(s2);
    expect(s1).toEqual(await getProvider('noble').sign(44, msg, a.secretKey, { deterministic: true, context: ctx }));
    const h1 = await dsa.sign(msg, a.secretKey);
    const h2 = await dsa.sign(msg, a.secretKey);
    expect(h1).not.toEqual(h2); // hedged by default
  });

  it('an explicit provider refuses what it lacks with ERR_UNSUPPORTED', async () => {
    const oqs = mlDsa(65, { provider: 'liboqs' });
    const node = mlDsa(65, { provider: 'node' });
    const { publicKey, secretKey } = await oqs.keygen();
    expect(oqs.supports).toEqual(getProvider('liboqs').supports);
    await expect(oqs.keygen(seed)).rejects.toSatisfy(code('ERR_UNSUPPORTED'));
    await expect(oqs.sign(msg, secretKey, { context: ctx })).rejects.toSatisfy(code('ERR_UNSUPPORTED'));
    await expect(oqs.sign(msg, secretKey, { deterministic: true })).rejects.toSatisfy(code('ERR_UNSUPPORTED'));
    await expect(oqs.verify(new Uint8Array(SIGNATURE_BYTES[65]), msg, publicKey, { context: ctx })).rejects.toSatisfy(code('ERR_UNSUPPORTED'));
    await expect(node.sign(msg, secretKey, { deterministic: true })).rejects.toSatisfy(code('ERR_UNSUPPORTED'));
    expect(await node.keygen(seed)).toEqual(await getProvider('noble').keygen(65, seed));
    expect(() => mlDsa(65, { provider: 'openssl' as 'node' })).toThrow(RangeError);
  });

  it('validates sizes at the boundary: key sizes throw ERR_KEY_INVALID, a wrong-size signature is false', async () => {
    const dsa = mlDsa(65);
    const { publicKey, secretKey } = await dsa.keygen();
    const sig = await dsa.sign(msg, secretKey);
    await expect(dsa.sign(msg, secretKey.subarray(1))).rejects.toSatisfy(code('ERR_KEY_INVALID'));
    await expect(mlDsa(44).sign(msg, secretKey)).rejects.toSatisfy(code('ERR_KEY_INVALID'));
    await expect(dsa.verify(sig, msg, publicKey.subarray(1))).rejects.toSatisfy(code('ERR_KEY_INVALID'));
    for (const provider of PROVIDER_ORDER) {
      const d = mlDsa(65, { provider });
      expect(await d.verify(sig.subarray(0, -1), msg, publicKey)).toBe(false);
      expect(await d.verify(new Uint8Array([...sig, 0]), msg, publicKey)).toBe(false);
      expect(await d.verify(new Uint8Array(0), msg, publicKey)).toBe(false);
      expect(await d.verify(new Uint8Array(SIGNATURE_BYTES[65]).fill(0xff), msg, publicKey)).toBe(false);
    }
    await expect(dsa.sign(msg, secretKey, { context: new Uint8Array(256) })).rejects.toThrow(RangeError);
    await expect(dsa.verify(sig, msg, publicKey, { context: new Uint8Array(256) })).rejects.toThrow(RangeError);
    expect(await dsa.verify(await dsa.sign(msg, secretKey, { context: new Uint8Array(255) }), msg, publicKey, { context: new Uint8Array(255) })).toBe(true);
    await expect(dsa.keygen(new Uint8Array(31))).rejects.toThrow(RangeError);
    await expect(dsa.sign('hi' as unknown as Uint8Array, secretKey)).rejects.toThrow(TypeError);
    await expect(dsa.sign(msg, secretKey, { deterministic: 'yes' as unknown as boolean })).rejects.toThrow(TypeError);
  });

  it('refuses non-object options and object-valued levels or provider names with TypeError/RangeError, not engine errors', async () => {
    const odd = { toString: 0 };
    expect(() => mlDsa(odd as never)).toThrow(new RangeError('"level" expected 44, 65 or 87, got object'));
    expect(() => mlDsa(44, null as never)).toThrow(new TypeError('"options" expected an object, got null'));
    expect(() => mlDsa(44, { provider: odd } as never)).toThrow(RangeError);
    expect(() => getProvider(odd as never)).toThrow(/got object$/);
    const dsa = mlDsa(44);
    const { publicKey, secretKey } = await dsa.keygen();
    await expect(dsa.verify(new Uint8Array(2420), msg, publicKey, null as never)).rejects.toThrow(new TypeError('"options" expected an object, got null'));
    await expect(dsa.sign(msg, secretKey, 7 as never)).rejects.toThrow(new TypeError('"options" expected an object, got number'));
  });

  it('a malformed secret key of the right size is refused by node, never used silently', async () => {
    const { secretKey } = await mlDsa(65).keygen();
    const bad = secretKey.slice();
    bad[100]! ^= 1; // inside tr: OpenSSL recomputes tr from the key and refuses
    await expect(mlDsa(65, { provider: 'node' }).sign(msg, bad)).rejects.toSatisfy(code('ERR_KEY_INVALID'));
  });

  it('node caches KeyObjects per array but never reuses one after the bytes change', async () => {
    const a = await getProvider('noble').keygen(65, seed);
    const b = await getProvider('noble').keygen(65, new Uint8Array(32).fill(9));
    const node = mlDsa(65, { provider: 'node' });
    const sk = a.secretKey.slice();
    expect(await node.verify(await node.sign(msg, sk), msg, a.publicKey)).toBe(true);
    sk.set(b.secretKey);
    const sig = await node.sign(msg, sk);
    expect(await node.verify(sig, msg, b.publicKey)).toBe(true);
    expect(await node.verify(sig, msg, a.publicKey)).toBe(false);
  });

  it('property: signatures verify only for their message and context (auto routing)', async () => {
    const dsa = mlDsa(44);
    const { publicKey, secretKey } = await dsa.keygen();
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 255 }), fc.nat(), async (m, c, at) => {
      const sig = await dsa.sign(m, secretKey, { context: c });
      expect(await dsa.verify(sig, m, publicKey, { context: c })).toBe(true);
      const bad = sig.slice();
      bad[at % bad.length]! ^= 1;
      expect(await dsa.verify(bad, m, publicKey, { context: c })).toBe(false);
      if (c.length > 0) expect(await dsa.verify(sig, m, publicKey)).toBe(false);
    }), { numRuns: 40 });
  });
});

describe('verifySignature', () => {
  it('verifies by wire alg and rejects unknown algs', async () => {
    const { publicKey, secretKey } = await mlDsa(87).keygen();
    const sig = await mlDsa(87).sign(msg, secretKey);
    expect(await verifySignature('ML-DSA-87', sig, msg, publicKey)).toBe(true);
    expect(await verifySignature('ML-DSA-87', sig, new Uint8Array(0), publicKey)).toBe(false);
    await expect(verifySignature('ML-DSA-65', sig, msg, publicKey)).rejects.toSatisfy(code('ERR_KEY_INVALID'));
    await expect(verifySignature('SLH-DSA', sig, msg, publicKey)).rejects.toSatisfy(code('ERR_UNKNOWN_ALG'));
  });
});

describe('verifySignatureOffThread', () => {
  it('agrees with verifySignature at every level: valid, flipped signature, other message, other key, context', async () => {
    for (const level of [44, 65, 87] as const) {
      const alg = `ML-DSA-${level}`;
      const a = await mlDsa(level).keygen();
      const b = await mlDsa(level).keygen();
      const sig = await mlDsa(level).sign(msg, a.secretKey);
      const flipped = sig.slice();
      flipped[7]! ^= 1;
      const withCtx = await mlDsa(level).sign(msg, a.secretKey, { context: ctx });
      const cases: [Uint8Array, Uint8Array, Uint8Array, { context?: Uint8Array }][] = [
        [sig, msg, a.publicKey, {}], [flipped, msg, a.publicKey, {}], [sig, new Uint8Array(3), a.publicKey, {}], [sig, msg, b.publicKey, {}],
        [withCtx, msg, a.publicKey, { context: ctx }], [withCtx, msg, a.publicKey, {}], [sig.subarray(1), msg, a.publicKey, {}],
      ];
      for (const [i, [s, m, pk, o]] of cases.entries()) {
        const want = await verifySignature(alg, s, m, pk, o);
        expect(want, `${alg} case ${i}`).toBe(i === 0 || i === 4);
        for (const key of [pk, pk.slice()]) expect(await verifySignatureOffThread(alg, s, m, key, o), `${alg} case ${i}`).toBe(want);
      }
    }
  });

  it('answers each of many concurrent calls (one batch per event-loop turn) with its own verdict', async () => {
    const { publicKey, secretKey } = await mlDsa(44).keygen();
    const msgs = Array.from({ length: 40 }, (_, i) => new Uint8Array([i, 1, 2]));
    const sigs = await Promise.all(msgs.map((m) => mlDsa(44).sign(m, secretKey)));
    // Odd calls check a signature against another message: false, wherever it sits in the batch.
    const verdicts = await Promise.all(msgs.map((m, i) => verifySignatureOffThread('ML-DSA-44', sigs[i % 2 === 0 ? i : (i + 2) % 40]!, m, publicKey)));
    expect(verdicts).toEqual(msgs.map((_, i) => i % 2 === 0));
  });

  it('checks its arguments like verifySignature', async () => {
    const { publicKey, secretKey } = await mlDsa(44).keygen();
    const sig = await mlDsa(44).sign(msg, secretKey);
    await expect(verifySignatureOffThread('ML-DSA-65', sig, msg, publicKey)).rejects.toSatisfy(code('ERR_KEY_INVALID'));
    await expect(verifySignatureOffThread('SLH-DSA', sig, msg, publicKey)).rejects.toSatisfy(code('ERR_UNKNOWN_ALG'));
  });
});

describe('runtime without node:crypto (process.getBuiltinModule absent)', () => {
  it('node reports unavailable with a reason; explicit use throws ERR_PROVIDER_UNAVAILABLE; auto still works', async () => {
    const proc = globalThis.process as { getBuiltinModule?: unknown };
    const saved = proc.getBuiltinModule;
    vi.resetModules(); // fresh provider modules, so the availability probe runs in the stripped runtime
    try {
      proc.getBuiltinModule = undefined;
      const fresh = await import('../../src/pq/ml-dsa.js');
      const list = await fresh.listProviders();
      const node = list.find((p) => p.name === 'node')!;
      expect(node.available).toBe(false);
      expect(node.reason).toMatch(/node:crypto/);
      await expect(fresh.mlDsa(65, { provider: 'node' }).ready()).rejects.toSatisfy(providerUnavailable);
      await expect(fresh.mlDsa(65, { provider: 'node' }).keygen()).rejects.toSatisfy(providerUnavailable);
      const dsa = fresh.mlDsa(65);
      const { publicKey, secretKey } = await dsa.keygen();
      const sig = await dsa.sign(msg, secretKey, { context: ctx }); // routed past node to noble
      expect(await dsa.verify(sig, msg, publicKey, { context: ctx })).toBe(true);
      // off-thread verification falls back to the calling thread
      expect(await fresh.verifySignatureOffThread('ML-DSA-65', sig, msg, publicKey, { context: ctx })).toBe(true);
      expect(await fresh.verifySignatureOffThread('ML-DSA-65', sig, msg, publicKey)).toBe(false);
    } finally {
      proc.getBuiltinModule = saved;
      vi.resetModules();
    }
  });
});
