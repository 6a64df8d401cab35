// Proactive resharing and custodian rotation on packed vectors of shares (Herzberg, Jarecki,
// Krawczyk and Yung 1995, "Proactive secret sharing"; QuorumVM's crypto/resharing.py). Resharing:
// each custodian deals shares of zero — a random polynomial g_i of degree k − 1 with g_i(0) = 0 per
// secret — and every custodian adds what it receives, y'_j = y_j + Σ_i g_i(x_j): the secrets are
// unchanged and the old shares no longer combine with the new. Rotation: k current custodians each
// send λ_i(x_new)·y_i to a new custodian, who sums them into its share f(x_new). Many secrets at once:
// one polynomial per element, evaluated by the WASM batch kernels. Browser-safe.

import { describeType } from '../../core/assert.js';
import { FIELD_ELEMENT_BYTES, MAX_SHARES } from '../../field/constants.js';
import type { RandomFill } from '../../field/types.js';
import { batch, lagrangeCoefficients, randomElements } from '../../field/index.js';
import { MAX_EXECUTION_ELEMENTS } from './execute.js';
import { checkAbscissa, checkCount, checkPacked } from './_checks.js';

function checkAbscissas(name: string, xs: unknown): asserts xs is readonly bigint[] {
  if (!Array.isArray(xs)) throw new TypeError(`"${name}" expected an array, got ${describeType(xs)}`);
  if (xs.length === 0 || xs.length > MAX_SHARES) throw new RangeError(`"${name}" expected 1 to ${MAX_SHARES} abscissas, got ${xs.length}`);
  const seen = new Set<bigint>();
  for (let i = 0; i < xs.length; i++) {
    const x: unknown = xs[i];
    checkAbscissa(`${name}[${i}]`, x);
    if (seen.has(x)) throw new RangeError(`"${name}[${i}]" repeats an abscissa`);
    seen.add(x);
  }
}

/**
 * One custodian's resharing contribution for `count` secrets: per target abscissa, the packed values
 * g(x) of `count` fresh random polynomials of degree k − 1 with constant term 0 (shares of zero).
 * Send each target its vector over a confidential channel; it adds them with {@link applySubShares}.
 * `rng` (default `crypto.getRandomValues`) draws the coefficients, which are zeroed before returning.
 * @throws RangeError for count outside [0, MAX_EXECUTION_ELEMENTS], k outside [1, MAX_SHARES], or
 * target abscissas that are empty, repeated or outside [1, p).
 * @example
 * const mine = zeroSubShares(secrets, 2, [1n, 2n, 3n]); // Map { 1n => …, 2n => …, 3n => … }
 */
export function zeroSubShares(count: number, k: number, targetXs: readonly bigint[], rng?: RandomFill): Map<bigint, Uint8Array> {
  checkCount('count', count, 0, MAX_EXECUTION_ELEMENTS);
  checkCount('k', k, 1, MAX_SHARES);
  checkAbscissas('targetXs', targetXs);
  if (count * k > MAX_EXECUTION_ELEMENTS) throw new RangeError(`"count" · "k" expected at most ${MAX_EXECUTION_ELEMENTS}`);
  // count polynomials of k coefficients each, constant term first: zero the constant terms
  const coeffs = randomElements(count * k, rng);
  try {
    const w = k * FIELD_ELEMENT_BYTES;
    for (let i = 0; i < coeffs.length; i += w) coeffs.fill(0, i, i + FIELD_ELEMENT_BYTES);
    const out = new Map<bigint, Uint8Array>();
    for (const x of targetXs) out.set(x, batch.evalPolys(coeffs, k, x));
    return out;
  } finally {
    coeffs.fill(0);
  }
}

/**
 * A custodian's refreshed shares: `current` plus every sub-share vector it received (its own
 * included), element by element. Returns a fresh buffer; the caller wipes the old one.
 * @throws TypeError/RangeError unless every buffer is packed and as long as `current`;
 * FieldNotCanonicalError for an element ≥ p.
 */
export function applySubShares(current: Uint8Array, received: readonly Uint8Array[]): Uint8Array {
  checkPacked('current', current);
  if (!Array.isArray(received)) throw new TypeError(`"received" expected an array, got ${describeType(received)}`);
  for (let i = 0; i < received.length; i++) {
    checkPacked(`received[${i}]`, received[i]);
    if (received[i]!.length !== current.length) {
      throw new RangeError(`"received[${i}]" expected ${current.length} bytes like "current", got ${received[i]!.length}`);
    }
  }
  const out = current.slice();
  for (const r of received) batch.add(out, r, out);
  return out;
}

/**
 * λ_i(target)·y_i: custodian x_i's term of the interpolation of the shared polynomials at `target`
 * over `participants` (which must include x_i). The terms of k participants sum to the shares at
 * `target` — a new custodian's shares in a rotation.
 * @throws TypeError/RangeError for bad abscissas, `xi` not among the participants, `target` outside
 * [1, p) or `yi` not packed; FieldNotCanonicalError for an element ≥ p.
 * @example
 * // custodians 1 and 2 (k = 2) give custodian 4 its shares
 * const y4 = batch.add(lagrangePartial(1n, y1, [1n, 2n], 4n), lagrangePartial(2n, y2, [1n, 2n], 4n));
 */
export function lagrangePartial(xi: bigint, yi: Uint8Array, participants: readonly bigint[], target: bigint): Uint8Array {
  checkAbscissas('participants', participants);
  checkPacked('yi', yi);
  checkAbscissa('target', target);
  const i = participants.indexOf(xi);
  if (i < 0) throw new RangeError('"xi" expected one of "participants"');
  return batch.scale(yi, lagrangeCoefficients(participants, target)[i]!);
}
