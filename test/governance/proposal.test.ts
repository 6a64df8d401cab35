// GovernanceProposal: creation, kinds, hashing, fail-closed expiry, signing/verification, tampering,
// payload-type separation, and garbage input.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, manualClock } from '../../src/core/clock.js';
import { signEnvelope } from '../../src/envelope/sign.js';
import {
  GovernanceNode, GovernanceProposal, InvalidProposalError, PROPOSAL_KINDS, VOTE_PAYLOAD_TYPE, type GovernanceProposalFields,
} from '../../src/governance/index.js';
import { flipSignatureBit, makeNode, tamperPayload } from './_fixtures.js';

let alice: GovernanceNode;
let bob: GovernanceNode;
beforeAll(async () => {
  [alice, bob] = await Promise.all([makeNode('alice'), makeNode('bob')]);
});

const T0 = '2026-04-20T12:00:00Z';

describe('GovernanceProposal', () => {
  it('has the nine seed kinds', () => {
    expect(PROPOSAL_KINDS).toEqual(['authorize-model', 'revoke-model', 'authorize-agent', 'revoke-agent', 'update-policy', 'add-node', 'remove-node', 'emergency-freeze', 'delegation']);
  });

  it('create: random urn id, default TTL one day, open status, frozen parameters', () => {
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 'T', 'did:pqaid:alice', { clock: fixedClock(T0), parameters: { a: { b: 1 } } });
    expect(p.proposalId).toMatch(/^urn:quorumkit:proposal:[0-9a-f-]{36}$/);
    expect(p.createdAt).toBe(T0);
    expect(p.expiresAt).toBe('2026-04-21T12:00:00Z');
    expect(p.status).toBe('open');
    expect(p.description).toBe('');
    expect(Object.isFrozen(p.parameters) && Object.isFrozen(p.parameters['a'])).toBe(true);
    expect(GovernanceProposal.create('delegation', 's', 't', 'd', { ttlSeconds: 60, clock: fixedClock(T0) }).expiresAt).toBe('2026-04-20T12:01:00Z');
  });

  it('proposalHash is stable, 64 hex, and changes with any signed field', () => {
    const base = { proposalId: 'urn:x', kind: 'authorize-model', subjectId: 's', title: 't', description: '', proposerDid: 'd', parameters: { k: 1 }, createdAt: T0, expiresAt: T0 } as const;
    const h = new GovernanceProposal(base).proposalHash();
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(new GovernanceProposal({ ...base }).proposalHash()).toBe(h);
    for (const [k, v] of Object.entries({ proposalId: 'urn:y', kind: 'revoke-model', subjectId: 's2', title: 't2', description: 'd', proposerDid: 'e', parameters: { k: 2 }, createdAt: 'x', expiresAt: 'y' })) {
      expect(new GovernanceProposal({ ...base, [k]: v } as GovernanceProposalFields).proposalHash(), k).not.toBe(h);
    }
    const p = new GovernanceProposal(base);
    p.status = 'passed';
    expect(p.proposalHash()).toBe(h); // status is not hashed
  });

  it('isExpired: after the TTL, and fails closed on an unparsable expiry', () => {
    const clock = manualClock(T0);
    const p = GovernanceProposal.create('authorize-agent', 's', 't', 'd', { clock, ttlSeconds: 10 });
    expect(p.isExpired(clock)).toBe(false);
    clock.advance(10_000);
    expect(p.isExpired(clock)).toBe(false); // exactly at expiry: not yet past
    clock.advance(1);
    expect(p.isExpired(clock)).toBe(true);
    for (const expiresAt of ['', 'tomorrow', '2026-04-21', '2026-02-30T00:00:00Z', '9999-99-99T99:99:99Z']) {
      expect(new GovernanceProposal({ ...p.body(), expiresAt }).isExpired(fixedClock('2000-01-01T00:00:00Z')), expiresAt).toBe(true);
    }
    expect(new GovernanceProposal({ ...p.body(), expiresAt: '2026-04-21T12:00:00+00:00' }).isExpired(fixedClock(T0))).toBe(false);
  });

  it('signProposal attaches an envelope that verifies; only the proposer may sign', async () => {
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 'T', alice.did, { parameters: { note: 'ünïcode ✓' } });
    expect(await GovernanceNode.verifyProposal(p)).toBe(false); // unsigned
    const env = await alice.signProposal(p);
    expect(p.envelope).toEqual(env);
    expect(await GovernanceNode.verifyProposal(p)).toBe(true);
    expect(await GovernanceNode.verifyProposal(env)).toBe(true);
    const round = GovernanceProposal.fromEnvelope(JSON.parse(JSON.stringify(env)));
    expect(round.body()).toEqual(p.body());
    expect(round.proposalHash()).toBe(p.proposalHash());
    await expect(bob.signProposal(p)).rejects.toThrow(InvalidProposalError);
  });

  it('tampered proposals are rejected', async () => {
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 'T', alice.did, { parameters: { max: 50 } });
    const env = await alice.signProposal(p);
    expect(await GovernanceNode.verifyProposal(tamperPayload(env, (b) => { (b['parameters'] as Record<string, unknown>)['max'] = 5000; }))).toBe(false);
    expect(await GovernanceNode.verifyProposal(tamperPayload(env, (b) => { b['expiresAt'] = '2099-01-01T00:00:00Z'; }))).toBe(false);
    expect(await GovernanceNode.verifyProposal(flipSignatureBit(env))).toBe(false);
    // Signed by bob but naming alice as proposer.
    expect(await GovernanceNode.verifyProposal(await signEnvelope(p.body(), env.payloadType, [bob.identity]))).toBe(false);
    // Same body under the vote payload type never verifies as a proposal.
    expect(await GovernanceNode.verifyProposal(await signEnvelope(p.body(), VOTE_PAYLOAD_TYPE, [alice.identity]))).toBe(false);
    expect(() => p.attachEnvelope(tamperPayload(env, (b) => { b['title'] = 'X'; }))).toThrow(InvalidProposalError);
  });

  it('refuses garbage fields and envelopes', () => {
    const good = GovernanceProposal.create('update-policy', 's', 't', 'd').body();
    const bad: Record<string, unknown>[] = [
      { ...good, kind: 'launch-missiles' }, { ...good, proposalId: '' }, { ...good, title: 7 }, { ...good, parameters: [] },
      { ...good, parameters: { x: Number.NaN } }, { ...good, description: null }, { ...good, subjectId: 'x'.repeat(600) },
    ];
    for (const f of bad) expect(() => new GovernanceProposal(f as never), JSON.stringify(f).slice(0, 60)).toThrow(InvalidProposalError);
    expect(() => new GovernanceProposal(null as never)).toThrow(InvalidProposalError);
    expect(() => GovernanceProposal.create('nope' as never, 's', 't', 'd')).toThrow(InvalidProposalError);
    expect(() => GovernanceProposal.create('delegation', 's', 't', 'd', { ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => GovernanceProposal.create('delegation', 's', 't', 'd', { ttlSeconds: 1.5 })).toThrow(RangeError);
    for (const env of [null, 'x', {}, { payloadType: 'a', payload: '!!', signatures: [] }, { payloadType: 'application/vnd.quorumkit.governance.proposal+json;v=1', payload: 'e30=', signatures: [] }]) {
      expect(() => GovernanceProposal.fromEnvelope(env)).toThrow(InvalidProposalError);
    }
    expect(() => GovernanceProposal.fromJSON({ ...good, status: 'weird' })).toThrow(InvalidProposalError);
    expect(() => GovernanceProposal.fromJSON({ ...good, extra: 1 })).toThrow(InvalidProposalError);
    expect(() => GovernanceProposal.fromJSON([])).toThrow(InvalidProposalError);
  });

  it('toJSON / fromJSON round-trip keeps status', () => {
    const p = GovernanceProposal.create('revoke-agent', 's', 't', 'd');
    p.status = 'rejected';
    const q = GovernanceProposal.fromJSON(JSON.parse(JSON.stringify(p)));
    expect(q.status).toBe('rejected');
    expect(q.proposalHash()).toBe(p.proposalHash());
  });
});
