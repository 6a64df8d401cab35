// A node's answers to "is this model / agent authorized now?", computed from the store on demand:
// the subject's decided grants are replayed into an AuthorizationChain in decision order
// (`decidedAt`, then proposal id) — an order every node agrees on whatever order the results
// arrived in — under the fleet-wide freeze state, which is kept in memory (only passed
// emergency-freeze / update-policy grants affect it) and recomputed when one is recorded. Nothing
// per subject or per round stays in memory. Node-only.

import {
  AuthorizationChain, AuthorizationGrant, ConsensusResult, GovernanceProposal, GovernanceState, type ProposalKind,
} from '../index.js';
import type { GovernanceStore, GrantRow } from './store.js';

/** Authorization state of a subject. */
export interface AuthorizationState {
  readonly subjectId: string;
  /** A passed emergency-freeze not yet lifted by a passed update-policy: nothing is authorized. */
  readonly frozen: boolean;
  readonly authorized: { readonly model: boolean; readonly agent: boolean };
  readonly grants: readonly { kind: ProposalKind; proposalId: string; decision: string }[];
  /** Passed delegation grants (recorded even while frozen). */
  readonly delegations: readonly { proposalId: string; parameters: unknown; decidedAt: string }[];
}

function grantOf(row: GrantRow): AuthorizationGrant {
  return new AuthorizationGrant({ subjectId: row.subjectId, kind: row.kind, result: ConsensusResult.fromEnvelope(row.result), proposal: GovernanceProposal.fromEnvelope(row.proposal) });
}

/** The fleet-wide freeze flag, rebuilt from the store's freeze-relevant grants. */
export class FreezeView {
  readonly #store: GovernanceStore;
  #grants: AuthorizationGrant[] = [];
  #frozen = false;

  constructor(store: GovernanceStore) {
    this.#store = store;
    this.refresh();
  }

  /** True while a passed emergency-freeze is not lifted. */
  get frozen(): boolean {
    return this.#frozen;
  }

  /** A fresh state holding the current freeze flag (chains built from it cannot change this view). */
  snapshot(): GovernanceState {
    const s = new GovernanceState();
    for (const g of this.#grants) s.apply(g);
    return s;
  }

  /** Recomputes the flag (after an emergency-freeze or update-policy result is recorded). */
  refresh(): void {
    this.#grants = this.#store.freezeGrants().map(grantOf);
    this.#frozen = this.snapshot().frozen;
  }
}

/** The authorization state of `subjectId` on this node. */
export function authorizationOf(store: GovernanceStore, freeze: FreezeView, subjectId: string): AuthorizationState {
  const rows = store.grants(subjectId);
  const chain = new AuthorizationChain(subjectId, { state: freeze.snapshot() });
  for (const row of rows) chain.add(grantOf(row));
  const delegations = chain.delegations().map((d) => ({ proposalId: d.proposalId, parameters: d.parameters, decidedAt: d.decidedAt }));
  return {
    subjectId,
    frozen: chain.isFrozen(),
    authorized: { model: chain.isAuthorized('authorize-model'), agent: chain.isAuthorized('authorize-agent') },
    grants: rows.map((g) => ({ kind: g.kind, proposalId: g.proposalId, decision: g.decision })),
    delegations,
  };
}
