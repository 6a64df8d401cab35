// The trusted dealer of Beaver triples (Beaver 1991, "Efficient multiparty protocols using circuit
// randomization"): a, b uniform in F_p, c = a·b, each Shamir-shared (Shamir 1979) K-of-N at x = 1..N.
// The dealer sees a, b, c in the clear, so it must be trusted not to collude with custodians or keep
// them (QuorumVM's model); the plaintexts are zeroed once shared. Browser-safe.

import { describeType } from '../../core/assert.js';
import type { RandomFill } from '../../field/types.js';
import { batch, randomElements, splitMany } from '../../field/index.js';
import { MAX_EXECUTION_ELEMENTS } from './execute.js';
import { checkCount } from './_checks.js';

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
  /** Custodians, at x = 1 … n. */
  readonly n: number;
  /** Random source (default `crypto.getRandomValues`), for the triples and the sharing polynomials. */
  readonly rng?: RandomFill;
}

/**
 * Deals `count` Beaver triples to n custodians: returns, per custodian (x = 1 … n, in order), its
 * packed shares of a, b and c = a·b. For a batch of B evaluations of a plan deal
 * `plan.triplesPerEval · B` triples, and give each set to exactly one execution.
 * @throws TypeError/RangeError for a count not an integer in [0, MAX_EXECUTION_ELEMENTS]; the errors of splitMany for k, n.
 * @example
 * const dealt = dealTriples(plan.triplesPerEval * B, { k: 2, n: 3 });
 * new ShareExecution(plan, { batch: B, x: dealt[0].x, inputs, secrets, triples: dealt[0] });
 */
export function dealTriples(count: number, options: DealOptions): TripleShares[] {
  checkCount('count', count, 0, MAX_EXECUTION_ELEMENTS);
  if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected { k, n }, got ${describeType(options)}`);
  const { k, n, rng } = options;
  const split = rng === undefined ? { k, n } : { k, n, rng };
  const a = randomElements(count, rng);
  const b = randomElements(count, rng);
  const c = new Uint8Array(a.length);
  try {
    batch.mul(a, b, c);
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
