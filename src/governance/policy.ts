// Quorum policy: PBFT-style thresholds as exact fractions of weight. Port of pqc-ai-governance
// `QuorumPolicy.check` with the seed's reasons verbatim, but in integer arithmetic: the seed compares
// floats (`participation / total < 2/3`), we compare `participation * den < num * total` in BigInt,
// so 4 of 6 passes exactly and no rounding can flip a decision. Percentages in reasons are rendered
// like Python's `{:.2%}`, rounded half-to-even on the exact rational.

import { describeValue } from '../core/assert.js';
import { InsufficientQuorumError, ConsensusFailedError } from './errors.js';

/** An exact fraction `numerator / denominator`, 0 ≤ numerator ≤ denominator, denominator ≥ 1. */
export interface Fraction {
  readonly numerator: number;
  readonly denominator: number;
}

/** The weights a policy decides on. */
export interface TallyWeights {
  readonly approveWeight: number;
  readonly rejectWeight: number;
  readonly abstainWeight: number;
}

/** A policy verdict: the seed's `(passed, reason)` pair. */
export interface PolicyDecision {
  readonly passed: boolean;
  readonly reason: string;
}

/** Options of the {@link QuorumPolicy} constructor. */
export interface QuorumPolicyOptions {
  /** Share of total weight that must vote (any decision); default 2/3. */
  readonly minParticipation?: Fraction;
  /** Share of non-abstain cast weight that must approve; default 2/3. */
  readonly minApproval?: Fraction;
}

/** The reason every passing decision carries (the seed's string). */
export const QUORUM_MET_REASON = 'quorum met, supermajority approve';

const TWO_THIRDS: Fraction = Object.freeze({ numerator: 2, denominator: 3 });

function checkFraction(name: string, f: unknown): Fraction {
  const o = f as Fraction | null;
  if (o === null || typeof o !== 'object') throw new TypeError(`"${name}" expected { numerator, denominator }, got ${describeValue(f)}`);
  const { numerator: n, denominator: d } = o;
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d < 1 || n < 0 || n > d) {
    throw new RangeError(`"${name}" expected integers 0 ≤ numerator ≤ denominator, denominator ≥ 1, got ${describeValue(n)} / ${describeValue(d)}`);
  }
  return Object.freeze({ numerator: n, denominator: d });
}

function checkWeightArg(name: string, v: unknown): bigint {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new RangeError(`"${name}" expected a non-negative safe integer, got ${describeValue(v)}`);
  return BigInt(v);
}

/**
 * Formats a fraction as Python's `format(n / d, '.2%')` would for the exact value: two decimals,
 * round half to even (`2/3` → `'66.67%'`, `1/2` → `'50.00%'`).
 */
export function formatPercent(f: Fraction): string {
  const { numerator, denominator } = checkFraction('f', f);
  const n = BigInt(numerator) * 10_000n;
  const d = BigInt(denominator);
  let q = n / d;
  const r2 = (n % d) * 2n;
  if (r2 > d || (r2 === d && q % 2n === 1n)) q += 1n;
  return `${q / 100n}.${(q % 100n).toString().padStart(2, '0')}%`;
}

/** How the reason of a round that failed for too little participating weight begins (`participation 2/6 < 66.67%`). */
export const PARTICIPATION_REASON_PREFIX = 'participation ';

/** True when a policy `reason` says the round failed for too little participation (not for approval). */
export function isParticipationFailure(reason: string): boolean {
  return reason.startsWith(PARTICIPATION_REASON_PREFIX);
}

/**
 * Quorum and approval thresholds. Default: 2/3 of total weight participates AND 2/3 of the
 * non-abstain cast weight approves. Deterministic and pure.
 * @example
 * new QuorumPolicy().check({ approveWeight: 4, rejectWeight: 0, abstainWeight: 0 }, 6);
 * // { passed: true, reason: 'quorum met, supermajority approve' }
 */
export class QuorumPolicy {
  readonly minParticipation: Fraction;
  readonly minApproval: Fraction;

  /** @throws TypeError for options that are not an object; TypeError / RangeError for a malformed fraction. */
  constructor(options: QuorumPolicyOptions = {}) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`QuorumPolicy options expected an object, got ${describeValue(options)}`);
    this.minParticipation = checkFraction('minParticipation', options.minParticipation ?? TWO_THIRDS);
    this.minApproval = checkFraction('minApproval', options.minApproval ?? TWO_THIRDS);
    Object.freeze(this);
  }

  /**
   * Decides. Reasons, in order of checking (the seed's strings): `total weight is zero`,
   * `participation <cast>/<total> < <pct>`, `all votes are abstain`, `approval <approve>/<approve+reject> < <pct>`,
   * else `quorum met, supermajority approve`.
   * @throws TypeError when `weights` is not an object; RangeError when a weight is not a non-negative safe integer.
   */
  check(weights: TallyWeights, totalWeight: number): PolicyDecision {
    if (weights === null || typeof weights !== 'object') throw new TypeError(`"weights" expected { approveWeight, rejectWeight, abstainWeight }, got ${describeValue(weights)}`);
    const approve = checkWeightArg('approveWeight', weights.approveWeight);
    const reject = checkWeightArg('rejectWeight', weights.rejectWeight);
    const abstain = checkWeightArg('abstainWeight', weights.abstainWeight);
    const total = checkWeightArg('totalWeight', totalWeight);
    const participation = approve + reject + abstain;
    if (total === 0n) return { passed: false, reason: 'total weight is zero' };
    const p = this.minParticipation;
    if (participation * BigInt(p.denominator) < BigInt(p.numerator) * total) {
      return { passed: false, reason: `${PARTICIPATION_REASON_PREFIX}${participation}/${total} < ${formatPercent(p)}` };
    }
    const effective = approve + reject;
    if (effective === 0n) return { passed: false, reason: 'all votes are abstain' };
    const a = this.minApproval;
    if (approve * BigInt(a.denominator) < BigInt(a.numerator) * effective) {
      return { passed: false, reason: `approval ${approve}/${effective} < ${formatPercent(a)}` };
    }
    return { passed: true, reason: QUORUM_MET_REASON };
  }

  /**
   * {@link check}, throwing on failure.
   * @throws InsufficientQuorumError for zero total weight or too little participation;
   *   ConsensusFailedError when every vote abstains or approval is short.
   */
  assert(weights: TallyWeights, totalWeight: number): PolicyDecision {
    const d = this.check(weights, totalWeight);
    if (d.passed) return d;
    if (isParticipationFailure(d.reason) || d.reason.startsWith('total weight')) throw new InsufficientQuorumError(d.reason);
    throw new ConsensusFailedError(d.reason);
  }

  /** JSON view: both fractions. */
  toJSON(): { minParticipation: Fraction; minApproval: Fraction } {
    return { minParticipation: this.minParticipation, minApproval: this.minApproval };
  }
}
