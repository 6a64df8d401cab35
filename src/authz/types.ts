// The request and result shapes of the authorization engine — the Web4 reference engine's
// AuthorizationRequest / AuthorizationResult (authorization_engine.py, commit b62c7bee), in camelCase,
// with times as epoch seconds (Python's time.time()). Browser-safe.

/** The engine's outcomes (seed `AuthorizationDecision`). `expired` is part of the vocabulary; the seed's checks never produce it. */
export const DECISIONS = ['granted', 'denied', 'deferred', 'expired'] as const;
/** One of {@link DECISIONS}. */
export type Decision = (typeof DECISIONS)[number];

/** Why a request was denied (seed `DenialReason`), in the seed's wire spelling. */
export const DENIAL_REASONS = [
  'invalid_lct',
  'role_mismatch',
  'insufficient_trust',
  'atp_budget_exceeded',
  'law_violation',
  'delegation_expired',
  'missing_witness',
  'rate_limit_exceeded',
] as const;
/** One of {@link DENIAL_REASONS}. */
export type DenialReason = (typeof DENIAL_REASONS)[number];

/** A request to authorize one action (seed `AuthorizationRequest`). */
export interface AuthorizationRequest {
  /** The requesting entity's LCT id (for quorumkit credentials, its `did:pqaid`). */
  readonly requesterLct: string;
  /** The action: `read`, `write`, `compute`, `delegate`, `spend`, `delete`, … */
  readonly action: string;
  /** What the action touches, e.g. `data:research_papers`. */
  readonly targetResource: string;
  /** The ATP the action costs: a non-negative safe integer. */
  readonly atpCost: number;
  /** Free-form facts for the law (`trust_context`, `witness_attestation`, `resource.storage`, …). JSON values. */
  readonly context: Readonly<Record<string, unknown>>;
  /** The delegation the requester acts under, or null for its own citizen role. */
  readonly delegationId: string | null;
  /** When the request was made (epoch seconds). */
  readonly timestamp: number;
}

/** The engine's answer (seed `AuthorizationResult`). */
export interface AuthorizationResult {
  readonly decision: Decision;
  readonly request: AuthorizationRequest;
  /** Set exactly when `decision` is `denied`. */
  readonly denialReason: DenialReason | null;
  /** The role's trust threshold (0 on denials other than `insufficient_trust`, as the seed). */
  readonly requiredTrustScore: number;
  /** The requester's trust score (0 on denials other than `insufficient_trust`, as the seed). */
  readonly actualTrustScore: number;
  /** The delegation's ATP left after this decision (0 without a delegation, and on every denial, as the seed). */
  readonly atpRemaining: number;
  /** True when a witness was required (always on `deferred`). */
  readonly requiresWitness: boolean;
  /** SHA-256 (hex) of the decision's audit record, see `decisionLogHash`. */
  readonly decisionLogHash: string;
  /** When the decision was made (epoch seconds). */
  readonly timestamp: number;
  /** Which check decided — for `explain`: the check's name and a sentence. */
  readonly decidedBy: { readonly check: CheckName; readonly why: string };
}

/** The engine's checks, in the seed's order (plus the optional gates `governance` and `attestation`), then the decision they fall through to. */
export const CHECKS = [
  'credential',
  'governance',
  'delegation_valid',
  'action_permitted',
  'atp_budget',
  'hourly_rate',
  'role_permissions',
  'attestation',
  'trust',
  'law',
  'role_max_atp',
  'witness',
  'grant',
] as const;
/** One of {@link CHECKS}. */
export type CheckName = (typeof CHECKS)[number];
