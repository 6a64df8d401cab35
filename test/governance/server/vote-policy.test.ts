// VotePolicy: how a node votes without a human — first matching rule (kind, a list or *; subject
// glob anchored at both ends) decides, else the default; malformed policies are refused.
import { describe, expect, it } from 'vitest';
import { GovernanceProposal } from '../../../src/governance/index.js';
import { VotePolicy } from '../../../src/governance/server/index.js';

describe('VotePolicy', () => {
  const policy = VotePolicy.parse({
    type: 'quorumkit-vote-policy',
    version: 1,
    default: 'reject',
    rules: [
      { kind: 'authorize-model', subject: 'did:pqaid:medical-*', decision: 'approve', rationale: 'cleared' },
      { kind: ['revoke-model', 'revoke-agent'], decision: 'queue' },
      { kind: '*', subject: '*.internal', decision: 'abstain' },
    ],
  });
  const mk = (kind: 'authorize-model' | 'revoke-agent' | 'delegation', subject: string): GovernanceProposal => GovernanceProposal.create(kind, subject, 't', 'did:pqaid:x');
  it('first matching rule decides, else the default', () => {
    expect(policy.decide(mk('authorize-model', 'did:pqaid:medical-ai-v2'))).toMatchObject({ decision: 'approve', rationale: 'cleared', rule: 0 });
    expect(policy.decide(mk('authorize-model', 'did:pqaid:other'))).toMatchObject({ decision: 'reject', rule: -1 });
    expect(policy.decide(mk('revoke-agent', 'a'))).toMatchObject({ decision: 'queue', rule: 1 });
    expect(policy.decide(mk('delegation', 'svc.internal'))).toMatchObject({ decision: 'abstain', rule: 2 });
    expect(policy.decide(mk('delegation', 'svc.internal.x')).rule).toBe(-1); // glob anchors at both ends
    expect(policy.decide(mk('authorize-model', 'did:pqaid:medical.x')).rule).toBe(-1); // '.' is literal
    expect(VotePolicy.queueAll().decide(mk('delegation', 'x')).decision).toBe('queue');
  });
  it('garbage policies are refused with ERR_INVALID_ARGUMENT', () => {
    const base = { type: 'quorumkit-vote-policy', version: 1 };
    for (const bad of [null, [], 'x', {}, { ...base, version: 2 }, { ...base, extra: 1 }, { ...base, default: 'maybe' }, { ...base, rules: {} },
      { ...base, rules: [{ decision: 'approve', kind: 'launch' }] }, { ...base, rules: [{ decision: 'yes' }] }, { ...base, rules: [{ decision: 'approve', subject: '' }] },
      { ...base, rules: [{ decision: 'approve', other: 1 }] }, { ...base, rules: [{ decision: 'approve', kind: [] }] }, { ...base, rules: [1] }]) {
      expect(() => VotePolicy.parse(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    }
    expect(VotePolicy.parse(policy.toJSON()).rules).toEqual(policy.rules);
  });
});
