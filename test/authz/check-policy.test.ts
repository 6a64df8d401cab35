// checkPolicy (src/authz/law/check-policy.ts): each finding kind is found on a document crafted for
// it, with its severity and JSON pointer; a clean document has none; the upstream defaults have
// exactly the two dead-delete warnings (upstream denies delete for want of an ALLOW, so its delete
// REQUIRE and PROC-DELETE never take effect); the analysis is sound on the cases it must not
// claim (negations on absent fields, path-to-path comparisons, integer gaps) and capped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConditionSyntaxError, LawDocumentError, LawOracle, checkPolicy, defaultLawDocument, lawContext, parseCondition, type PolicyFinding } from '../../src/authz/index.js';
import type { AuthorizationRequest } from '../../src/authz/types.js';

const role = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ actions: ['read', 'write', 'compute', 'delete'], resourceLimits: {}, trustThreshold: 0.5, requiresWitness: false, maxAtpPerAction: 1000, ...over });
const doc = (norms: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  schema: 'quorumkit/authz-law/v1', version: '1', society: 's', roles: [], defaultRole: role(), norms, procedures: [], ...extra,
});
const allow = (id: string, when: string): unknown => ({ id, type: 'ALLOW', when });
const limit = (id: string, condition: string, when?: string): unknown => (when === undefined ? { id, type: 'LIMIT', condition } : { id, type: 'LIMIT', when, condition });
const require_ = (id: string, when: string, witnesses = 1, procedure?: string): unknown => (procedure === undefined ? { id, type: 'REQUIRE', when, witnesses } : { id, type: 'REQUIRE', when, witnesses, procedure });
const brief = (fs: PolicyFinding[]): string[] => fs.map((f) => `${f.severity} ${f.code} ${f.path}`);

/** A clean law: the upstream defaults plus an ALLOW for delete, and a role that permits it. */
export function cleanLaw(): Record<string, unknown> {
  const d = defaultLawDocument('society:clean') as unknown as Record<string, unknown>;
  return { ...d, defaultRole: role(), norms: [...(d['norms'] as unknown[]), allow('ALLOW-DELETE', 'action == "delete"')] };
}

