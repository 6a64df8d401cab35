// GovernanceProposal: creation, kinds, hashing, fail-closed expiry, signing/verification, tampering,
// payload-type separation, garbage input, the JSON form (envelope kept), exact status, the time
// window (MAX_PROPOSAL_TTL_SECONDS, proposalWindowError), and signed parameters copied exactly
// (no JSON.parse: nodejs/node#63785).
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Decode, utf8Decode } from '../../src/core/bytes.js';
import { canonicalize } from '../../src/core/canonical-json.js';
import { fixedClock, manualClock } from '../../src/core/clock.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { signEnvelope } from '../../src/envelope/sign.js';
import {
  GovernanceNode, GovernanceProposal, InvalidProposalError, MAX_PROPOSAL_TTL_SECONDS, PROPOSAL_KINDS, VOTE_PAYLOAD_TYPE, proposalWindowError,
  type GovernanceProposalFields,
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
    expect(JSON.parse(JSON.stringify(p))).not.toHaveProperty('envelope'); // unsigned: the body and status only
  });

  it('status is exact: absent reads as open, present must be one of the four (null is refused)', () => {
    const good = GovernanceProposal.create('update-policy', 's', 't', 'd').body();
    expect(GovernanceProposal.fromJSON(good).status).toBe('open');
    for (const status of ['open', 'passed', 'rejected', 'expired'] as const) expect(GovernanceProposal.fromJSON({ ...good, status }).status).toBe(status);
    for (const status of [null, undefined, '', 'OPEN', 0, { toString: 0 }, ['open']]) {
      expect(() => GovernanceProposal.fromJSON({ ...good, status }), typeof status).toThrow(InvalidProposalError);
    }
  });

  it('a signed proposal keeps its envelope through JSON: verifyProposal and fromJSON take the JSON form', async () => {
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 'T', alice.did, { parameters: { max: 50, note: 'ünïcode ✓' } });
    await alice.signProposal(p);
    p.status = 'passed';
    const json = JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
    expect(json['envelope']).toEqual(p.envelope);
    expect(json['status']).toBe('passed');
    expect(await GovernanceNode.verifyProposal(json as never)).toBe(true);
    const q = GovernanceProposal.fromJSON(json);
    expect([q.status, q.proposalHash(), q.envelope]).toEqual(['passed', p.proposalHash(), p.envelope]);
    expect(await GovernanceNode.verifyProposal(q)).toBe(true);
    // Readable fields edited beside a genuine envelope: refused, never verified.
    const edited = { ...json, parameters: { max: 5000, note: 'ünïcode ✓' } };
    expect(() => GovernanceProposal.fromJSON(edited)).toThrow('proposal fields differ from its signed envelope');
    expect(await GovernanceNode.verifyProposal(edited as never)).toBe(false);
    // The envelope tampered, or dropped (an unsigned JSON form never verifies).
    expect(await GovernanceNode.verifyProposal({ ...json, envelope: flipSignatureBit(p.envelope!) } as never)).toBe(false);
    const { envelope: _e, ...unsigned } = json;
    expect(await GovernanceNode.verifyProposal(unsigned as never)).toBe(false);
    expect(() => GovernanceProposal.fromJSON({ ...json, envelope: 'x' })).toThrow(InvalidProposalError);
  });

  it('signed fields cannot be reassigned (only status changes), so the body always matches the envelope', async () => {
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 'T', alice.did);
    await alice.signProposal(p);
    expect(() => { (p as { title: string }).title = 'other'; }).toThrow(TypeError);
    expect(p.title).toBe('T');
    p.status = 'expired';
    expect(await GovernanceNode.verifyProposal(p)).toBe(true);
  });

  it('copies signed parameters exactly even after JSON.parse met a "\\\\" key (V8 bug nodejs/node#63785)', async () => {
    // What user code in the same process may have parsed before: it leaves V8 in the state where
    // JSON.parse reads the key "\"" of {"!":1,"\"":"deny"} as "\\".
    JSON.parse('{"!":[],"\\\\":0}');
    const parameters = { '!': 1, '"': 'deny' };
    const p = GovernanceProposal.create('update-policy', 'policy:p', 'T', alice.did, { parameters });
    expect(Object.keys(p.parameters)).toEqual(['!', '"']);
    expect(p.parameters).toEqual(parameters);
    const env = await alice.signProposal(p);
    const signed = (parseStrict(utf8Decode(base64Decode(env.payload))) as { parameters: unknown }).parameters;
    expect(canonicalize(p.parameters)).toBe(canonicalize(signed));
    expect(canonicalize(GovernanceProposal.fromEnvelope(env).parameters)).toBe(canonicalize(parameters));
    expect(await GovernanceNode.verifyProposal(p)).toBe(true);
  });
});

describe('proposal time window', () => {
  const T = '2026-04-20T12:00:00Z';
  it(`MAX_PROPOSAL_TTL_SECONDS is 30 days; create accepts it and refuses one second more`, () => {
    expect(MAX_PROPOSAL_TTL_SECONDS).toBe(30 * 24 * 3600);
    const p = GovernanceProposal.create('delegation', 's', 't', 'd', { ttlSeconds: MAX_PROPOSAL_TTL_SECONDS, clock: fixedClock(T) });
    expect(p.expiresAt).toBe('2026-05-20T12:00:00Z');
    expect(proposalWindowError(p)).toBeNull();
    expect(() => GovernanceProposal.create('delegation', 's', 't', 'd', { ttlSeconds: MAX_PROPOSAL_TTL_SECONDS + 1 })).toThrow(RangeError);
    expect(() => GovernanceProposal.create('delegation', 's', 't', 'd', { ttl: 60 } as never)).toThrow(TypeError); // unknown option
  });

  it('proposalWindowError names unparsable times, createdAt after expiresAt, and a lifetime over the maximum', () => {
    const at = (createdAt: unknown, expiresAt: unknown): string | null => proposalWindowError({ createdAt, expiresAt } as never);
    expect(at(T, T)).toBeNull();
    expect(at(T, '2026-04-20T13:00:00+01:00')).toBeNull(); // same instant, other offset
    expect(at('2026-04-20T12:00:00+00:00', '2026-04-21T12:00:00.5Z')).toBeNull();
    expect(at(T, '2026-05-20T12:00:00.001Z')).toMatch(/exceeds the maximum 2592000 s/);
    expect(at('2026-04-20T12:00:01Z', T)).toBe('"createdAt" is after "expiresAt"');
    for (const bad of ['', 'tomorrow', '2026-04-21', '2026-02-30T00:00:00Z', '9999-99-99T99:99:99Z']) {
      expect(at(T, bad), bad).toMatch(/"expiresAt" is not an RFC 3339 timestamp/);
      expect(at(bad, T), bad).toMatch(/"createdAt" is not an RFC 3339 timestamp/);
    }
    expect(at(5, T)).toBe('"createdAt" expected an RFC 3339 string, got number 5');
    expect(at(T, { toString: 0 })).toBe('"expiresAt" expected an RFC 3339 string, got object');
    expect(proposalWindowError(null as never)).toBe('proposal expected an object, got null');
    // The constructor still reads such proposals (seed artifacts); the window check is separate.
    const odd = new GovernanceProposal({ ...GovernanceProposal.create('delegation', 's', 't', 'd').body(), createdAt: '2027-01-01T00:00:00Z' });
    expect(proposalWindowError(odd)).toBe('"createdAt" is after "expiresAt"');
  });
});
