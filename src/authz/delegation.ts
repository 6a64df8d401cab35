// Authority delegated from a client to an agent (the Web4 reference engine's AgentDelegation,
// authorization_engine.py b62c7bee): permissions, an ATP budget, a validity window (24 h by default),
// an hourly action limit (100 by default) with the seed's reset rule (more than 3600 s since the last
// reset), and a chain depth of at most 3 hops. Times are epoch seconds. Browser-safe.

import { InvalidArgumentError } from '../core/errors.js';

/** Seconds a delegation is valid for when no `validUntil` is given (seed: 86400). */
export const DEFAULT_VALIDITY_SECONDS = 86_400;
/** Actions per hour when no `maxActionsPerHour` is given (seed: 100). */
export const DEFAULT_MAX_ACTIONS_PER_HOUR = 100;
/** The deepest delegation chain: a delegation at most 3 hops from the client. */
export const MAX_DELEGATION_DEPTH = 3;
/** Caps on what a delegation may carry (every cost an input controls is capped). */
export const DELEGATION_LIMITS = { idChars: 256, permissions: 64, permissionChars: 64 } as const;

/** What a delegation is made from; times default to `now`, now + 24 h. */
export interface AgentDelegationInit {
  readonly delegationId: string;
  readonly clientLct: string;
  readonly agentLct: string;
  readonly roleLct: string;
  readonly grantedPermissions: Iterable<string>;
  readonly atpBudget: number;
  readonly atpSpent?: number;
  readonly validFrom?: number;
  readonly validUntil?: number;
  readonly maxActionsPerHour?: number;
  readonly actionsThisHour?: number;
  readonly lastHourReset?: number;
  /** Hops from the client (1 = delegated by the client itself), 1..{@link MAX_DELEGATION_DEPTH}; default 1. */
  readonly depth?: number;
  /** The delegation this one was re-delegated from, when `depth` > 1. */
  readonly parentId?: string | null;
}

const text = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > DELEGATION_LIMITS.idChars) throw new InvalidArgumentError(`delegation: "${what}" expected a non-empty string of at most ${DELEGATION_LIMITS.idChars} characters`);
  return v;
};
const count = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InvalidArgumentError(`delegation: "${what}" expected a non-negative safe integer`);
  return v;
};
const seconds = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError(`delegation: "${what}" expected epoch seconds (a finite number ≥ 0)`);
  return v;
};

/**
 * A delegation and its live counters. The counters change only through {@link consumeAtp},
 * {@link checkRateLimit} (the hourly reset) and {@link recordAction}, as in the seed.
 */
export class AgentDelegation {
  readonly delegationId: string;
  readonly clientLct: string;
  readonly agentLct: string;
  readonly roleLct: string;
  readonly grantedPermissions: ReadonlySet<string>;
  readonly atpBudget: number;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly maxActionsPerHour: number;
  readonly depth: number;
  readonly parentId: string | null;
  /** ATP consumed by granted actions. */
  atpSpent: number;
  /** Granted actions since {@link lastHourReset}. */
  actionsThisHour: number;
  /** When the hourly counter last reset (epoch seconds). */
  lastHourReset: number;

  /**
   * @param now the clock for the defaults (epoch seconds).
   * @throws InvalidArgumentError for a missing or malformed field, a window that ends before it starts,
   *   spent > budget, or a depth outside 1..3.
   */
  constructor(init: AgentDelegationInit, now: number) {
    if (init === null || typeof init !== 'object') throw new InvalidArgumentError('delegation: expected an object');
    this.delegationId = text(init.delegationId, 'delegationId');
    this.clientLct = text(init.clientLct, 'clientLct');
    this.agentLct = text(init.agentLct, 'agentLct');
    this.roleLct = text(init.roleLct, 'roleLct');
    const perms = new Set<string>();
    if (init.grantedPermissions === null || typeof (init.grantedPermissions as Iterable<string>)?.[Symbol.iterator] !== 'function' || typeof init.grantedPermissions === 'string') {
      throw new InvalidArgumentError('delegation: "grantedPermissions" expected a list of actions');
    }
    for (const p of init.grantedPermissions) {
      if (typeof p !== 'string' || p.length === 0 || p.length > DELEGATION_LIMITS.permissionChars) throw new InvalidArgumentError(`delegation: a permission must be a non-empty string of at most ${DELEGATION_LIMITS.permissionChars} characters`);
      perms.add(p);
      if (perms.size > DELEGATION_LIMITS.permissions) throw new InvalidArgumentError(`delegation: at most ${DELEGATION_LIMITS.permissions} permissions`);
    }
    this.grantedPermissions = perms;
    this.atpBudget = count(init.atpBudget, 'atpBudget');
    this.atpSpent = count(init.atpSpent ?? 0, 'atpSpent');
    if (this.atpSpent > this.atpBudget) throw new InvalidArgumentError('delegation: "atpSpent" exceeds "atpBudget"');
    seconds(now, 'now');
    this.validFrom = seconds(init.validFrom ?? now, 'validFrom');
    this.validUntil = seconds(init.validUntil ?? now + DEFAULT_VALIDITY_SECONDS, 'validUntil');
    if (this.validUntil < this.validFrom) throw new InvalidArgumentError('delegation: "validUntil" is before "validFrom"');
    this.maxActionsPerHour = count(init.maxActionsPerHour ?? DEFAULT_MAX_ACTIONS_PER_HOUR, 'maxActionsPerHour');
    this.actionsThisHour = count(init.actionsThisHour ?? 0, 'actionsThisHour');
    this.lastHourReset = seconds(init.lastHourReset ?? now, 'lastHourReset');
    const depth = init.depth ?? 1;
    if (!Number.isSafeInteger(depth) || depth < 1 || depth > MAX_DELEGATION_DEPTH) throw new InvalidArgumentError(`delegation: "depth" must be 1..${MAX_DELEGATION_DEPTH} (a chain is at most ${MAX_DELEGATION_DEPTH} hops)`);
    this.depth = depth;
    this.parentId = init.parentId === undefined || init.parentId === null ? null : text(init.parentId, 'parentId');
    if ((this.parentId === null) !== (depth === 1)) throw new InvalidArgumentError('delegation: "parentId" is required exactly when "depth" > 1');
  }

  /** True when `validFrom ≤ now ≤ validUntil` (seed `is_valid`). */
  isValid(now: number): boolean {
    return this.validFrom <= now && now <= this.validUntil;
  }

  /** True when `atpSpent + cost ≤ atpBudget` (seed `has_budget`). */
  hasBudget(cost: number): boolean {
    return this.atpSpent + cost <= this.atpBudget;
  }

  /** Adds `cost` to `atpSpent` when the budget allows; false (and nothing changed) otherwise. */
  consumeAtp(cost: number): boolean {
    if (!this.hasBudget(cost)) return false;
    this.atpSpent += cost;
    return true;
  }

  /**
   * Resets the hourly counter when more than 3600 s passed since the last reset (seed
   * `check_rate_limit`, which resets even when the request is denied later), then answers whether
   * one more action fits.
   */
  checkRateLimit(now: number): boolean {
    if (now - this.lastHourReset > 3600) {
      this.actionsThisHour = 0;
      this.lastHourReset = now;
    }
    return this.actionsThisHour < this.maxActionsPerHour;
  }

  /** Counts one granted action. */
  recordAction(): void {
    this.actionsThisHour += 1;
  }

  /** ATP left. */
  get atpRemaining(): number {
    return this.atpBudget - this.atpSpent;
  }
}
