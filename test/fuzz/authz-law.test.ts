// Fuzzing law documents (src/authz/law/document.ts): mutated valid documents (as values and as
// text), JSON-shaped garbage and hostile values either give a law — which then builds a LawOracle,
// round-trips through lawToDocument, decides random requests and goes through checkPolicy without
// throwing — or a typed error; checkPolicy likewise gives findings or a typed error (ERR_AUTHZ_LAW, ERR_AUTHZ_CONDITION, ERR_JSON_*), never an engine
// error; the input value is never modified.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPolicy, defaultLawDocument, LawOracle, lawToDocument, parseLawDocument } from '../../src/authz/index.js';
import type { AuthorizationRequest } from '../../src/authz/types.js';
import { QuorumkitError } from '../../src/core/errors.js';
import { fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, jsonText, jsonValue, mutateString, mutateValue } from './_inputs.js';

const DEFAULTS = defaultLawDocument('society:fuzz') as unknown;
const RICH = {
  ...(DEFAULTS as object),
  previousVersion: '0.9',
  roles: [{ role: 'role:auditor', actions: ['read', 'spend'], resourceLimits: { storage: 5 }, trustThreshold: 0.9, requiresWitness: true, maxAtpPerAction: 20 }],
  norms: [
    { id: 'ALLOW-SPEND', type: 'ALLOW', when: 'action == "spend" and not (context.tier == "free" or atp_cost > 100)', reason: 'r' },
    { id: 'LIMIT-SCOPED', type: 'LIMIT', when: 'target == "data:x"', condition: 'resource.cpu < 4 and timestamp >= 0' },
    { id: 'REQ-P', type: 'REQUIRE', when: 'delegation != "d" or requester == "lct:ai:bob"', procedure: 'PROC-A' },
  ],
  procedures: [{ id: 'PROC-A', triggers: ['context.a.b.c == true', "action == 'x'"], witnesses: 2, quorum: 1, steps: ['s'], timeoutSeconds: 60 }],
};
const SEEDS = [DEFAULTS, RICH];
const CODES = /^ERR_(AUTHZ_LAW|AUTHZ_CONDITION|JSON_\w+)$/;

const request = fc.record({
  requesterLct: fc.constantFrom('lct:ai:bob', 'lct:ai:assistant'),
  action: fc.constantFrom('read', 'write', 'compute', 'delete', 'spend', 'x'),
  targetResource: fc.constantFrom('data:x', 'data:y'),
  atpCost: fc.nat({ max: 2000 }),
  context: fc.oneof(jsonValue({ hostile: true }), fc.record({ 'resource.storage': fc.integer(), resource: fc.record({ cpu: fc.integer({ min: 0, max: 8 }) }), tier: fc.constantFrom('free', 'paid') })),
  delegationId: fc.option(fc.constantFrom('d', 'e')),
  timestamp: fc.integer({ min: -5, max: 2_000_000_000 }),
}) as fc.Arbitrary<AuthorizationRequest>;

const input = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...SEEDS).chain(mutateValue) },
  { weight: 3, arbitrary: fc.constantFrom(...SEEDS).map((d) => JSON.stringify(d)).chain(mutateString) },
  { weight: 1, arbitrary: fc.constantFrom(...SEEDS) },
  { weight: 1, arbitrary: jsonText },
  { weight: 1, arbitrary: anyValue },
);

describe('law documents under fuzzing', () => {
  it('parseLawDocument gives a working law or a typed error; the input is never changed', () => {
    fuzzSync('parseLawDocument', fc.tuple(input, request), ([doc, req]) => {
      const before = typeof doc === 'string' ? doc : safeJson(doc);
      let law;
      try {
        law = parseLawDocument(doc);
      } catch (e) {
        expect(e).toBeInstanceOf(QuorumkitError);
        expect((e as QuorumkitError).code).toMatch(CODES);
        if (before !== null) expect(typeof doc === 'string' ? doc : safeJson(doc)).toBe(before);
        throw e;
      }
      const oracle = new LawOracle(law);
      expect(parseLawDocument(JSON.stringify(lawToDocument(oracle)))).toEqual(law);
      const v = oracle.checkLegality(req);
      expect(typeof v.legal).toBe('boolean');
      expect(v.legal ? v.violation === null : typeof v.violation === 'string').toBe(true);
      expect(Array.isArray(checkPolicy(law))).toBe(true);
    }, fuzzRuns(1500));
  }, fuzzTimeout(1500, 20));

  it('checkPolicy gives findings or a typed error', () => {
    fuzzSync('checkPolicy', input, (doc) => {
      let fs;
      try {
        fs = checkPolicy(doc);
      } catch (e) {
        expect(e).toBeInstanceOf(QuorumkitError);
        expect((e as QuorumkitError).code).toMatch(CODES);
        throw e;
      }
      for (const f of fs) expect(typeof f.message === 'string' && f.path.startsWith('/') && (f.severity === 'error' || f.severity === 'warning')).toBe(true);
    }, fuzzRuns(1500));
  }, fuzzTimeout(1500, 20));
});

function safeJson(v: unknown): string | null {
  try {
    return JSON.stringify(v) ?? null;
  } catch {
    return null;
  }
}