describe('checkPolicy', () => {
  it('a clean document has no findings', () => {
    expect(checkPolicy(cleanLaw())).toEqual([]);
    expect(checkPolicy(JSON.stringify(cleanLaw()))).toEqual([]);
    expect(checkPolicy(doc([allow('A', 'action == "read"')]))).toEqual([]);
  });

  it('the upstream defaults: only the delete REQUIRE and PROC-DELETE, which no ALLOW lets take effect', () => {
    const fs = checkPolicy(defaultLawDocument('society:x'));
    expect(brief(fs)).toEqual(['warning never-legal /norms/5', 'warning never-legal /procedures/1/triggers/0']);
    expect(fs[0]!.message).toBe('REQUIRE DENY-DELETE-UNWITNESSED applies only to requests no ALLOW norm permits, so it never takes effect');
  });

  it('duplicate-id and unknown-procedure (errors; parseLawDocument refuses both)', () => {
    const d = doc([allow('A', 'action == "read"'), allow('A', 'action == "write"'), require_('R', 'action == "read"', 1, 'NOPE')], {
      procedures: [{ id: 'P', triggers: ['atp_cost > 5'], witnesses: 1 }, { id: 'P', triggers: ['atp_cost > 6'], witnesses: 1 }],
      roles: [{ role: 'r', ...role() }, { role: 'r', ...role() }],
    });
    expect(brief(checkPolicy(d)).filter((s) => s.startsWith('error'))).toEqual([
      'error duplicate-id /norms/1/id', 'error duplicate-id /procedures/1/id', 'error duplicate-id /roles/1/role', 'error unknown-procedure /norms/2/procedure',
    ]);
    expect(() => new LawOracle(d)).toThrow(LawDocumentError);
  });

  it('never-holds: atp_cost > 10 and atp_cost < 5, type clashes, booleans, constants, atp_cost < 0', () => {
    const d = doc([
      allow('A', 'action == "read"'),
      allow('A1', 'action == "read" and atp_cost > 10 and atp_cost < 5'),
      allow('A2', 'action == 5'),
      allow('A3', 'context.x == 1 and context.x == "1"'),
      require_('R1', 'context.flag and not context.flag'),
      require_('R2', 'context.flag < true'),
      require_('R3', '1 > 2 or atp_cost < 0'),
      limit('L1', 'atp_cost <= 10', 'action == "read" and action == "write"'),
      require_('R4', 'atp_cost >= 7 and atp_cost <= 7 and atp_cost != 7'),
      require_('R5', 'target > "b" and target < "a"'),
    ], { procedures: [{ id: 'P', triggers: ['requester == "x" and requester != "x"', 'atp_cost > 2'], witnesses: 1 }] });
    expect(brief(checkPolicy(d))).toEqual([
      'warning never-holds /norms/1/when', 'warning never-holds /norms/2/when', 'warning never-holds /norms/3/when', 'warning never-holds /norms/4/when',
      'warning never-holds /norms/5/when', 'warning never-holds /norms/6/when', 'warning never-holds /norms/8/when', 'warning never-holds /norms/9/when',
      'warning never-holds /norms/7/when', 'warning never-holds /procedures/0/triggers/0',
    ]);
  });

  it('shadowed: ALLOW, REQUIRE and LIMIT made redundant by an earlier norm', () => {
    const d = doc([
      allow('A', 'action == "read" or action == "write"'),
      allow('A-NARROW', 'action == "read" and atp_cost < 10'),
      require_('R', 'atp_cost > 100', 2),
      require_('R-NARROW', 'atp_cost > 200', 1),
      require_('R-MORE', 'atp_cost > 200', 3), // asks for more: not redundant
      limit('L', 'atp_cost <= 1000'),
      limit('L-LOOSE', 'atp_cost <= 5000'),
      limit('L-OTHER', 'resource.storage <= 5'), // another field: not redundant
    ]);
    expect(brief(checkPolicy(d))).toEqual(['warning shadowed /norms/1', 'warning shadowed /norms/3', 'warning shadowed /norms/6']);
    expect(checkPolicy(d)[0]!.message).toBe('norm A-NARROW is redundant: everything it permits is already permitted by norm A (index 0)');
  });

  it('limit-never-passes and allow-contradicts-limit (errors)', () => {
    const d = doc([allow('A', 'action == "read"'), allow('SPEND', 'action == "write" and atp_cost > 50'), limit('L', 'atp_cost <= 50'), limit('NEVER', 'atp_cost < 0', 'action == "compute"'), allow('C', 'action == "compute"')], { defaultRole: role({ maxAtpPerAction: 50 }) });
    const fs = checkPolicy(d);
    expect(brief(fs)).toEqual(['error limit-never-passes /norms/3/condition', 'error allow-contradicts-limit /norms/1', 'error allow-contradicts-limit /norms/4']);
    expect(fs[1]!.message).toBe('ALLOW SPEND permits only requests that LIMIT L forbids');
  });

  it('require-contradicts-limit: REQUIRE on an action a LIMIT always forbids, and a procedure trigger (errors)', () => {
    const d = doc([allow('A', 'action == "read" or action == "delete"'), limit('NO-DELETE', 'action != "delete"'), require_('R', 'action == "delete"', 2), limit('STORE', 'resource.storage < 10')], {
      procedures: [{ id: 'P', triggers: ['resource.storage >= 10'], witnesses: 1 }],
    });
    expect(brief(checkPolicy(d))).toEqual(['error require-contradicts-limit /norms/2', 'error require-contradicts-limit /procedures/0/triggers/0']);
  });

  it('a LIMIT whose fields may be absent does not always forbid (it applies only when they are present)', () => {
    const d = doc([allow('A', 'action == "read"'), limit('STORE', 'resource.storage < 10'), require_('R', 'action == "read"', 1)]);
    expect(checkPolicy(d)).toEqual([]);
  });

  it('never-legal: a REQUIRE only for requests no ALLOW permits (warning)', () => {
    const d = doc([allow('A', 'action == "read"'), require_('R', 'action == "spend"')]);
    expect(brief(checkPolicy(d))).toEqual(['warning never-legal /norms/1']);
  });

  it('allow-without-role: an ALLOW for an action no role permits', () => {
    const d = doc([allow('A', 'action == "read"'), allow('SPEND', 'action == "spend" and atp_cost < 5')], { defaultRole: undefined, roles: [{ role: 'r', ...role({ actions: ['read'] }) }] });
    expect(brief(checkPolicy(d))).toEqual(['warning allow-without-role /norms/1']);
    const none = doc([allow('A', 'action == "read"')], { defaultRole: undefined });
    expect(brief(checkPolicy(none))).toEqual(['warning allow-without-role /norms/0']);
  });

  it('role-max-atp-unreachable: a role allowing more ATP per action than an unconditional LIMIT', () => {
    const d = doc([allow('A', 'action == "read"'), limit('L', 'atp_cost < 300'), limit('SCOPED', 'atp_cost <= 10', 'action == "read"')], {
      roles: [{ role: 'big', ...role({ maxAtpPerAction: 300 }) }, { role: 'ok', ...role({ maxAtpPerAction: 299 }) }],
      defaultRole: role({ maxAtpPerAction: 5000 }),
    });
    const fs = checkPolicy(d);
    expect(brief(fs)).toEqual(['warning role-max-atp-unreachable /roles/0/maxAtpPerAction', 'warning role-max-atp-unreachable /defaultRole/maxAtpPerAction']);
    expect(fs[0]!.message).toBe('role "big" allows up to 300 ATP per action, but LIMIT L never lets atp_cost reach it (< 300)');
  });

  it('unreferenced-procedure: no live trigger and no REQUIRE names it', () => {
    const d = doc([allow('A', 'action == "read"'), require_('R', 'atp_cost > 5', 1, 'NAMED')], {
      procedures: [{ id: 'NAMED', triggers: [], witnesses: 2 }, { id: 'ORPHAN', triggers: [], witnesses: 2 }, { id: 'DEAD', triggers: ['atp_cost < 0'], witnesses: 1 }],
    });
    expect(brief(checkPolicy(d))).toEqual(['warning unreferenced-procedure /procedures/1', 'warning never-holds /procedures/2/triggers/0', 'warning unreferenced-procedure /procedures/2']);
  });

  it('soundness: no claim where a field may be absent, on path-to-path comparisons, or across an integer gap', () => {
    const d = doc([
      allow('A', 'action == "read"'),
      require_('ABSENT', 'not (context.x == 1) and not (context.x != 1)'), // both hold when context.x is absent
      require_('DELEG', 'not (delegation == "a") and not (delegation != "a")'), // delegation may be absent
      require_('PATHS', 'context.a < context.b and context.b < context.a'), // not reasoned about
      require_('GAP', 'atp_cost > 10 and atp_cost < 11'), // empty over integers, not over reals: not claimed
    ]);
    const fs = checkPolicy(d);
    expect(fs).toEqual([]);
  });

  it('a huge condition is not expanded past the DNF cap: no claim, no blow-up', () => {
    const clause = Array.from({ length: 12 }, (_, i) => `(context.a${i} == 1 or context.b${i} == 2)`).join(' and ');
    const d = doc([allow('A', 'action == "read"'), require_('BIG', `${clause} and atp_cost < 0`)]);
    expect(checkPolicy(d)).toEqual([]);
  });

  it('bad shape or a bad condition throws the typed parse error', () => {
    expect(() => checkPolicy({ schema: 'nope' })).toThrow(LawDocumentError);
    expect(() => checkPolicy(doc([allow('A', 'action = "read"')]))).toThrow(ConditionSyntaxError);
    expect(() => checkPolicy('{')).toThrow(/JSON parse error/);
  });
});

