// decisionLogHash: the direct writer for plain records gives exactly the hash of the generic
// Python-compat encoder (canonicalPythonBytes of decisionAuditRecord), for plain and non-plain
// fields alike (non-plain ones take the generic path); and what the generic encoder refuses is
// still refused with the same typed error.
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { canonicalPythonBytes } from '../../src/core/canonical-python.js';
import { decisionAuditRecord, decisionLogHash, DECISIONS, DENIAL_REASONS, type DecisionRecordFields } from '../../src/authz/index.js';
import { fuzzRuns } from '../fuzz/_runs.js';

const generic = (f: DecisionRecordFields): string => toHex(sha256(canonicalPythonBytes(decisionAuditRecord(f), { separators: 'default' })));
const base: DecisionRecordFields = { decision: 'granted', requester: 'lct:ai:assistant', action: 'read', target: 'data:test', atpCost: 10, denialReason: null, trustRequired: 0.5, trustActual: 0.75, timestamp: 1_733_011_200 };

describe('decisionLogHash', () => {
  it('plain records: the direct writer hashes the same bytes as the generic encoder', () => {
    expect(decisionLogHash(base)).toBe(generic(base));
    for (const f of [
      { ...base, denialReason: 'atp_budget_exceeded' as const, decision: 'denied' as const, trustRequired: 0, trustActual: 0 },
      { ...base, timestamp: 1_733_011_200.123456, atpCost: 0 },
      { ...base, trustActual: 1e-5, trustRequired: 1e16, timestamp: 0.0001 },
      { ...base, atpCost: -0, timestamp: -0, trustActual: -1.5 },
      { ...base, requester: '', target: ' !#[]~', action: 'x'.repeat(64) },
      { ...base, target: 'y'.repeat(1700) }, // the record fits the reused buffer just so
      { ...base, target: 'z'.repeat(3000) }, // too long for it
    ]) expect(decisionLogHash(f)).toBe(generic(f));
  });

  it('strings that need escaping, and odd numbers, take the generic path: same hash, same refusals', () => {
    for (const f of [
      { ...base, target: 'données:é' },
      { ...base, requester: 'a"b' },
      { ...base, action: 'back\\slash' },
      { ...base, target: 'tab\there\u007f' },
      { ...base, target: '😀' },
      { ...base, atpCost: 2 ** 60 },
      { ...base, atpCost: 1.5 },
    ]) expect(decisionLogHash(f)).toBe(generic(f));
    for (const f of [{ ...base, trustActual: Number.NaN }, { ...base, timestamp: Number.POSITIVE_INFINITY }, { ...base, target: '\ud800' }]) {
      expect(() => generic(f)).toThrow(expect.objectContaining({ code: 'ERR_JSON_NOT_IJSON' }));
      expect(() => decisionLogHash(f)).toThrow(expect.objectContaining({ code: 'ERR_JSON_NOT_IJSON' }));
    }
  });

  it('any record: the same hash as the generic encoder (property)', () => {
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('lct:ai:a', 'did:pqaid:abc', 'data:x/y'));
    const num = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0, -0, 0.5, 0.75, 1_733_011_200));
    fc.assert(
      fc.property(fc.constantFrom(...DECISIONS), fc.option(fc.constantFrom(...DENIAL_REASONS)), text, text, text, fc.oneof(fc.nat(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), num, num, num, (decision, denialReason, requester, action, target, atpCost, trustRequired, trustActual, timestamp) => {
        const f = { decision, denialReason, requester, action, target, atpCost, trustRequired, trustActual, timestamp };
        let want: string | Error;
        try {
          want = generic(f);
        } catch (e) {
          want = e as Error;
        }
        if (typeof want === 'string') expect(decisionLogHash(f)).toBe(want);
        else expect(() => decisionLogHash(f)).toThrow(expect.objectContaining({ code: (want as { code?: string }).code }));
      }),
      { numRuns: fuzzRuns(3000) },
    );
  });
});
