import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, utf8Encode } from '../../src/core/bytes.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import {
  addSignature,
  openEnvelope,
  pae,
  signEnvelope,
  verifyEnvelope,
  type Envelope,
} from '../../src/envelope/index.js';
import { Identity } from '../../src/pq/identity.js';

const TYPE = 'application/vnd.quorumkit.note+json;v=1';
const body = { b: [1, 2, { z: null, a: true }], a: 'héllo ✓', n: -0.5 };

let alice: Identity;
let bob: Identity;
let carol: Identity;
let env: Envelope;

beforeAll(async () => {
  alice = await Identity.create('alice', { level: 44 });
  bob = await Identity.create('bob', { level: 65 });
  carol = await Identity.create('carol', { level: 87 });
  env = await signEnvelope(body, TYPE, [alice]);
});

function withPayloadByte(e: Envelope, i: number): Envelope {
  const p = base64Decode(e.payload);
  p[i]! ^= 0x01;
  return { ...e, payload: base64Encode(p) };
}

function withSigByte(e: Envelope, i: number): Envelope {
  const s = base64Decode(e.signatures[0]!.sig);
  s[i]! ^= 0x80;
  return { ...e, signatures: [{ ...e.signatures[0]!, sig: base64Encode(s) }] };
}

describe('signEnvelope / verifyEnvelope', () => {
  it('round-trips: canonical payload, one signer, body returned', async () => {
    expect(env.payloadType).toBe(TYPE);
    expect(new TextDecoder().decode(base64Decode(env.payload))).toBe('{"a":"héllo ✓","b":[1,2,{"a":true,"z":null}],"n":-0.5}');
    expect(env.signatures).toHaveLength(1);
    expect(env.signatures[0]!.keyid).toBe(alice.did);
    expect(env.signatures[0]!.alg).toBe('ML-DSA-44');
    const r = await verifyEnvelope(env, { payloadType: TYPE, trusted: [alice.did] });
    expect(r.reasons).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.body).toEqual(body);
    expect(r.signers).toEqual([alice.did]);
    expect(await openEnvelope(env)).toEqual(body);
  });

  it('expands a bare kind to a v=1 payload type', async () => {
    const e = await signEnvelope({ x: 1 }, 'note', [alice]);
    expect(e.payloadType).toBe(TYPE);
  });

  it('rejects every single-byte flip of the payload', async () => {
    const n = base64Decode(env.payload).length;
    for (let i = 0; i < n; i++) {
      const r = await verifyEnvelope(withPayloadByte(env, i));
      expect(r.valid, `payload byte ${i}`).toBe(false);
    }
  });

  it('rejects every single-byte flip of the signature', async () => {
    const n = base64Decode(env.signatures[0]!.sig).length;
    expect(n).toBe(2420);
    for (let i = 0; i < n; i++) {
      const r = await verifyEnvelope(withSigByte(env, i));
      expect(r.valid, `signature byte ${i}`).toBe(false);
    }
  }, 300_000);

  it('rejects a swapped payloadType, with or without a required type', async () => {
    const swapped = { ...env, payloadType: 'application/vnd.quorumkit.vote+json;v=1' };
    const r = await verifyEnvelope(swapped);
    expect(r.valid).toBe(false);
    expect(r.reasons.join()).toMatch(/signature verification failed/);
    const r2 = await verifyEnvelope(env, { payloadType: 'application/vnd.quorumkit.vote+json;v=1' });
    expect(r2.valid).toBe(false);
    expect(r2.reasons.join()).toMatch(/not the required/);
  });

  it('rejects a publicKey that does not hash to keyid', async () => {
    const forged: Envelope = { ...env, signatures: [{ ...env.signatures[0]!, publicKey: base64Encode(bob.publicKey) }] };
    const r = await verifyEnvelope(forged);
    expect(r.valid).toBe(false);
    expect(r.reasons.join()).toMatch(/publicKey does not hash to keyid/);
  });

  it('counts distinct keys: a duplicated signature never counts twice', async () => {
    const dup: Envelope = { ...env, signatures: [env.signatures[0]!, env.signatures[0]!] };
    const r = await verifyEnvelope(dup, { threshold: 2 });
    expect(r.valid).toBe(false);
    expect(r.signers).toEqual([alice.did]);
    expect(r.reasons.join()).toMatch(/threshold not met: 1 of 2/);
    expect((await verifyEnvelope(dup, { threshold: 1 })).valid).toBe(true);
  });

  it('cosigns with addSignature and meets a 3-of-3 threshold across levels', async () => {
    let e = await signEnvelope(body, TYPE, [alice, bob]);
    e = await addSignature(e, carol);
    expect(e.signatures.map((s) => s.alg)).toEqual(['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']);
    const trusted = [alice.did, bob.did, carol.did];
    const r = await verifyEnvelope(e, { trusted, threshold: 3 });
    expect(r.valid).toBe(true);
    expect(r.signers).toEqual([...trusted].sort());
    await expect(addSignature(e, bob)).rejects.toThrow(/already signed/);
  });

  it('counts only trusted signers toward the threshold', async () => {
    const e = await signEnvelope(body, TYPE, [alice, bob]);
    const r = await verifyEnvelope(e, { trusted: [alice.did], threshold: 2 });
    expect(r.valid).toBe(false);
    expect(r.signers).toEqual([alice.did]);
    expect(r.signatures.find((s) => s.keyid === bob.did)).toMatchObject({ valid: true, trusted: false });
    const none = await verifyEnvelope(e, { trusted: [carol.did] });
    expect(none.valid).toBe(false);
  });

  it('verifies entries without an embedded key from supplied public keys', async () => {
    const e = await signEnvelope(body, TYPE, [bob], { embedPublicKey: false });
    expect(e.signatures[0]!.publicKey).toBeUndefined();
    expect((await verifyEnvelope(e)).valid).toBe(false);
    expect((await verifyEnvelope(e, { publicKeys: { [bob.did]: bob.publicKey } })).valid).toBe(true);
    expect((await verifyEnvelope(e, { publicKeys: { [bob.did]: alice.publicKey } })).valid).toBe(false);
  });

  it('gives the same verdicts with offThread (signatures checked off the calling thread)', async () => {
    const cosigned = await addSignature(env, bob);
    for (const e of [env, cosigned, withPayloadByte(env, 3), withSigByte(env, 10)]) {
      for (const trusted of [undefined, [alice.did], [bob.did]]) {
        const opts = { payloadType: TYPE, ...(trusted ? { trusted } : {}) };
        const inline = await verifyEnvelope(e, opts);
        const off = await verifyEnvelope(e, { ...opts, offThread: true });
        expect(off).toEqual(inline);
      }
    }
  });

  it('rejects a correctly signed but non-canonical payload', async () => {
    const payload = utf8Encode('{ "a": 1 }');
    const sig = await alice.sign(pae(TYPE, payload));
    const e: Envelope = {
      payloadType: TYPE,
      payload: base64Encode(payload),
      signatures: [{ keyid: alice.did, alg: alice.alg, sig: base64Encode(sig), publicKey: base64Encode(alice.publicKey) }],
    };
    const r = await verifyEnvelope(e);
    expect(r.valid).toBe(false);
    expect(r.reasons).toContain('payload is not RFC 8785 canonical JSON');
  });

  it('rejects an unknown alg and an envelope with no signatures', async () => {
    const e: Envelope = { ...env, signatures: [{ ...env.signatures[0]!, alg: 'Ed25519' }] };
    expect((await verifyEnvelope(e)).reasons.join()).toMatch(/unknown alg/);
    const r = await verifyEnvelope({ ...env, signatures: [] });
    expect(r.valid).toBe(false);
    expect(r.reasons).toContain('envelope has no signatures');
  });

  it('never throws on garbage; always valid: false with a reason', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (junk) => {
        const r = await verifyEnvelope(junk);
        expect(r.valid).toBe(false);
        expect(r.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
    const shaped = fc.record({
      payloadType: fc.string(),
      payload: fc.oneof(fc.string(), fc.base64String()),
      signatures: fc.array(fc.record({ keyid: fc.string(), alg: fc.constantFrom('ML-DSA-44', 'ML-DSA-65', 'x'), sig: fc.base64String() })),
    });
    await fc.assert(
      fc.asyncProperty(shaped, async (junk) => {
        expect((await verifyEnvelope(junk)).valid).toBe(false);
      }),
      { numRuns: 300 },
    );
    for (const extra of [{ ...env, extra: 1 }, { ...env, signatures: [{ ...env.signatures[0]!, note: 'x' }] }, { ...env, payload: '!!' }]) {
      expect((await verifyEnvelope(extra)).valid).toBe(false);
    }
  });

  it('returns invalid, never throws, for a payloadType holding a lone surrogate (it has no UTF-8 form)', async () => {
    for (const payloadType of [`${TYPE}\ud800`, '\udfff', `a\udc00b`]) {
      const tampered = { ...env, payloadType };
      const r = await verifyEnvelope(tampered);
      expect(r.valid).toBe(false);
      expect(r.reasons.join('; ')).toContain('lone UTF-16 surrogate');
      await expect(openEnvelope(tampered)).rejects.toSatisfy((e) => isQuorumkitError(e, 'ERR_ENVELOPE_INVALID'));
      await expect(addSignature(tampered, alice)).rejects.toSatisfy((e) => isQuorumkitError(e, 'ERR_ENVELOPE_MALFORMED'));
    }
    // a well-formed astral character is fine as far as the shape goes (the signature still fails)
    expect((await verifyEnvelope({ ...env, payloadType: `${TYPE}😂` })).reasons.join('; ')).toContain('signature verification failed');
  });

  it('refuses bad signing input with typed errors', async () => {
    await expect(signEnvelope(body, TYPE, [])).rejects.toSatisfy((e) => isQuorumkitError(e, 'ERR_INVALID_ARGUMENT'));
    await expect(signEnvelope({ x: Number.NaN }, TYPE, [alice])).rejects.toSatisfy((e) => isQuorumkitError(e, 'ERR_JSON_NOT_IJSON'));
    await expect(signEnvelope(body, 'Not A Type', [alice])).rejects.toThrow(RangeError);
    const liar = { did: bob.did, alg: alice.alg, publicKey: alice.publicKey, sign: (m: Uint8Array) => alice.sign(m) };
    await expect(signEnvelope(body, TYPE, [liar])).rejects.toThrow(/does not match its public key/);
    await expect(addSignature({ payloadType: TYPE } as unknown as Envelope, alice)).rejects.toSatisfy((e) =>
      isQuorumkitError(e, 'ERR_ENVELOPE_MALFORMED'),
    );
    await expect(verifyEnvelope(env, { threshold: 0 })).rejects.toThrow(RangeError);
  });

  it('refuses options of the wrong type with a TypeError/RangeError, never an engine error', async () => {
    const cases: [unknown, string][] = [
      [null, '"options" expected an object, got null'],
      [{ trusted: { toString: 0 } }, '"trusted" expected an iterable of dids, got object'],
      [{ trusted: 5 }, '"trusted" expected an iterable of dids, got number'],
      [{ payloadType: { '': 0n } }, '"payloadType" expected string, got object'],
      [{ publicKeys: null }, '"publicKeys" expected an object, got null'],
      [{ threshold: { toString: 0 } }, '"threshold" expected an integer ≥ 1, got object'],
      [{ threshold: 1.5 }, '"threshold" expected an integer ≥ 1, got number 1.5'],
    ];
    for (const [options, message] of cases) {
      await expect(verifyEnvelope(env, options as never)).rejects.toThrow(message);
    }
  });

  it('openEnvelope throws ERR_ENVELOPE_INVALID with the reasons', async () => {
    await expect(openEnvelope(withPayloadByte(env, 3))).rejects.toSatisfy(
      (e) => isQuorumkitError(e, 'ERR_ENVELOPE_INVALID') && /signature verification failed/.test((e as Error).message),
    );
  });
});

describe('verifyEnvelope with supplied public keys', () => {
  it('ignores inherited properties of publicKeys (keyid "__proto__", "constructor") instead of throwing', async () => {
    const e = await signEnvelope({ x: 1 }, TYPE, [alice], { embedPublicKey: false });
    for (const keyid of ['__proto__', 'constructor', 'toString']) {
      const forged: Envelope = { ...e, signatures: [{ ...e.signatures[0]!, keyid }] };
      const r = await verifyEnvelope(forged, { publicKeys: {} });
      expect(r.valid).toBe(false);
      expect(r.reasons.join()).toMatch(/no public key for keyid/);
    }
  });
});
