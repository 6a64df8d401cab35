// Public openings on the coordinator side: custodians send their shares of values that are meant to
// become public (Beaver's ε and δ, or outputs), and the coordinator interpolates them (Lagrange, as in
// Shamir 1979). k shares always define some polynomial of degree k − 1, so exactly k responses cannot
// be checked; each response beyond k is checked to lie on the polynomial of the first k (error
// detection for Shamir sharings, as in Ben-Or, Goldwasser and Wigderson 1988). With k + 2 or more
// responses a single wrong custodian is also identified: removing it leaves a consistent set, and at
// most one such custodian exists (two consistent sets of ≥ k + 1 points sharing ≥ k points would be
// the same polynomial). Fails closed: an inconsistent opening never yields values. Browser-safe.

import { describeType } from '../../core/assert.js';
import { constantTimeEqual } from '../../core/bytes.js';
import { MAX_SHARES } from '../../field/constants.js';
import { ShamirInvalidError } from '../../field/errors.js';
import { batch, lagrangeCoefficients, reconstructMany } from '../../field/index.js';
import { MpcOpeningInconsistentError } from './errors.js';
import { checkAbscissa, checkCount, checkPacked } from './_checks.js';

/** One custodian's response to an opening: its abscissa and its shares, packed. */
export interface OpenResponse {
  readonly x: bigint;
  readonly y: Uint8Array;
}

/** The opened values (packed, in the order of the shares). */
export interface OpenSuccess {
  readonly ok: true;
  readonly values: Uint8Array;
}

/**
 * No values: `insufficient` — fewer than k responses; `inconsistent` — the responses do not lie on
 * one polynomial of degree k − 1, with `culprit` the abscissa of the one custodian whose removal makes
 * the rest consistent, when that could be established (k + 2 responses or more).
 */
export interface OpenFailure {
  readonly ok: false;
  readonly reason: 'insufficient' | 'inconsistent';
  readonly culprit?: bigint;
}

/** What {@link openShares} returns. */
export type OpenResult = OpenSuccess | OpenFailure;

function checkResponses(responses: unknown, k: unknown): asserts responses is readonly OpenResponse[] {
  checkCount('k', k, 1, MAX_SHARES);
  if (!Array.isArray(responses)) throw new TypeError(`"responses" expected an array, got ${describeType(responses)}`);
  if (responses.length > MAX_SHARES) throw new RangeError(`"responses" expected at most ${MAX_SHARES} items, got ${responses.length}`);
  const seen = new Set<bigint>();
  let len = -1;
  for (let i = 0; i < responses.length; i++) {
    const r: unknown = responses[i];
    if (typeof r !== 'object' || r === null) throw new TypeError(`"responses[${i}]" expected { x, y }, got ${describeType(r)}`);
    const { x, y } = r as Record<string, unknown>;
    checkAbscissa(`responses[${i}].x`, x);
    if (seen.has(x)) throw new ShamirInvalidError(`"responses[${i}].x" repeats an abscissa`);
    seen.add(x);
    checkPacked(`responses[${i}].y`, y);
    if (len >= 0 && y.length !== len) throw new RangeError(`"responses[${i}].y" expected ${len} bytes like responses[0], got ${y.length}`);
    len = y.length;
  }
}

/** Σ λ_i(at)·y_i over `basis` (the polynomial through those points, evaluated at `at`), into `out`. */
function interpolate(basis: readonly OpenResponse[], at: bigint, out: Uint8Array, term: Uint8Array): Uint8Array {
  const lambdas = lagrangeCoefficients(basis.map((r) => r.x), at);
  out.fill(0);
  for (let i = 0; i < basis.length; i++) {
    batch.scale(basis[i]!.y, lambdas[i]!, term);
    batch.add(out, term, out);
  }
  return out;
}

/** True when every response lies on the polynomial through the first k of them. */
function consistent(responses: readonly OpenResponse[], k: number, scratch: Uint8Array, term: Uint8Array): boolean {
  const basis = responses.slice(0, k);
  let ok = true;
  for (let j = k; j < responses.length; j++) {
    const r = responses[j]!;
    // every extra response is checked, so the time does not depend on which one differs
    ok = constantTimeEqual(interpolate(basis, r.x, scratch, term), r.y) && ok;
  }
  return ok;
}

/**
 * Opens packed public values from custodians' shares: reconstructs from the first `k` responses and,
 * when more responded, checks that every other response lies on the same polynomial of degree k − 1.
 * Exactly k responses cannot be checked (any k points fit some polynomial): the result is then only
 * as good as those custodians.
 * @returns `{ ok: true, values }`, or `{ ok: false, reason, culprit? }` — never values on an inconsistency.
 * @throws TypeError/RangeError for bad shapes (k, abscissas in [1, p), equal lengths, multiples of 16
 * bytes); ShamirInvalidError for a repeated abscissa; FieldNotCanonicalError for a share ≥ p.
 * @example
 * const eps = openShares(steps.map((s) => ({ x: s.x, y: s.epsilonShares })), k);
 * if (!eps.ok) throw new Error(`custodian ${eps.culprit ?? '?'} sent a bad share`);
 */
export function openShares(responses: readonly OpenResponse[], k: number): OpenResult {
  checkResponses(responses, k);
  if (responses.length < k) return { ok: false, reason: 'insufficient' };
  const len = responses[0]!.y.length;
  const scratch = new Uint8Array(len);
  const term = new Uint8Array(len);
  if (consistent(responses, k, scratch, term)) {
    return { ok: true, values: reconstructMany(responses.slice(0, k).map((r) => ({ x: r.x, y: r.y }))) };
  }
  let culprit: bigint | undefined;
  let found = 0;
  if (responses.length >= k + 2) {
    for (let i = 0; i < responses.length; i++) {
      const rest = responses.filter((_, j) => j !== i);
      if (consistent(rest, k, scratch, term)) {
        culprit = responses[i]!.x;
        found++;
      }
    }
  }
  return found === 1 ? { ok: false, reason: 'inconsistent', culprit: culprit! } : { ok: false, reason: 'inconsistent' };
}

/**
 * {@link openShares}, throwing on failure.
 * @throws MpcOpeningInconsistentError for too few or inconsistent responses (`details.culprit`, a
 * decimal abscissa, when identified); the errors of openShares for bad shapes.
 */
export function openSharesOrThrow(responses: readonly OpenResponse[], k: number): Uint8Array {
  const r = openShares(responses, k);
  if (r.ok) return r.values;
  if (r.reason === 'insufficient') throw new MpcOpeningInconsistentError(`opening needs ${k} responses, got ${responses.length}`);
  const options = r.culprit === undefined ? undefined : { details: { culprit: r.culprit.toString() } };
  throw new MpcOpeningInconsistentError('opened shares do not lie on one polynomial of degree k − 1', options);
}