// Soundness against the evaluator: whatever the analysis claims about random conditions holds on
// every sampled request (values drawn from the same small sets as the conditions' constants, so
// boundary cases are hit). The law checked: a claim is a proof.
const FIELDS = ['atp_cost', 'action', 'delegation', 'timestamp', 'context.x', 'resource.s'];
const VALUES = ['0', '1', '2', '5', '-1', '"a"', '"b"', 'true', 'false'];
const OPS = ['==', '!=', '<', '<=', '>', '>='];
const atom = fc.oneof(
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...OPS), fc.constantFrom(...VALUES)).map(([f, o, v]) => `${f} ${o} ${v}`),
  fc.tuple(fc.constantFrom(...VALUES), fc.constantFrom(...OPS), fc.constantFrom(...FIELDS)).map(([v, o, f]) => `${v} ${o} ${f}`),
  fc.constantFrom('context.x', 'true', 'false', 'context.x < context.y'),
);
const cond: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
  c: fc.oneof({ depthSize: 'small', withCrossShrink: true }, atom, fc.tuple(tie('c'), fc.constantFrom('and', 'or'), tie('c')).map(([a, k, b]) => `(${a}) ${k} (${b})`), tie('c').map((a) => `not (${a})`)),
})).c;
const scalar = fc.constantFrom<unknown>(0, 1, 2, 3, 5, -1, 1.5, 'a', 'b', '', true, false, undefined);
const sample = fc.record({
  atpCost: fc.constantFrom(0, 1, 2, 3, 5, 6),
  action: fc.constantFrom('a', 'b', 'read', ''),
  delegationId: fc.constantFrom(null, 'a', 'b'),
  timestamp: fc.constantFrom(-1, 0, 1, 2, 5, 6),
  x: scalar,
  y: scalar,
  s: scalar,
});
const toRequest = (s: { atpCost: number; action: string; delegationId: string | null; timestamp: number; x: unknown; y: unknown; s: unknown }): AuthorizationRequest => ({
  requesterLct: 'lct:r', action: s.action, targetResource: 't', atpCost: s.atpCost, delegationId: s.delegationId, timestamp: s.timestamp,
  context: { ...(s.x === undefined ? {} : { x: s.x }), ...(s.y === undefined ? {} : { y: s.y }), ...(s.s === undefined ? {} : { 'resource.s': s.s }) },
});
const holdsOn = (c: string, r: AuthorizationRequest): boolean => parseCondition(c).holds(lawContext(r, ['s']));
const has = (fs: PolicyFinding[], code: string, path: string): boolean => fs.some((f) => f.code === code && f.path === path);

