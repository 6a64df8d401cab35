// The authorization service's in-memory index of delegations and hops (mirroring its store, which
// is loaded into it on open): which delegation ids are known (revoked ones included — a request
// under a revoked delegation is a decision, `delegation_expired`, while an id never registered is a
// 404), each delegation's hop ids root first, each hop's delegator, and the revoked hops. Revoking a
// hop revokes every delegation whose chain holds it; a hop may be revoked by an operator or by the
// delegator of that hop or of any hop above it in a chain that holds it (the authority it was
// derived from). Node-only (used by the service); pure bookkeeping, no I/O.

import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';

interface Known {
  hopIds: readonly string[];
  revoked: boolean;
}

/** What revoking a delegation or hop id would do. */
export interface RevocationPlan {
  readonly hopId: string;
  /** The delegations it revokes (not yet revoked ones), in registration order. */
  readonly delegationIds: string[];
}

/** The index (see the header). */
export class DelegationRegistry {
  readonly #delegations = new Map<string, Known>();
  readonly #delegators = new Map<string, string>();
  readonly #revokedHops = new Set<string>();

  /** True when `id` was ever registered (revoked or not). */
  has(id: string): boolean {
    return this.#delegations.has(id);
  }

  /** True when the hop is revoked. */
  isHopRevoked(hopId: string): boolean {
    return this.#revokedHops.has(hopId);
  }

  /** Number of delegations known, and of those revoked. */
  counts(): { delegations: number; revoked: number } {
    let revoked = 0;
    for (const d of this.#delegations.values()) if (d.revoked) revoked++;
    return { delegations: this.#delegations.size, revoked };
  }

  /** Adds a delegation with its hops (root first) and their delegators. */
  add(id: string, hops: readonly { hopId: string; delegator: string }[], revoked = false): void {
    this.#delegations.set(id, { hopIds: hops.map((h) => h.hopId), revoked });
    for (const h of hops) this.#delegators.set(h.hopId, h.delegator);
  }

  /** Marks a hop revoked (loading from the store). */
  markHopRevoked(hopId: string): void {
    this.#revokedHops.add(hopId);
  }

  /**
   * What revoking `id` (a delegation id — its leaf hop —, else a hop id) by `caller` would revoke.
   * @throws NotFoundError (404) for an id neither registered nor a known hop; ConflictError (409)
   *   when that delegation or hop is already revoked; ForbiddenError (403) when `caller` is not an operator and
   *   not a delegator at or above the hop.
   */
  plan(id: string, caller: string, isOperator: boolean): RevocationPlan {
    const d = this.#delegations.get(id);
    const hopId = d !== undefined ? d.hopIds.at(-1)! : this.#delegators.has(id) ? id : undefined;
    if (hopId === undefined) throw new NotFoundError(`no delegation or hop ${JSON.stringify(id.slice(0, 80))} is registered here`);
    if (d?.revoked === true) throw new ConflictError(`delegation ${JSON.stringify(id.slice(0, 80))} is already revoked`, { details: { hop_id: hopId } });
    if (this.#revokedHops.has(hopId)) throw new ConflictError(`hop ${hopId} is already revoked`, { details: { hop_id: hopId } });
    const delegationIds: string[] = [];
    let allowed = isOperator;
    for (const [did, k] of this.#delegations) {
      const at = k.hopIds.indexOf(hopId);
      if (at < 0) continue;
      if (!k.revoked) delegationIds.push(did);
      if (!allowed) allowed = k.hopIds.slice(0, at + 1).some((h) => this.#delegators.get(h) === caller);
    }
    if (!allowed) throw new ForbiddenError('only an operator or a delegator at or above the hop may revoke it');
    return { hopId, delegationIds };
  }

  /** Applies a plan. */
  apply(plan: RevocationPlan): void {
    this.#revokedHops.add(plan.hopId);
    for (const id of plan.delegationIds) this.#delegations.get(id)!.revoked = true;
  }
}
