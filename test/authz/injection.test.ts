// Condition-language injection: upstream evaluates law conditions with Python eval(); here a law
// document carrying code is refused with a typed error and its position (no law is built), and request
// fields carrying code are data — compared, never run — so they cannot change a decision.
import { describe, expect, it } from 'vitest';
import { AuthorizationEngine, authorizationRequest, defaultLawDocument, LawOracle, seedStubCredential } from '../../src/authz/index.js';

const T0 = 1_733_011_200;
const ATTACKS = [
  "__import__('os').system('rm -rf /')",
  'atp_cost <= 1000 or __class__.__mro__',
  'exec("x")',
  'atp_cost <= 1000; import os',
  'lambda: 1',
  '[c for c in ().__class__.__bases__]',
  'atp_cost <= 1000 and open("/etc/passwd")',
  'context.a if True else 0',
  '"\\x00" == action',
  'a' + '.b'.repeat(40) + ' == 1',
  '('.repeat(40) + 'x' + ')'.repeat(40),
];

describe('condition-language injection', () => {
  it('a law whose condition carries code is a typed error naming the norm and the position', () => {
    for (const attack of ATTACKS) {
      const doc = defaultLawDocument('society:t');
      const bad = { ...doc, norms: [...doc.norms.slice(0, 3), { id: 'LIMIT-EVIL', type: 'LIMIT', condition: attack, reason: 'x' }] };
      let err: { code?: string; details?: Record<string, unknown> } | undefined;
      try {
        new LawOracle(bad);
      } catch (e) {
        err = e as typeof err;
      }
      expect(err?.code, attack).toMatch(/^ERR_AUTHZ_(CONDITION|LAW)$/);
    }
  });

  it('request fields carrying code are data: the decision is what the plain request gets', () => {
    const law = LawOracle.defaults('society:t');
    const e = new AuthorizationEngine('society:t', { law, clock: () => T0 });
    e.registerDelegation({ delegationId: 'd', clientLct: 'c', agentLct: 'lct:ai:a', roleLct: 'role:any', grantedPermissions: ['read', 'delete'], atpBudget: 10_000, maxActionsPerHour: 1000 });
    const decide = (o: Record<string, unknown>) => {
      const r = e.authorize(authorizationRequest({ requesterLct: 'lct:ai:a', action: 'read', targetResource: 'data:t', atpCost: 1, delegationId: 'd', timestamp: T0, ...o }), { credential: seedStubCredential('lct:ai:a', 'society:t') });
      return [r.decision, r.denialReason];
    };
    const plain = decide({});
    for (const attack of ATTACKS) {
      expect(decide({ targetResource: attack }), attack).toEqual(plain);
      expect(decide({ context: { trust_context: attack, witness_attestation: attack, note: attack, [attack]: attack } }), attack).toEqual(plain);
      // code where a LIMIT expects a number is a value that fails the limit: closed, not open
      expect(decide({ context: { resource: { storage: attack } } }), attack).toEqual(['denied', 'law_violation']);
    }
    expect(decide({ action: "delete') or ('1'=='1" })).toEqual(['denied', 'role_mismatch']);
    expect(e.delegation('d')!.atpSpent).toBe(1 + ATTACKS.length * 2);
    expect(e.stats('lct:ai:a')).toMatchObject({ total: 2 + ATTACKS.length * 3, granted: 1 + ATTACKS.length * 2 });
  });
});
