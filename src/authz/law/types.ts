// What the engine asks the law (the Web4 reference engine's LawOracle surface,
// authorization_engine.py b62c7bee): a role's permissions, and whether an action is legal and what
// procedure it triggers. Implemented by the seed's stub law (seed-stub.ts) and by the norm-based
// LawOracle (oracle.ts). Browser-safe.

import type { AuthorizationRequest } from '../types.js';

/** Permissions a role grants within a society (seed `RolePermissions`). */
export interface RolePermissions {
  readonly roleLct: string;
  readonly allowedActions: ReadonlySet<string>;
  /** Per-resource caps, e.g. `{ storage: 10000, compute: 1000 }`. */
  readonly resourceLimits: Readonly<Record<string, number>>;
  /** The minimum trust score, 0..1. */
  readonly trustThreshold: number;
  /** True when every action in this role needs a witness. */
  readonly requiresWitness: boolean;
  /** The most ATP one action may cost. */
  readonly maxAtpPerAction: number;
}

/** The law's verdict on one request (seed `check_action_legality` → `(is_legal, violation)`, plus procedures). */
export interface LegalityVerdict {
  readonly legal: boolean;
  /** Why not, when `legal` is false (the norm's id and text). */
  readonly violation: string | null;
  /** Witnesses the matched procedures require (0 when none). */
  readonly witnessesRequired: number;
  /** Ids of the procedures the request triggered (e.g. `PROC-HIGH-VALUE`). */
  readonly procedures: readonly string[];
}

/** The law a society runs under. Implementations are pure: the same question always has the same answer. */
export interface Law {
  /** A version string for decision records (seed: `v1.0.0`). */
  readonly version: string;
  /** The permissions of `roleLct`, or null when the law does not know the role (→ `role_mismatch`). */
  rolePermissions(roleLct: string): RolePermissions | null;
  /** Whether `request` is legal, and which procedures it triggers. */
  checkLegality(request: AuthorizationRequest): LegalityVerdict;
}

/** The verdict "legal, no procedure". */
export const LEGAL: LegalityVerdict = Object.freeze({ legal: true, violation: null, witnessesRequired: 0, procedures: Object.freeze([]) });
