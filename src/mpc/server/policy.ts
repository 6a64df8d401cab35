// QuorumVM's anti-oracle policy (quorumvm/coordinator/policy.py): a budget per (program, identity)
// charged cost_per_eval per evaluation, and a token bucket per (program, identity) of capacity
// max_evals_per_minute refilled at capacity/60 tokens a second, starting full. The refusal reasons
// are QuorumVM's (its clients match on "budget" and "rate limit"). Unlike QuorumVM, a check that
// refuses changes nothing, and `charge` happens only once every other check has passed. A batch of
// B evaluations costs B·cost_per_eval and B tokens. Buckets live in memory (a restart refills them);
// spending is durable (the coordinator store). Node-free, synchronous.

import type { PolicyManifest } from '../package.js';

interface Bucket {
  tokens: number;
  last: number;
}

/** Per-program, per-identity budget and rate enforcement. */
export class PolicyEngine {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  /** @param now monotonic seconds (default performance.now() / 1000). */
  constructor(now: () => number = () => performance.now() / 1000) {
    this.#now = now;
  }

  #bucket(key: string, capacity: number): Bucket {
    const now = this.#now();
    let b = this.#buckets.get(key);
    if (b === undefined) this.#buckets.set(key, (b = { tokens: capacity, last: now }));
    b.tokens = Math.min(capacity, b.tokens + (now - b.last) * (capacity / 60));
    b.last = now;
    return b;
  }

  /**
   * Checks B evaluations against the policy; returns QuorumVM's reason when refused, else null.
   * Changes nothing.
   */
  check(programId: string, identity: string, policy: PolicyManifest, spent: number, evals: number): string | null {
    const remaining = policy.budget_per_identity - spent;
    const cost = policy.cost_per_eval * evals;
    if (remaining < cost) return `budget exhausted (remaining=${remaining}, cost=${cost})`;
    const b = this.#bucket(`${programId}\u0000${identity}`, policy.max_evals_per_minute);
    if (b.tokens < evals) return 'rate limit exceeded';
    return null;
  }

  /** Takes B tokens (after a successful {@link check} in the same synchronous turn). */
  charge(programId: string, identity: string, policy: PolicyManifest, evals: number): void {
    this.#bucket(`${programId}\u0000${identity}`, policy.max_evals_per_minute).tokens -= evals;
  }
}
