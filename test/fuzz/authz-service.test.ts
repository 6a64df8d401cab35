// Fuzzing the parsers of the authorization service's wire objects: witness attestation bodies and
// envelopes (src/authz/witness.ts) and decision receipts (src/authz/receipt.ts). Any JSON value or
// mutated valid envelope either parses / verifies or is a typed error (attestations) or an invalid
// verdict (receipts, which never throw) — never an engine error, never a false "valid".
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/envelope/types.js';
import { Identity } from '../../src/pq/identity.js';
import { AuthorizationEngine, authorizationRequest, decisionRecord, parseWitnessBody, seedStubCredential, signDecisionReceipt, signWitnessAttestation, verifyDecisionReceipt, verifyWitnessAttestation } from '../../src/authz/index.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { jsonValue, mutateEnvelope, sameJson } from './_inputs.js';

let svc: Identity;
let witness: Envelope;
let receipt: Envelope;
beforeAll(async () => {
  svc = await Identity.create('svc', { level: 44 });
  witness = await signWitnessAttestation(svc, 'ab'.repeat(32), 'society:f', { now: 1 });
  const engine = new AuthorizationEngine('society:f', { clock: () => 1 });
  const result = engine.authorize(authorizationRequest({ requesterLct: 'lct:ai:assistant', action: 'read', targetResource: 't', atpCost: 1, timestamp: 1 }), { credential: seedStubCredential('lct:ai:assistant', 'society:f') });
  receipt = await signDecisionReceipt(svc, decisionRecord(result, { society: 'society:f', requestDigest: 'ab'.repeat(32), attempt: 0, witnesses: 0 }), { index: 0, origin: 'o' });
});

describe('authz service wire objects under fuzzing', () => {
  it('parseWitnessBody returns or throws a typed error', () => {
    fuzzSync('parseWitnessBody', jsonValue({ hostile: true }), (v) => {
      parseWitnessBody(v);
    }, fuzzRuns(2000));
  }, fuzzTimeout(2000));

  it('verifyWitnessAttestation: a mutated attestation or any JSON value is a typed error', async () => {
    await fuzzAsync('verifyWitnessAttestation', fc.oneof(mutateEnvelope(witness).map((m) => m.env), jsonValue()), async (env) => {
      if (sameJson(env, witness)) return; // two mutations that undo each other (a bit flipped twice): the original
      await verifyWitnessAttestation(env);
      expect.unreachable('a mutated attestation verified');
    }, fuzzRuns(300));
  }, fuzzTimeout(300, 40));

  it('verifyDecisionReceipt never throws and accepts no mutated receipt', async () => {
    await fuzzAsync('verifyDecisionReceipt', fc.oneof(mutateEnvelope(receipt).map((m) => m.env), jsonValue()), async (env) => {
      if (sameJson(env, receipt)) return; // two mutations that undo each other (a bit flipped twice): the original
      expect((await verifyDecisionReceipt(env, { serviceDid: svc.did })).valid).toBe(false);
    }, fuzzRuns(300));
  }, fuzzTimeout(300, 40));
});
