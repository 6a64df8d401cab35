// The trusted dealer of Beaver triples (Beaver 1991, "Efficient multiparty protocols using circuit
// randomization"): a, b uniform in F_p, c = a·b, each Shamir-shared (Shamir 1979) K-of-N at x = 1..N,
// or at explicit abscissas (after a custodian rotation the set is e.g. x = 1, 2, 4).
// The dealer sees a, b, c in the clear, so it must be trusted not to collude with custodians or keep
// them (QuorumVM's model); the plaintexts are zeroed once shared. Browser-safe.

import { describeType } from '../../core/assert.js';
import type { RandomFill } from '../../field/types.js';
import { FIELD_ELEMENT_BYTES, MAX_SHARES } from '../../field/constants.js';
import { batch, randomElements, splitMany } from '../../field/index.js';
import { MAX_EXECUTION_ELEMENTS } from './execute.js';
import { checkAbscissa, checkCount } from './_checks.js';

/** Shares each packed secret with threshold k at `xs` (one random polynomial per secret). */
function shareAtXs(secrets: Uint8Array, k: number, xs: readonly bigint[], rng: RandomFill | undefined): Uint8Array[] {
  const m = secrets.length / FIELD_ELEMENT_BYTES;
  const coeffs = randomElements(m * k, rng);
  try {
    for (let j = 0; j < m; j++) coeffs.set(secrets.subarray(j * FIELD_ELEMENT_BYTES, (j + 1) * FIELD_ELEMENT_BYTES), j * k * FIELD_ELEMENT_BYTES);
    return xs.map((x) => batch.evalPolys(coeffs, k, x));
  } finally {
    coeffs.fill(0);
  }
}

function checkXs(xs: readonly bigint[], k: unknown): void {
  if (!Array.isArray(xs) || xs.length === 0 || xs.length > MAX_SHARES) throw new RangeError(`"xs" expected 1 to ${MAX_SHARES} abscissas`);
  if (!Number.isSafeInteger(k) || (k as number) < 1 || (k as number) > xs.length) throw new RangeError(`"k" expected 1..${xs.length} (the number of abscissas), got ${String(k)}`);
  const seen = new Set<bigint>();
  xs.forEach((x, i) => {
    checkAbscissa(`xs[${i}]`, x);
    if (seen.has(x)) throw new RangeError(`"xs[${i}]" repeats an abscissa`);
    seen.add(x);
  });
}

/** One custodian's shares of `count` triples, packed in the same order (see TripleShareBuffers). */
export interface TripleShares {
  /** The custodian's abscissa (1 … n). */
  readonly x: bigint;
  readonly a: Uint8Array;
  readonly b: Uint8Array;
  readonly c: Uint8Array;
}

/** Options of {@link dealTriples}. */
export interface DealOptions {
  /** Threshold: any k custodians' shares reconstruct. */
  readonly k: number;
  /** Custodians, at x = 1 … n (ignored when `xs` is given). */
  readonly n: number;
  /** Explicit abscissas, distinct, in [1, p): the custodians' x after a rotation. */
  readonly xs?: readonly bigint[];
  /** Random source (default `crypto.getRandomValues`), for the triples and the sharing polynomials. */
  readonly rng?: RandomFill;
}

/**
 * Deals `count` Beaver triples to n custodians: returns, per custodian (x = 1 … n, or `xs`, in
 * order), its packed shares of a, b and c = a·b. For a batch of B evaluations of a plan deal
 * `plan.triplesPerEval · B` triples, and give each set to exactly one execution.
 * @throws TypeError/RangeError for a count not an integer in [0, MAX_EXECUTION_ELEMENTS]; the errors of splitMany for k, n.
 * @example
 * const dealt = dealTriples(plan.triplesPerEval * B, { k: 2, n: 3 });
 * new ShareExecution(plan, { batch: B, x: dealt[0].x, inputs, secrets, triples: dealt[0] });
 */
export function dealTriples(count: number, options: DealOptions): TripleShares[] {
  checkCount('count', count, 0, MAX_EXECUTION_ELEMENTS);
  if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected { k, n }, got ${describeType(options)}`);
  const { k, n, rng, xs } = options;
  if (xs !== undefined) checkXs(xs, k);
  const split = rng === undefined ? { k, n } : { k, n, rng };
  const a = randomElements(count, rng);
  const b = randomElements(count, rng);
  const c = new Uint8Array(a.length);
  try {
    batch.mul(a, b, c);
    if (xs !== undefined) {
      const [sa, sb, sc] = [a, b, c].map((v) => shareAtXs(v, k, xs, rng)) as [Uint8Array[], Uint8Array[], Uint8Array[]];
      return xs.map((x, i) => ({ x, a: sa[i]!, b: sb[i]!, c: sc[i]! }));
    }
    const sa = splitMany(a, split);
    const sb = splitMany(b, split);
    const sc = splitMany(c, split);
    return sa.map((s, i) => ({ x: s.x, a: s.y, b: sb[i]!.y, c: sc[i]!.y }));
  } finally {
    a.fill(0);
    b.fill(0);
    c.fill(0);
  }
}
