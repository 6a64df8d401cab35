// Witness attestations (src/authz/witness.ts) and decision receipts (src/authz/receipt.ts), offline:
// TUF-style counting — distinct allowed keys over exactly this digest (duplicates, strangers, other
// requests, other societies and forged signatures count nothing); receipts verify by the service's
// signature and, with a checkpoint and an inclusion proof, against the log's root.
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../../src/core/bytes.js';
import { canonicalBytes } from '../../src/core/canonical-json.js';
import { Identity } from '../../src/pq/identity.js';
import { MemoryTree, leafHash, signCheckpoint, inclusionPath, treeHash } from '../../src/log/verifier.js';
import { toHex } from '../../src/core/bytes.js';
import {
  AuthorizationEngine, authorizationRequest, countWitnesses, decisionId, decisionRecord, decisionRecordBytes, parseWitnessBody, signDecisionReceipt,
  signWitnessAttestation, verifyDecisionReceipt, verifyWitnessAttestation, MAX_WITNESS_ATTESTATIONS, seedStubCredential,
} from '../../src/authz/index.js';

const S = 'society:w';
const D1 = 'aa'.repeat(32);
const D2 = 'bb'.repeat(32);
let w1: Identity;
let w2: Identity;
let w3: Identity;
let svc: Identity;
beforeAll(async () => {
  [w1, w2, w3, svc] = (await Promise.all(['w1', 'w2', 'w3', 'svc'].map((n) => Identity.create(n, { level: 44 })))) as [Identity, Identity, Identity, Identity];
});

