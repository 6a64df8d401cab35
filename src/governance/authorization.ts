// Authorization chains: the passed consensus results that authorize a subject (a model or agent did).
// Port of pqc-ai-governance `authorization.py`: grants are taken in the order added; a subject is
// authorized for `authorize-model` / `authorize-agent` when the latest passed grant of that kind is
// not followed by a passed `revoke-model` / `revoke-agent`. Rejected results never count.
// Beyond the seed: every chain consults a GovernanceState (its own, or one shared fleet-wide); while
// a passed emergency-freeze is not lifted, `isAuthorized` is false for every kind. Passed
// `delegation` grants are recorded and listed by `delegations()`. A grant serializes
// (`JSON.stringify`) with its result's and proposal's JSON forms — envelopes included — so
// `AuthorizationGrant.fromJSON(json).verify()` still verifies on the JSON text parsed back.

import { checkKeys, checkString } from './_wire.js';
import { describeValue, isPlainObject } from '../core/assert.js';
import { GovernanceError } from './errors.js';
import { GovernanceProposal, isProposalKind, type GovernanceProposalJSON, type ProposalKind } from './proposal.js';
import { ConsensusResult, verifyConsensusResult, type ConsensusResultJSON, type VerifyResultOptions } from './result.js';
import { GovernanceState } from './governance-state.js';

/** A passed `delegation` grant recorded in a chain. */
export interface DelegationRecord {
  readonly proposalId: string;
  readonly subjectId: string;
  /** The delegation proposal's parameters (e.g. `{ delegate, actions, expiresAt }`); `{}` when the grant has no proposal attached. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The grant's free-form scope. */
  readonly scope: Readonly<Record<string, unknown>>;
  readonly decidedAt: string;
  readonly result: ConsensusResult;
}

/** Options of the {@link AuthorizationChain} constructor. */
export interface AuthorizationChainOptions {
  /** Shared state (fleet-wide freeze); default a private state of this chain. */
  readonly state?: GovernanceState;
}

const REVOKE_OF: Partial<Record<ProposalKind, ProposalKind>> = {
  'authorize-model': 'revoke-model',
  'authorize-agent': 'revoke-agent',
};

/** Options of the {@link AuthorizationGrant} constructor. */
export interface AuthorizationGrantOptions {
  readonly subjectId: string;
  readonly kind: ProposalKind;
  readonly result: ConsensusResult;
  /** Free-form scope of the grant (not signed). */
  readonly scope?: Readonly<Record<string, unknown>>;
  /** The decided proposal; when given, {@link AuthorizationGrant.verify} also binds kind and subject to it. */
  readonly proposal?: GovernanceProposal;
}

/** JSON form of an {@link AuthorizationGrant}. */
export interface AuthorizationGrantJSON {
  readonly subjectId: string;
  readonly kind: ProposalKind;
  readonly scope: Readonly<Record<string, unknown>>;
  /** The result's JSON form (with its `envelope` when signed). */
  readonly result: ConsensusResultJSON;
  /** The proposal's JSON form, when attached. */
  readonly proposal?: GovernanceProposalJSON;
}

/** A consensus result that confers (or revokes) authority on a subject. */
export class AuthorizationGrant {
  readonly subjectId: string;
  readonly kind: ProposalKind;
  readonly result: ConsensusResult;
  readonly scope: Readonly<Record<string, unknown>>;
  readonly proposal: GovernanceProposal | undefined;

  /** @throws TypeError for a bad subject, kind, result or proposal. */
  constructor(options: AuthorizationGrantOptions) {
    const { subjectId, kind, result, scope = {}, proposal } = options ?? ({} as AuthorizationGrantOptions);
    const bad = checkString('subjectId', subjectId, 512);
    if (bad !== null) throw new TypeError(bad);
    if (!isProposalKind(kind)) throw new TypeError(`"kind" expected a proposal kind, got ${describeValue(kind)}`);
    if (!isPlainObject(scope)) throw new TypeError(`"scope" expected a plain object, got ${describeValue(scope)}`);
    if (!(result instanceof ConsensusResult)) throw new TypeError('"result" expected a ConsensusResult');
    if (proposal !== undefined && !(proposal instanceof GovernanceProposal)) throw new TypeError('"proposal" expected a GovernanceProposal');
    this.subjectId = subjectId;
    this.kind = kind;
    this.result = result;
    this.scope = Object.freeze({ ...scope });
    this.proposal = proposal;
    Object.freeze(this);
  }

  /** True when the result passed. */
  isPassed(): boolean {
    return this.result.isPassed();
  }

  /**
   * True when the result's signature verifies and, when the proposal is attached, the result is
   * about that proposal (same id and hash) and the proposal's kind and subject match this grant.
   */
  async verify(options: VerifyResultOptions = {}): Promise<boolean> {
    const p = this.proposal;
    if (p !== undefined) {
      if (p.proposalId !== this.result.proposalId || p.proposalHash() !== this.result.proposalHash) return false;
      if (p.kind !== this.kind || p.subjectId !== this.subjectId) return false;
    }
    return verifyConsensusResult(this.result, options);
  }

