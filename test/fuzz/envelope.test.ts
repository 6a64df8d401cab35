// Fuzzing quorumkit/envelope: the shape check, verifyEnvelope / openEnvelope on any value and on
// mutations of valid signed envelopes (none may verify), payload types, PAE and addSignature.
// verifyEnvelope returns a verdict for every input and never throws for a bad envelope.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isQuorumkitError } from '../../src/core/errors.js';
import {
  addSignature, checkEnvelopeShape, normalizePayloadType, openEnvelope, pae, parsePayloadType, signEnvelope, verifyEnvelope, type Envelope,
} from '../../src/envelope/index.js';
import { Identity } from '../../src/pq/identity.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, jsonValue, mutateEnvelope, mutateString, randomBytes, sameJson, trickyString } from './_inputs.js';

const TYPE = 'application/vnd.quorumkit.note+json;v=1';
const BODY = { subject: 'did:pqaid:model-x', allow: ['read', 'write'], limits: { qps: 50, burst: 2.5 }, note: 'héllo "✓"', at: null };
const RUNS = fuzzRuns(1500);
const T = fuzzTimeout(1500, 10);

let alice: Identity;
let bob: Identity;
let one: Envelope; // alice, ML-DSA-44
let two: Envelope; // alice and bob (ML-DSA-65): threshold 2
let foreign: Envelope[];
/** `payloadType\npayload` → the dids that really signed it. */
const genuine = new Map<string, Set<string>>();

beforeAll(async () => {
  alice = await Identity.create('alice', { level: 44 });
  bob = await Identity.create('bob', { level: 65 });
  const carol = await Identity.create('carol', { level: 44 });
  one = await signEnvelope(BODY, TYPE, [alice]);
  two = await signEnvelope(BODY, TYPE, [alice, bob]);
  foreign = [await signEnvelope({ ...BODY, allow: ['read'] }, TYPE, [alice, bob]), await signEnvelope(BODY, TYPE, [carol]), await signEnvelope(BODY, 'other', [alice])];
  for (const e of [one, two, ...foreign]) {
    const key = `${e.payloadType}\n${e.payload}`;
    const dids = genuine.get(key) ?? new Set<string>();
    for (const sig of e.signatures) dids.add(sig.keyid);
    genuine.set(key, dids);
  }
});

