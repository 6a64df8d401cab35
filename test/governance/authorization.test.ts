// AuthorizationChain / AuthorizationGrant semantics: latest passed authorize-* not superseded by a
// later passed revoke-*; only passed results count; subject mismatch is an error.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorizationChain, AuthorizationGrant, ConsensusRound, GovernanceError, GovernanceProposal, type ConsensusResult, type ProposalKind,
} from '../../src/governance/index.js';
import { fiveNodes } from './_fixtures.js';

let f: Awaited<ReturnType<typeof fiveNodes>>;
const SUBJECT = 'did:pqaid:medical-ai-v2';
const decided = new Map<string, { result: ConsensusResult; proposal: GovernanceProposal }>();

async function decide(kind: ProposalKind, pass: boolean, subject = SUBJECT): Promise<{ result: ConsensusResult; proposal: GovernanceProposal }> {
  const key = `${kind}/${pass}/${subject}`;
  const hit = decided.get(key);
  if (hit) return hit;
  const proposal = GovernanceProposal.create(kind, subject, kind, f.alice.did);
  const round = new ConsensusRound({ proposal, registry: f.registry });
  for (const n of f.nodes) await round.cast(await n.castVote(proposal, pass ? 'approve' : 'reject'));
  const out = { result: await round.finalize(f.alice), proposal };
  decided.set(key, out);
  return out;
}

async function grant(kind: ProposalKind, pass = true): Promise<AuthorizationGrant> {
  const { result, proposal } = await decide(kind, pass);
  return new AuthorizationGrant({ subjectId: SUBJECT, kind, result, proposal });
}

beforeAll(async () => {
  f = await fiveNodes();
});

describe('AuthorizationChain', () => {
  it('empty chain authorizes nothing', () => {
    const c = new AuthorizationChain(SUBJECT);
    expect(c.isAuthorized('authorize-model')).toBe(false);
    expect(c.size).toBe(0);
  });

  it('a passed authorize-model authorizes; a later passed revoke-model revokes; re-authorize restores', async () => {
    const c = new AuthorizationChain(SUBJECT);
    c.add(await grant('authorize-model'));
    expect(c.isAuthorized('authorize-model')).toBe(true);
    expect(c.isAuthorized('authorize-agent')).toBe(false);
    c.add(await grant('revoke-model'));
    expect(c.isAuthorized('authorize-model')).toBe(false);
    c.add(await grant('authorize-model'));
    expect(c.isAuthorized('authorize-model')).toBe(true);
    expect(c.grants.map((g) => g.kind)).toEqual(['authorize-model', 'revoke-model', 'authorize-model']);
  });

  it('a revoke before the authorize does not supersede it; revoke-agent does not touch models', async () => {
    const c = new AuthorizationChain(SUBJECT);
    c.add(await grant('revoke-model'));
    c.add(await grant('authorize-model'));
    c.add(await grant('revoke-agent'));
    expect(c.isAuthorized('authorize-model')).toBe(true);
    c.add(await grant('authorize-agent'));
    expect(c.isAuthorized('authorize-agent')).toBe(true);
    c.add(await grant('revoke-agent'));
    expect(c.isAuthorized('authorize-agent')).toBe(false);
    expect(c.isAuthorized('authorize-model')).toBe(true);
  });

  it('only passed results count (rejected authorize or rejected revoke is ignored)', async () => {
    const c = new AuthorizationChain(SUBJECT);
    c.add(await grant('authorize-model', false));
    expect(c.isAuthorized('authorize-model')).toBe(false);
    c.add(await grant('authorize-model'));
    c.add(await grant('revoke-model', false));
    expect(c.isAuthorized('authorize-model')).toBe(true);
  });

  it('subject mismatch is a GovernanceError', async () => {
    const c = new AuthorizationChain('did:pqaid:other');
    const g = await grant('authorize-model');
    expect(() => c.add(g)).toThrow(GovernanceError);
    expect(() => c.add(g)).toThrow(/grant subject did:pqaid:medical-ai-v2 != chain subject did:pqaid:other/);
    expect(c.size).toBe(0);
  });

  it('grant.verify checks the signature and, with the proposal, kind and subject binding', async () => {
    const { result, proposal } = await decide('authorize-model', true);
    expect(await new AuthorizationGrant({ subjectId: SUBJECT, kind: 'authorize-model', result, proposal }).verify()).toBe(true);
    expect(await new AuthorizationGrant({ subjectId: SUBJECT, kind: 'authorize-model', result }).verify()).toBe(true);
    // A grant claiming a different kind than the proposal that passed.
    expect(await new AuthorizationGrant({ subjectId: SUBJECT, kind: 'authorize-agent', result, proposal }).verify()).toBe(false);
    const other = await decide('authorize-model', true, 'did:pqaid:other');
    expect(await new AuthorizationGrant({ subjectId: SUBJECT, kind: 'authorize-model', result: other.result, proposal }).verify()).toBe(false);
  });

  it('refuses bad arguments', async () => {
    const { result } = await decide('authorize-model', true);
    expect(() => new AuthorizationChain('')).toThrow(TypeError);
    expect(() => new AuthorizationGrant({ subjectId: SUBJECT, kind: 'nope' as never, result })).toThrow(TypeError);
    expect(() => new AuthorizationGrant({ subjectId: SUBJECT, kind: 'authorize-model', result: {} as never })).toThrow(TypeError);
    expect(() => new AuthorizationChain(SUBJECT).add({} as never)).toThrow(TypeError);
    expect(() => new AuthorizationChain(SUBJECT).isAuthorized('x' as never)).toThrow(TypeError);
  });
});