  /** JSON view ({@link AuthorizationGrantJSON}): signed parts keep their envelopes. */
  toJSON(): AuthorizationGrantJSON {
    return {
      subjectId: this.subjectId,
      kind: this.kind,
      scope: this.scope,
      result: this.result.toJSON(),
      ...(this.proposal === undefined ? {} : { proposal: this.proposal.toJSON() }),
    };
  }

  /**
   * Parses {@link toJSON} output (exact keys; signatures are NOT checked — call {@link verify}).
   * @throws GovernanceError for a malformed grant (InvalidProposalError for a malformed proposal).
   */
  static fromJSON(json: unknown): AuthorizationGrant {
    if (!isPlainObject(json)) throw new GovernanceError(`authorization grant JSON expected an object, got ${describeValue(json)}`);
    const keys = checkKeys(json, ['subjectId', 'kind', 'scope', 'result'], ['proposal']);
    if (keys !== null) throw new GovernanceError(`invalid authorization grant: ${keys}`);
    const result = ConsensusResult.fromJSON(json['result']);
    const proposal = json['proposal'] === undefined ? undefined : GovernanceProposal.fromJSON(json['proposal']);
    try {
      return new AuthorizationGrant({
        subjectId: json['subjectId'] as string,
        kind: json['kind'] as ProposalKind,
        scope: json['scope'] as Record<string, unknown>,
        result,
        ...(proposal === undefined ? {} : { proposal }),
      });
    } catch (cause) {
      throw new GovernanceError(`invalid authorization grant: ${(cause as Error).message}`, { cause });
    }
  }
}

/**
 * The ordered grants of one subject.
 * @example
 * const chain = new AuthorizationChain(proposal.subjectId);
 * chain.add(new AuthorizationGrant({ subjectId: proposal.subjectId, kind: proposal.kind, result }));
 * chain.isAuthorized('authorize-model'); // true when result passed
 */
export class AuthorizationChain {
  readonly subjectId: string;
  /** The state this chain consults (and feeds freeze / lift grants into). */
  readonly state: GovernanceState;
  readonly #grants: AuthorizationGrant[] = [];

  /** @throws TypeError for an empty subject id or a bad `state`. */
  constructor(subjectId: string, options: AuthorizationChainOptions = {}) {
    const bad = checkString('subjectId', subjectId, 512);
    if (bad !== null) throw new TypeError(bad);
    const state = options?.state ?? new GovernanceState();
    if (!(state instanceof GovernanceState)) throw new TypeError('"state" expected a GovernanceState');
    this.subjectId = subjectId;
    this.state = state;
  }

  /**
   * Appends a grant. `emergency-freeze` and `update-policy` grants are also applied to
   * {@link state} (see `GovernanceState.apply`).
   * @throws GovernanceError when the grant is for another subject, or its attached proposal does
   *   not match it (nothing is changed then).
   */
  add(grant: AuthorizationGrant): void {
    if (!(grant instanceof AuthorizationGrant)) throw new TypeError('"grant" expected an AuthorizationGrant');
    if (grant.subjectId !== this.subjectId) throw new GovernanceError(`grant subject ${grant.subjectId} != chain subject ${this.subjectId}`);
    const p = grant.proposal;
    if (p !== undefined && (p.proposalId !== grant.result.proposalId || p.proposalHash() !== grant.result.proposalHash || p.kind !== grant.kind || p.subjectId !== grant.subjectId)) {
      throw new GovernanceError('grant proposal does not match its result (id, hash) or the grant (kind, subject)');
    }
    this.state.apply(grant);
    this.#grants.push(grant);
  }

  /** True while the state this chain consults is frozen. */
  isFrozen(): boolean {
    return this.state.frozen;
  }

  /**
   * False for every kind while {@link state} is frozen. Otherwise true when a passed grant of `kind`
   * exists and no passed matching revoke (`revoke-model` for `authorize-model`, `revoke-agent` for
   * `authorize-agent`) was added after the latest one.
   */
  isAuthorized(kind: ProposalKind): boolean {
    if (!isProposalKind(kind)) throw new TypeError(`"kind" expected a proposal kind, got ${describeValue(kind)}`);
    if (this.state.frozen) return false;
    const revoke = REVOKE_OF[kind];
    let authorized = false;
    for (const g of this.#grants) {
      if (!g.isPassed()) continue;
      if (g.kind === kind) authorized = true;
      else if (revoke !== undefined && g.kind === revoke) authorized = false;
    }
    return authorized;
  }

  /** The passed `delegation` grants, in the order added (recorded even while frozen). */
  delegations(): DelegationRecord[] {
    const out: DelegationRecord[] = [];
    for (const g of this.#grants) {
      if (g.kind !== 'delegation' || !g.isPassed()) continue;
      out.push(Object.freeze({
        proposalId: g.result.proposalId,
        subjectId: g.subjectId,
        parameters: g.proposal?.parameters ?? Object.freeze({}),
        scope: g.scope,
        decidedAt: g.result.decidedAt,
        result: g.result,
      }));
    }
    return out;
  }

  /** The grants in the order added (a copy). */
  get grants(): AuthorizationGrant[] {
    return [...this.#grants];
  }

  /** Number of grants. */
  get size(): number {
    return this.#grants.length;
  }
}
