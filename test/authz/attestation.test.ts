// A role that requires fresh attestation: an agent's bound attestation report (ML-DSA report + SEV-SNP
// evidence from the TEST PKI's fake device + the binding) verified by quorumkit/attestation is recorded
// in an AttestationLedger; the ledger's gate lets the agent act in that role for N seconds after, and
// not before, not after, and not on a report that is unbound or checked against AMD's real roots.
import { beforeAll, describe, expect, it } from 'vitest';
import { attestBound, Attester, createClaim, createReport, memoryRegion, snapshotOf, type AttestationReport } from '../../src/attestation/index.js';
import { Identity } from '../../src/pq/identity.js';
import { createTestSnpPki, fakeSnpEvidenceSource, FakeSnpSigner, type TestSnpPki } from '../../src/tee/testing/index.js';
import { AttestationLedger, AuthorizationEngine, authorizationRequest, seedStubCredential } from '../../src/authz/index.js';

const now = new Date('2026-06-01T00:00:00Z');
const at = (s: number) => new Date(now.getTime() + s * 1000);
const T = now.getTime() / 1000;
let agent: Identity;
let pki: TestSnpPki;
const reportWith = (nonce: string): AttestationReport => {
  const region = memoryRegion({ region_id: 'weights', address: 0x1000, size: 8 });
  return createReport([createClaim({ region, snapshot: snapshotOf('weights', new Uint8Array(8).fill(7), now), nonce })], { now, ttlSeconds: 300 });
};
beforeAll(async () => {
  agent = await Identity.create('agent', { level: 44 });
  pki = await createTestSnpPki({ product: 'Milan', rsaBits: 2048 });
});

describe('AttestationLedger + its gate', () => {
  it('a verified bound report admits the agent to the role for its limit; none, stale, unbound or untrusted do not', async () => {
    const ledger = new AttestationLedger();
    const engine = new AuthorizationEngine('society:t', { clock: () => T, gates: [ledger.gate({ 'role:researcher': 120 })] });
    engine.registerDelegation({ delegationId: 'd', clientLct: 'c', agentLct: agent.did, roleLct: 'role:researcher', grantedPermissions: ['read'], atpBudget: 100 });
    const decide = (s: number) => engine.authorize(authorizationRequest({ requesterLct: agent.did, action: 'read', targetResource: 't', atpCost: 1, delegationId: 'd', timestamp: T + s }), { credential: seedStubCredential(agent.did, 'society:t'), now: T + s });
    expect(decide(1)).toMatchObject({ denialReason: 'invalid_lct', decidedBy: { check: 'attestation' } });

    const attester = new Attester(agent);
    const bound = await attestBound(attester, reportWith('ab'.repeat(16)), fakeSnpEvidenceSource(new FakeSnpSigner(pki)));
    const untrusted = await ledger.submit(bound.report, bound.evidence, { now: at(1) }); // AMD's real roots: the test PKI is refused
    expect(untrusted).toMatchObject({ recorded: null, verification: { valid: false } });
    const other = await attestBound(attester, reportWith('cd'.repeat(16)), fakeSnpEvidenceSource(new FakeSnpSigner(pki)));
    const unbound = await ledger.submit(bound.report, other.evidence, { now: at(1), snpRoots: [pki.root] });
    expect(unbound).toMatchObject({ recorded: null, verification: { bound: false } });
    expect(decide(2).denialReason).toBe('invalid_lct');

    const ok = await ledger.submit(bound.report, bound.evidence, { now: at(10), snpRoots: [pki.root] });
    expect(ok.recorded).toEqual({ agent: agent.did, verifiedAt: T + 10, reportId: bound.report.report_id });
    expect(decide(11).decision).toBe('granted');
    expect(decide(130).decision).toBe('granted');
    expect(decide(131)).toMatchObject({ denialReason: 'invalid_lct', decidedBy: { why: expect.stringMatching(/at most 120 s old; the latest is 121 s old/) } });
    // an older verification never replaces a newer one
    await ledger.submit(bound.report, bound.evidence, { now: at(5), snpRoots: [pki.root] });
    expect(ledger.latest(agent.did)!.verifiedAt).toBe(T + 10);
  }, 60_000);

  it('keeps at most maxAgents, dropping the longest unrefreshed; refuses a bad size', async () => {
    expect(() => new AttestationLedger(0)).toThrow(RangeError);
    const ledger = new AttestationLedger(1);
    const second = await Identity.create('second', { level: 44 });
    const a = await attestBound(new Attester(agent), reportWith('ab'.repeat(16)), fakeSnpEvidenceSource(new FakeSnpSigner(pki)));
    const b = await attestBound(new Attester(second), reportWith('cd'.repeat(16)), fakeSnpEvidenceSource(new FakeSnpSigner(pki)));
    await ledger.submit(a.report, a.evidence, { now: at(1), snpRoots: [pki.root] });
    expect(ledger.latest(agent.did)).toBeDefined();
    await ledger.submit(b.report, b.evidence, { now: at(2), snpRoots: [pki.root] });
    expect(ledger.latest(agent.did)).toBeUndefined();
    expect(ledger.latest(second.did)!.verifiedAt).toBe(T + 2);
  }, 60_000);
});
