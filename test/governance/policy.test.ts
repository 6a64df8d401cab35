// QuorumPolicy: exact rational thresholds (law: decision equals the rational comparison, never the
// float one), the seed's reasons, exactly-2/3, zero weight, all-abstain, and bad input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConsensusFailedError, InsufficientQuorumError, QUORUM_MET_REASON, QuorumPolicy, formatPercent } from '../../src/governance/index.js';
import { PARTICIPATION_REASON_PREFIX, isParticipationFailure } from '../../src/governance/policy.js';

const w = (approveWeight: number, rejectWeight: number, abstainWeight: number) => ({ approveWeight, rejectWeight, abstainWeight });

describe('QuorumPolicy', () => {
  const policy = new QuorumPolicy();

  it('defaults to 2/3 and 2/3', () => {
    expect(policy.toJSON()).toEqual({ minParticipation: { numerator: 2, denominator: 3 }, minApproval: { numerator: 2, denominator: 3 } });
  });

  it('exactly 2/3 participation and approval passes (4 of 6; 2 of 3)', () => {
    expect(policy.check(w(4, 0, 0), 6)).toEqual({ passed: true, reason: QUORUM_MET_REASON });
    expect(policy.check(w(2, 1, 0), 3)).toEqual({ passed: true, reason: QUORUM_MET_REASON });
    expect(policy.check(w(200, 100, 0), 450)).toEqual({ passed: true, reason: QUORUM_MET_REASON });
  });

  it('one unit below 2/3 fails with the seed reasons', () => {
    expect(policy.check(w(3, 0, 0), 6)).toEqual({ passed: false, reason: 'participation 3/6 < 66.67%' });
    expect(policy.check(w(199, 101, 0), 300)).toEqual({ passed: false, reason: 'approval 199/300 < 66.67%' });
  });

  it('zero total weight and all-abstain', () => {
    expect(policy.check(w(0, 0, 0), 0)).toEqual({ passed: false, reason: 'total weight is zero' });
    expect(policy.check(w(0, 0, 6), 6)).toEqual({ passed: false, reason: 'all votes are abstain' });
  });

  it('assert throws typed errors', () => {
    expect(() => policy.assert(w(1, 0, 0), 6)).toThrow(InsufficientQuorumError);
    expect(() => policy.assert(w(0, 0, 0), 0)).toThrow(InsufficientQuorumError);
    expect(() => policy.assert(w(0, 0, 6), 6)).toThrow(ConsensusFailedError);
    expect(() => policy.assert(w(3, 2, 0), 5)).toThrow(ConsensusFailedError);
    expect(policy.assert(w(6, 0, 0), 6).passed).toBe(true);
  });

  it('law: passed ⇔ exact rational comparison, for any fractions and weights', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1000 }),
        fc.nat(10_000), fc.nat(10_000), fc.nat(10_000), fc.nat(10_000),
        (pd, pn, ad, an, a, r, ab, extra) => {
          const p = { numerator: pn % (pd + 1), denominator: pd };
          const q = { numerator: an % (ad + 1), denominator: ad };
          const total = a + r + ab + extra;
          const d = new QuorumPolicy({ minParticipation: p, minApproval: q }).check(w(a, r, ab), total);
          const P = BigInt(a + r + ab), T = BigInt(total), A = BigInt(a), E = BigInt(a + r);
          const expected = T > 0n && P * BigInt(p.denominator) >= BigInt(p.numerator) * T && E > 0n && A * BigInt(q.denominator) >= BigInt(q.numerator) * E;
          return d.passed === expected && (d.passed ? d.reason === QUORUM_MET_REASON : d.reason !== QUORUM_MET_REASON);
        },
      ),
    );
  });

  it('formatPercent matches Python {:.2%} (half-even on the exact value)', () => {
    expect(formatPercent({ numerator: 2, denominator: 3 })).toBe('66.67%');
    expect(formatPercent({ numerator: 1, denominator: 2 })).toBe('50.00%');
    expect(formatPercent({ numerator: 1, denominator: 3 })).toBe('33.33%');
    expect(formatPercent({ numerator: 0, denominator: 7 })).toBe('0.00%');
    expect(formatPercent({ numerator: 5, denominator: 5 })).toBe('100.00%');
    expect(formatPercent({ numerator: 1, denominator: 80_000 })).toBe('0.00%'); // 0.00125% → half-even 0.00
    expect(formatPercent({ numerator: 3, denominator: 80_000 })).toBe('0.00%'); // 0.00375% rounds below a cent
    expect(formatPercent({ numerator: 1, denominator: 16 })).toBe('6.25%');
    // Exact ties at the third decimal: 3.125% → 3.12 (2 is even), 9.375% → 9.38 (8 is even).
    expect(formatPercent({ numerator: 1, denominator: 32 })).toBe('3.12%');
    expect(formatPercent({ numerator: 3, denominator: 32 })).toBe('9.38%');
  });

  it('refuses malformed fractions and weights', () => {
    for (const bad of [{ numerator: 3, denominator: 2 }, { numerator: -1, denominator: 2 }, { numerator: 1, denominator: 0 }, { numerator: 0.5, denominator: 1 }]) {
      expect(() => new QuorumPolicy({ minParticipation: bad })).toThrow(RangeError);
    }
    expect(() => new QuorumPolicy({ minApproval: '2/3' as never })).toThrow(TypeError);
    expect(() => policy.check(w(-1, 0, 0), 6)).toThrow(RangeError);
    expect(() => policy.check(w(1.5, 0, 0), 6)).toThrow(RangeError);
    expect(() => policy.check(w(1, 0, 0), Number.NaN)).toThrow(RangeError);
    expect(() => policy.check(null as never, 6)).toThrow(TypeError);
  });
});

describe('isParticipationFailure', () => {
  it('recognizes exactly the reasons check() gives for too little participation', () => {
    const policy = new QuorumPolicy();
    const reason = (a: number, r: number, ab: number, total: number): string => policy.check({ approveWeight: a, rejectWeight: r, abstainWeight: ab }, total).reason;
    expect(isParticipationFailure(reason(1, 0, 0, 6))).toBe(true); // participation 1/6
    expect(reason(1, 0, 0, 6).startsWith(PARTICIPATION_REASON_PREFIX)).toBe(true);
    for (const r of [reason(5, 0, 0, 6), reason(1, 4, 0, 6), reason(0, 0, 5, 6), reason(0, 0, 0, 0)]) expect(isParticipationFailure(r), r).toBe(false);
    expect(isParticipationFailure('participation')).toBe(false); // a prefix match needs the separator
  });
});
