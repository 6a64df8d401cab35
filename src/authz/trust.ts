// Trust scores (the Web4 reference engine's TrustOracle, authorization_engine.py b62c7bee: a T3
// tensor query, stubbed there to 0.75). Browser-safe.

import { InvalidArgumentError } from '../core/errors.js';

/** Answers the trust score (0..1) of an entity acting in a role, in a context (`trust_context`, default `general`). */
export interface TrustOracle {
  trustScore(entityLct: string, roleLct: string, context: string): number;
}

/** The seed's stub trust score. */
export const SEED_STUB_TRUST_SCORE = 0.75;

/**
 * A trust oracle that answers `score` for everyone (the seed's stub is `constantTrust(0.75)`; the replay
 * format's `oracle_overrides.trust_score` is another).
 * @throws InvalidArgumentError when `score` is not a number in 0..1.
 */
export function constantTrust(score: number): TrustOracle {
  if (typeof score !== 'number' || !(score >= 0 && score <= 1)) throw new InvalidArgumentError('trust score expected a number in 0..1');
  return Object.freeze({ trustScore: () => score });
}

/** The seed's stub oracle: 0.75 for everyone. */
export const SEED_STUB_TRUST: TrustOracle = constantTrust(SEED_STUB_TRUST_SCORE);

/**
 * A trust oracle over a table `entity → score` (or `entity|role → score`, which wins), answering
 * `fallback` for entities it does not list.
 * @throws InvalidArgumentError for a score outside 0..1.
 */
export function tableTrust(table: Readonly<Record<string, number>>, fallback = 0): TrustOracle {
  const m = new Map<string, number>();
  for (const [k, v] of Object.entries(table)) {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new InvalidArgumentError(`trust score of "${k}" expected a number in 0..1`);
    m.set(k, v);
  }
  constantTrust(fallback);
  return Object.freeze({ trustScore: (entity: string, role: string) => m.get(`${entity}|${role}`) ?? m.get(entity) ?? fallback });
}
