// Shamir sharing at arbitrary custodian abscissas (Shamir 1979): for m packed secrets and threshold
// k, one random polynomial of degree k − 1 per secret with the secret as constant term, evaluated at
// each custodian's x with the WASM batch kernel (`batch.evalPolys`). Custodians keep their x when
// others rotate in (x = 4, 5, …), so shares cannot assume x = 1..n. Browser-safe.

import { FIELD_ELEMENT_BYTES } from '../../field/constants.js';
import { batch, randomElements } from '../../field/index.js';

/**
 * Shares each of the packed `secrets` with threshold `k` among custodians at abscissas `xs`;
 * returns per custodian its m packed shares (same order as `secrets`). Coefficients are wiped.
 * @throws RangeError for k < 1 or fewer abscissas than k.
 * @example
 * const [s1, s2, s3] = shareAt(packElements([42n]), 2, [1n, 2n, 3n]);
 */
export function shareAt(secrets: Uint8Array, k: number, xs: readonly bigint[]): Uint8Array[] {
  if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`"k" expected a positive integer, got ${k}`);
  if (xs.length < k) throw new RangeError(`"xs" expected at least k = ${k} abscissas, got ${xs.length}`);
  const m = secrets.length / FIELD_ELEMENT_BYTES;
  const coeffs = k === 1 ? secrets.slice() : randomElements(m * k);
  try {
    if (k > 1) for (let j = 0; j < m; j++) coeffs.set(secrets.subarray(j * FIELD_ELEMENT_BYTES, (j + 1) * FIELD_ELEMENT_BYTES), j * k * FIELD_ELEMENT_BYTES);
    return xs.map((x) => batch.evalPolys(coeffs, k, x));
  } finally {
    coeffs.fill(0);
  }
}