describe('checkPolicy is sound (random conditions vs the evaluator)', () => {
  const samples = fc.array(sample.map(toRequest), { minLength: 40, maxLength: 40 });
  it('never-holds, shadowed, allow-contradicts-limit: no sampled request contradicts a claim', () => {
    let claims = 0;
    fc.assert(fc.property(cond, cond, samples, (c1, c2, reqs) => {
      const fs = checkPolicy(doc([allow('A', c1), allow('B', c2), limit('L', c1)]));
      if (has(fs, 'never-holds', '/norms/0/when')) {
        claims++;
        for (const r of reqs) expect(holdsOn(c1, r), `${c1} on ${JSON.stringify(r)}`).toBe(false);
      }
      if (has(fs, 'shadowed', '/norms/1')) {
        claims++;
        for (const r of reqs) if (holdsOn(c2, r)) expect(holdsOn(c1, r), `${c2} ⇒ ${c1} on ${JSON.stringify(r)}`).toBe(true);
      }
      const contradicted = checkPolicy(doc([allow('A', c2), limit('L', c1)]));
      if (has(contradicted, 'allow-contradicts-limit', '/norms/0')) {
        claims++;
        const law = new LawOracle(doc([allow('A', c2), limit('L', c1)]));
        for (const r of reqs) expect(law.checkLegality(r).legal, `${c2} vs LIMIT ${c1} on ${JSON.stringify(r)}`).toBe(false);
      }
    }), { numRuns: 1500 });
    console.log(`[soundness] ${claims} claims checked against 40 requests each`);
    expect(claims).toBeGreaterThan(50);
  }, 120_000);
});

describe('checkPolicy cost is capped', () => {
  it('a maximal document (512 norms of 256-term conditions) stops at the work cap in bounded time', () => {
    const big = (k: number): string => Array.from({ length: 8 }, (_, i) => `(context.a${i} == ${k} or context.b${i} > ${k})`).join(' and ');
    const norms = Array.from({ length: 512 }, (_, k) => (k % 2 === 0 ? allow(`A${k}`, `action == "read" and ${big(k)}`) : limit(`L${k}`, `atp_cost <= ${k}`, big(k))));
    const t0 = performance.now();
    const fs = checkPolicy(doc(norms));
    const ms = performance.now() - t0;
    console.log(`[check-policy] 512 norms: ${fs.length} findings in ${ms.toFixed(0)} ms`);
    expect(fs.at(-1)).toMatchObject({ severity: 'warning', code: 'analysis-truncated', path: '/' });
    expect(ms).toBeLessThan(30_000);
  }, 60_000);
});