describe('verifyEnvelope under fuzzing', () => {
  it('the unmutated envelopes verify (the properties below can fail)', async () => {
    expect((await verifyEnvelope(one, { threshold: 1, payloadType: TYPE })).valid).toBe(true);
    expect((await verifyEnvelope(two, { threshold: 2, payloadType: TYPE })).signers).toEqual([alice.did, bob.did].sort());
  });

  it('returns an invalid verdict with reasons for any value, never throwing', async () => {
    const shaped = fc.record({ payloadType: fc.oneof(trickyString, fc.constant(TYPE)), payload: fc.oneof(trickyString, randomBytes.map((b) => Buffer.from(b).toString('base64'))), signatures: fc.array(fc.oneof(jsonValue({ hostile: true }), fc.record({ keyid: trickyString, alg: fc.constantFrom('ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87', 'x'), sig: trickyString, publicKey: trickyString }, { requiredKeys: ['keyid', 'alg', 'sig'] })), { maxLength: 3 }) });
    await fuzzAsync('verifyEnvelope(any)', fc.oneof(anyValue, jsonValue({ hostile: true }), shaped), async (v) => {
      const r = await verifyEnvelope(v);
      expect(r.valid).toBe(false);
      expect(r.reasons.length).toBeGreaterThan(0);
    }, RUNS);
  }, T);

  it('never accepts a mutated signed envelope: every signer it reports really signed that payload and type', async () => {
    const cases = fc.oneof(
      fc.constant(null).chain(() => mutateEnvelope(one, foreign)).map((m) => ({ m, threshold: 1, trusted: [alice.did] })),
      fc.constant(null).chain(() => mutateEnvelope(two, foreign)).map((m) => ({ m, threshold: 2, trusted: [alice.did, bob.did] })),
    );
    await fuzzAsync('verifyEnvelope(mutated envelope)', cases, async ({ m, threshold, trusted }, tally) => {
      const r = await verifyEnvelope(m.env, { threshold, trusted });
      if (!r.valid) return;
      // Accepted: only legitimate when the pieces reassemble what the signers really signed (the
      // original with a duplicated signature, or a foreign envelope put back together).
      tally.note('accepted (a genuine payload and type re-assembled)');
      const e = m.env as Envelope;
      for (const did of r.signers) expect(genuine.get(`${e.payloadType}\n${e.payload}`)?.has(did), `${m.what} forged ${did}`).toBe(true);
    }, RUNS);
  }, T);

  it('openEnvelope throws only ERR_ENVELOPE_INVALID for a mutated envelope', async () => {
    await fuzzAsync('openEnvelope(mutated envelope)', fc.constant(null).chain(() => mutateEnvelope(one, foreign)), async (m, tally) => {
      if (sameJson(m.env, one)) return void tally.note('unchanged');
      let body: unknown;
      try {
        body = await openEnvelope(m.env, { trusted: [alice.did], payloadType: TYPE });
      } catch (e) {
        expect(isQuorumkitError(e, 'ERR_ENVELOPE_INVALID'), String(e)).toBe(true);
        throw e;
      }
      expect(genuine.get(`${TYPE}\n${(m.env as Envelope).payload}`)?.has(alice.did), `opened a forgery (${m.what})`).toBe(true);
      expect(sameJson(body, BODY) || sameJson(body, { ...BODY, allow: ['read'] })).toBe(true);
    }, fuzzRuns(1000));
  }, T);

  it('a duplicated signature entry never adds a signer', async () => {
    await fuzzAsync('verifyEnvelope(duplicated signatures)', fc.array(fc.nat({ max: 1 }), { minLength: 1, maxLength: 6 }), async (picks) => {
      const env = { ...two, signatures: [...two.signatures, ...picks.map((i) => two.signatures[i]!)] };
      const r = await verifyEnvelope(env, { threshold: 2 });
      expect(r.valid).toBe(true);
      expect(r.signers).toEqual([alice.did, bob.did].sort());
      const withoutBob = { ...two, signatures: [two.signatures[0]!, ...picks.map(() => two.signatures[0]!)] };
      expect((await verifyEnvelope(withoutBob, { threshold: 2 })).valid).toBe(false);
    }, fuzzRuns(1000));
  }, T);

  it('any options give a verdict or a typed error', async () => {
    const options = fc.record({ trusted: fc.oneof(fc.array(trickyString), anyValue), threshold: fc.oneof(fc.integer({ min: -1, max: 3 }), anyValue), payloadType: fc.oneof(fc.constant(TYPE), anyValue), publicKeys: anyValue }, { requiredKeys: [] });
    await fuzzAsync('verifyEnvelope(envelope, any options)', options, async (opts) => {
      await verifyEnvelope(one, opts as never);
    }, RUNS);
  }, T);
});

describe('envelope helpers under fuzzing', () => {
  it('checkEnvelopeShape returns a reason or null for any value', () => {
    fuzzSync('checkEnvelopeShape(any)', fc.oneof(anyValue, fc.constant(null).chain(() => mutateEnvelope(two, foreign)).map((m) => m.env)), (v) => {
      const r = checkEnvelopeShape(v);
      expect(r === null || typeof r === 'string').toBe(true);
    });
  });

  it('normalizePayloadType returns a type parsePayloadType reads, or a typed error', () => {
    fuzzSync('normalizePayloadType(text)', fc.oneof(trickyString, fc.constant(TYPE).chain(mutateString), fc.constantFrom('note', 'a.b-c', 'A'), anyValue), (t) => {
      expect(parsePayloadType(normalizePayloadType(t as string))).not.toBeNull();
    });
  });

  it('pae returns bytes or a typed error for any type and payload', () => {
    fuzzSync('pae(type, payload)', fc.tuple(fc.oneof(trickyString, anyValue), fc.oneof(randomBytes, anyValue)), ([t, p]) => {
      expect(pae(t as string, p as Uint8Array)).toBeInstanceOf(Uint8Array);
    });
  });

  it('addSignature refuses a malformed or mutated envelope with a typed error or signs it', async () => {
    await fuzzAsync('addSignature(any envelope)', fc.oneof(anyValue, fc.constant(null).chain(() => mutateEnvelope(one, foreign)).map((m) => m.env)), async (v) => {
      await addSignature(v as Envelope, bob);
    }, fuzzRuns(1000));
  }, T);
});
