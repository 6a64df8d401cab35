// Fleet-wide governance state that every AuthorizationChain consults: the emergency-freeze flag.
// Beyond the pqc-ai-governance seed (which records `emergency-freeze` as a plain kind): a passed
// `emergency-freeze` result freezes EVERY subject of every chain sharing this state, until a passed
// `update-policy` whose proposal parameters are `{ action: 'lift-freeze' }` lifts it. Results are
// taken in the order applied; a rejected result never counts; each proposal counts once.

import { GovernanceError } from './errors.js';
import type { AuthorizationGrant } from './authorization.js';

/** The `update-policy` parameters action that lifts a freeze. */
export const LIFT_FREEZE_ACTION = 'lift-freeze';

/** One change of the freeze flag. */
export interface FreezeEvent {
  readonly action: 'freeze' | 'lift';
  readonly proposalId: string;
  /** The subject the deciding proposal named (informational: a freeze is global). */
  readonly subjectId: string;
  /** The result's `decidedAt`. */
  readonly decidedAt: string;
}

/** JSON view of a {@link GovernanceState}. */
export interface GovernanceStateJSON {
  readonly frozen: boolean;
  readonly events: readonly FreezeEvent[];
}

/**
 * Shared state consulted by authorization chains. Pass one instance to every chain
 * (`new AuthorizationChain(subject, { state })`) so a freeze applies fleet-wide.
 * @example
 * const state = new GovernanceState();
 * const chain = new AuthorizationChain(agentDid, { state });
 * state.apply(new AuthorizationGrant({ subjectId: 'fleet', kind: 'emergency-freeze', result }));
 * chain.isAuthorized('authorize-agent'); // false until a lift-freeze update-policy passes
 */
export class GovernanceState {
  #frozen = false;
  readonly #events: FreezeEvent[] = [];
  readonly #seen = new Set<string>();

  /** True while a passed emergency-freeze has not been lifted. */
  get frozen(): boolean {
    return this.#frozen;
  }

  /**
   * Applies a grant's result to the freeze flag. Only passed `emergency-freeze` (freezes) and passed
   * `update-policy` whose attached proposal has parameters `{ action: 'lift-freeze' }` (lifts) have
   * an effect; an `update-policy` without its proposal attached cannot lift (fails closed). A
   * proposal already applied is ignored. Does not verify signatures: verify the grant first
   * (`grant.verify()`, `verifyResultOffline`).
   * @returns true when the flag changed.
   * @throws GovernanceError when the attached proposal does not match the result or the grant's
   *   kind/subject; TypeError when `grant` is not an AuthorizationGrant.
   */
  apply(grant: AuthorizationGrant): boolean {
    if (grant === null || typeof grant !== 'object' || typeof grant.isPassed !== 'function') throw new TypeError('"grant" expected an AuthorizationGrant');
    if (grant.kind !== 'emergency-freeze' && grant.kind !== 'update-policy') return false;
    const p = grant.proposal;
    if (p !== undefined) {
      if (p.proposalId !== grant.result.proposalId || p.proposalHash() !== grant.result.proposalHash) throw new GovernanceError('grant proposal does not match its result (id and hash)');
      if (p.kind !== grant.kind || p.subjectId !== grant.subjectId) throw new GovernanceError('grant proposal kind or subject does not match the grant');
    }
    if (!grant.isPassed() || this.#seen.has(grant.result.proposalId)) return false;
    let action: FreezeEvent['action'];
    if (grant.kind === 'emergency-freeze') action = 'freeze';
    else if (p !== undefined && p.parameters['action'] === LIFT_FREEZE_ACTION) action = 'lift';
    else return false;
    this.#seen.add(grant.result.proposalId);
    this.#events.push(Object.freeze({ action, proposalId: grant.result.proposalId, subjectId: grant.subjectId, decidedAt: grant.result.decidedAt }));
    const was = this.#frozen;
    this.#frozen = action === 'freeze';
    return was !== this.#frozen;
  }

  /** Every freeze / lift applied, oldest first (a copy). */
  events(): FreezeEvent[] {
    return [...this.#events];
  }

  /** `{ frozen, events }`. Rebuild a state by re-applying the same grants in order. */
  toJSON(): GovernanceStateJSON {
    return { frozen: this.#frozen, events: this.events() };
  }
}