describe('witness attestations', () => {
  it('sign → verify round-trips; the body is strict', async () => {
    const a = await signWitnessAttestation(w1, D1, S, { now: 5 });
    expect(await verifyWitnessAttestation(a, { society: S })).toEqual({ type: 'authz.witness', society: S, request_digest: D1, witness: w1.did, signed_at: 5 });
    await expect(verifyWitnessAttestation(a, { society: 'other' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(signWitnessAttestation(w1, 'xyz', S)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    const sig = base64Decode(a.signatures[0]!.sig);
    sig[0]! ^= 1;
    await expect(verifyWitnessAttestation({ ...a, signatures: [{ ...a.signatures[0]!, sig: base64Encode(sig) }] })).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED' });
    for (const bad of [null, [], { type: 'authz.witness' }, { type: 'authz.witness', society: S, request_digest: D1, witness: w1.did, signed_at: 1, x: 1 }, { type: 'x', society: S, request_digest: D1, witness: w1.did, signed_at: 1 }]) {
      expect(() => parseWitnessBody(bad)).toThrow(/witness attestation/);
    }
  });

  it('counts distinct allowed keys over exactly this digest', async () => {
    const allowed = new Set([w1.did, w2.did]);
    const a1 = await signWitnessAttestation(w1, D1, S);
    const a1again = await signWitnessAttestation(w1, D1, S);
    const a2other = await signWitnessAttestation(w2, D2, S);
    const a3 = await signWitnessAttestation(w3, D1, S);
    const a2foreign = await signWitnessAttestation(w2, D1, 'society:other');
    expect(await countWitnesses([a1, a1again, a2other, a3, a2foreign, { junk: true }, null], { digest: D1, allowed, society: S })).toEqual({ count: 1, witnesses: [w1.did] });
    const a2 = await signWitnessAttestation(w2, D1, S);
    expect((await countWitnesses([a1, a2, a1again], { digest: D1, allowed, society: S })).count).toBe(2);
    expect((await countWitnesses([a1, a2], { digest: D2, allowed })).count).toBe(0);
    await expect(countWitnesses(Array(MAX_WITNESS_ATTESTATIONS + 1).fill(a1), { digest: D1, allowed })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('decision receipts', () => {
  it('verify by signature, and by inclusion under a signed checkpoint', async () => {
    const engine = new AuthorizationEngine(S, { clock: () => 100 });
    const req = authorizationRequest({ requesterLct: 'lct:ai:assistant', action: 'read', targetResource: 'data:x', atpCost: 3, timestamp: 100 });
    const record = decisionRecord(engine.authorize(req, { credential: seedStubCredential('lct:ai:assistant', S) }), { society: S, requestDigest: D1, attempt: 0, witnesses: 0 });
    expect(record).toMatchObject({ type: 'authz.decision', decision: 'granted', check: 'grant', request_digest: D1 });
    const tree = new MemoryTree();
    for (const e of ['x', 'y', 'z']) tree.push(leafHash(canonicalBytes({ e })));
    tree.push(leafHash(decisionRecordBytes(record)));
    tree.push(leafHash(canonicalBytes({ e: 'after' })));
    const origin = 'quorumkit/authz/test';
    const receipt = await signDecisionReceipt(svc, record, { index: 3, origin });
    const checkpoint = await signCheckpoint(origin, 5, treeHash(tree, 5), [svc]);
    const inclusionProof = { index: 3, treeSize: 5, proof: inclusionPath(tree, 3, 5).map(toHex) };
    expect(await verifyDecisionReceipt(receipt, { serviceDid: svc.did, checkpoint, inclusionProof })).toMatchObject({ valid: true, included: true, receipt: { decision_id: decisionId(record), log_index: 3, log_origin: origin } });
    expect(await verifyDecisionReceipt(receipt, { serviceDid: svc.did })).toMatchObject({ valid: true, included: null });
    // Wrong signer, a proof for another index, a checkpoint of another log, a proof without a checkpoint.
    expect((await verifyDecisionReceipt(receipt, { serviceDid: w1.did })).valid).toBe(false);
    expect(await verifyDecisionReceipt(receipt, { serviceDid: svc.did, checkpoint, inclusionProof: { ...inclusionProof, index: 2 } })).toMatchObject({ valid: false, included: false });
    const other = await signCheckpoint('quorumkit/other', 5, treeHash(tree, 5), [svc]);
    expect((await verifyDecisionReceipt(receipt, { serviceDid: svc.did, checkpoint: other, inclusionProof })).reasons.join()).toMatch(/origin/);
    expect((await verifyDecisionReceipt(receipt, { serviceDid: svc.did, inclusionProof })).valid).toBe(false);
    // A receipt over a record that is not in the tree at that index.
    const lie = await signDecisionReceipt(svc, { ...record, atp_cost: 4 }, { index: 3, origin });
    expect((await verifyDecisionReceipt(lie, { serviceDid: svc.did, checkpoint, inclusionProof })).reasons.join()).toMatch(/root/);
    await expect(signDecisionReceipt(svc, record, { index: -1, origin })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    for (const junk of [null, 1, {}, { payloadType: 'x', payload: 'e30=', signatures: [] }]) expect((await verifyDecisionReceipt(junk, { serviceDid: svc.did })).valid).toBe(false);
  });
});

describe('one signature entry', () => {
  it('a witness attestation or a receipt with a bad second signature entry beside the good one is refused', async () => {
    const pad = <T extends { signatures: readonly { sig: string }[] }>(e: T): T => ({ ...e, signatures: [...e.signatures, { ...e.signatures[0]!, sig: base64Encode(new Uint8Array(base64Decode(e.signatures[0]!.sig).length)) }] });
    const a = await signWitnessAttestation(w1, D1, S, { now: 5 });
    await expect(verifyWitnessAttestation(pad(a))).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED', message: /exactly one signature/ });
    expect((await countWitnesses([pad(a)], { digest: D1, allowed: new Set([w1.did]) })).count).toBe(0);
    const e = new AuthorizationEngine(S, { clock: () => 10 });
    const result = e.authorize(authorizationRequest({ requesterLct: 'lct:ai:assistant', action: 'read', targetResource: 't', atpCost: 1, delegationId: null, timestamp: 10 }), { credential: seedStubCredential('lct:ai:assistant', S) });
    const receipt = await signDecisionReceipt(svc, decisionRecord(result, { society: S, requestDigest: D1, attempt: 0, witnesses: 0 }), { index: 0, origin: 'o' });
    expect((await verifyDecisionReceipt(receipt, { serviceDid: svc.did })).valid).toBe(true);
    expect(await verifyDecisionReceipt(pad(receipt), { serviceDid: svc.did })).toMatchObject({ valid: false, reasons: [expect.stringMatching(/exactly one signature/)] });
  });
});
