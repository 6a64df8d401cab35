// The authorization engine (the Web4 reference engine's AuthorizationEngine, authorization_engine.py
// commit b62c7bee): every action an agent attempts is decided against its credential, the delegation
// it acts under, its role's law, its trust score and the witness rule — in the seed's order, exactly:
//   1 credential           → invalid_lct
//   2 delegation valid     → delegation_expired   (unknown, or outside its window)
//   3 action permitted     → role_mismatch        (not in the delegation's permissions)
//   4 ATP budget           → atp_budget_exceeded  (spent + cost > budget)
//   5 hourly rate          → rate_limit_exceeded  (the hourly counter resets after 3600 s, even if denied later)
//   6 role permissions     → role_mismatch        (role `delegation.roleLct`, else `role:citizen:{lct}`)
//   7 trust ≥ threshold    → insufficient_trust
//   8 law legality         → law_violation
//   9 cost ≤ role max      → atp_budget_exceeded
//  10 witness needed (role requires it, trust < 0.6, or a law procedure) and not supplied → deferred
//     (→ missing_witness instead when the caller says the request can no longer wait)
//  11 granted — ATP consumed and the action counted only here.
// Every decision is logged with the seed's record hash (decision-log.ts). Two deliberate departures
// from the seed, both refusals the seed would not make: a credential must come from a verifier
// (credential.ts) and name the requester, and a delegation serves only its own agent. Browser-safe.

import { InvalidArgumentError } from '../core/errors.js';
import { AgentDelegation, MAX_DELEGATION_DEPTH, type AgentDelegationInit } from './delegation.js';
import { decisionLogHash } from './decision-log.js';
import { isVerifiedCredential, seedStubCredential, type LctCredential } from './credential.js';
import { SEED_STUB_LAW } from './law/seed-stub.js';
import type { DecisionGate } from './gates.js';
import type { Law, RolePermissions } from './law/types.js';
import { SEED_STUB_TRUST, type TrustOracle } from './trust.js';
import type { AuthorizationRequest, AuthorizationResult, CheckName, Decision, DenialReason } from './types.js';

/** Below this trust score a witness is required whatever the role says (seed: 0.6). */
export const WITNESS_TRUST_FLOOR = 0.6;

/** How the engine is built. Every field is optional; the defaults are the seed's. */
export interface AuthorizationEngineOptions {
  /** The society's law (default: the seed's stub law, SEED_STUB_LAW — substring-matched roles). */
  readonly law?: Law;
  /** Trust scores (default: the seed's stub, 0.75 for everyone). */
  readonly trust?: TrustOracle;
  /** The clock, epoch seconds (default: Date.now() / 1000). */
  readonly clock?: () => number;
  /**
   * The seed's insecure conveniences, off unless asked for:
   * `bareSignatures` — a request with a signature but no credential gets the seed's stub credential
   * (the seed's `verify_lct` accepts any signature); `contextWitness` — a truthy
   * `context.witness_attestation` counts as one witness (default: on only with the seed's stub law).
   */
  readonly seedCompat?: { readonly bareSignatures?: boolean; readonly contextWitness?: boolean };
  /** Decisions kept in memory for {@link AuthorizationEngine.decisionLog} (default 10,000; stats count all). */
  readonly logCapacity?: number;
  /** Called with every decision, after it is logged (e.g. to append it to a durable log). */
  readonly onDecision?: (result: AuthorizationResult) => void;
  /** Checks beyond the seed's (gates.ts): governance after the credential, attestation after the role. */
  readonly gates?: readonly DecisionGate[];
}

/** One decision's inputs besides the request. */
export interface AuthorizeOptions {
  /** A verified credential (from `verifySignedRequest`). */
  readonly credential?: LctCredential | null;
  /** The seed's signature-only path (only with `seedCompat.bareSignatures`). */
  readonly signature?: Uint8Array | string | null;
  /** The clock for this decision (epoch seconds); default the engine's clock. */
  readonly now?: number;
  /** Distinct allowed witness keys that signed this exact request (see witnesses.ts). */
  readonly witnesses?: number;
  /**
   * What a witness shortfall yields: `defer` (the seed; default) — the request waits for witnesses —
   * or `deny` — `missing_witness`, for a request that can no longer wait (a deferred request resumed
   * with too few witnesses at its deadline).
   */
  readonly witnessShortfall?: 'defer' | 'deny';
}

/** Per-requester statistics (seed `get_authorization_stats`). */
export interface AuthorizationStats {
  readonly total: number;
  readonly granted?: number;
  readonly denied?: number;
  readonly deferred?: number;
  readonly successRate?: number;
  readonly avgTrustScore?: number;
  readonly totalAtpCost?: number;
}

interface Tally { total: number; granted: number; denied: number; deferred: number; trustSum: number; grantedAtp: number }

const DEFAULT_LOG_CAPACITY = 10_000;
const systemSeconds = (): number => Date.now() / 1000;

/** The authorization engine of one society. */
export class AuthorizationEngine {
  readonly societyId: string;
  readonly law: Law;
  readonly trust: TrustOracle;
  readonly #clock: () => number;
  readonly #bareSignatures: boolean;
  readonly #contextWitness: boolean;
  readonly #delegations = new Map<string, AgentDelegation>();
  readonly #log: AuthorizationResult[] = [];
  readonly #logCapacity: number;
  #logStart = 0;
  readonly #tallies = new Map<string, Tally>();
  readonly #onDecision: ((r: AuthorizationResult) => void) | undefined;
  readonly #identityGates: readonly DecisionGate[];
  readonly #roleGates: readonly DecisionGate[];

  /**
   * @throws InvalidArgumentError for an empty society id or a bad option.
   * @example
   * const engine = new AuthorizationEngine('society:demo');
   * engine.registerDelegation({ delegationId: 'deleg:001', clientLct: 'lct:human:alice', agentLct: agent.did,
   *   roleLct: 'role:researcher', grantedPermissions: ['read'], atpBudget: 1000 });
   */
  constructor(societyId: string, options: AuthorizationEngineOptions = {}) {
    if (typeof societyId !== 'string' || societyId.length === 0 || societyId.length > 256) throw new InvalidArgumentError('"societyId" expected a non-empty string of at most 256 characters');
    this.societyId = societyId;
    this.law = options.law ?? SEED_STUB_LAW;
    this.trust = options.trust ?? SEED_STUB_TRUST;
    this.#clock = options.clock ?? systemSeconds;
    this.#bareSignatures = options.seedCompat?.bareSignatures === true;
    this.#contextWitness = options.seedCompat?.contextWitness ?? this.law === SEED_STUB_LAW;
    const cap = options.logCapacity ?? DEFAULT_LOG_CAPACITY;
    if (!Number.isSafeInteger(cap) || cap < 1) throw new InvalidArgumentError('"logCapacity" expected a positive integer');
    this.#logCapacity = cap;
    this.#onDecision = options.onDecision;
    const gates = options.gates ?? [];
    for (const g of gates) if (g === null || typeof g !== 'object' || typeof g.check !== 'function' || (g.stage !== 'identity' && g.stage !== 'role')) throw new InvalidArgumentError('"gates" expected DecisionGate objects');
    this.#identityGates = gates.filter((g) => g.stage === 'identity');
    this.#roleGates = gates.filter((g) => g.stage === 'role');
  }

  /** Now, in epoch seconds, by the engine's clock. */
  now(): number {
    return this.#clock();
  }

  /**
   * Registers (or replaces) a delegation (seed `register_delegation`).
   * @throws InvalidArgumentError for a malformed delegation (nothing registered).
   */
  registerDelegation(delegation: AgentDelegation | AgentDelegationInit): AgentDelegation {
    const d = delegation instanceof AgentDelegation ? delegation : new AgentDelegation(delegation, this.#clock());
    this.#delegations.set(d.delegationId, d);
    return d;
  }

  /** Revokes a delegation; false when it was not registered (seed `revoke_delegation`). */
  revokeDelegation(delegationId: string): boolean {
    return this.#delegations.delete(delegationId);
  }

  /** The registered delegation `id`, valid or not, or undefined. */
  delegation(id: string): AgentDelegation | undefined {
    return this.#delegations.get(id);
  }

  /** The delegation `id` when registered and valid at `now` (seed `get_delegation`). */
  activeDelegation(id: string, now: number = this.#clock()): AgentDelegation | undefined {
    const d = this.#delegations.get(id);
    return d !== undefined && d.isValid(now) ? d : undefined;
  }

  /** Ids of all registered delegations. */
  delegationIds(): string[] {
    return [...this.#delegations.keys()];
  }

  /**
   * Decides one request (seed `authorize_action`), in the order in the header. Never throws for a
   * request that fails a check — that is a decision, logged. Only ATP and the hourly count of a
   * granted request (and the seed's hourly reset) change the delegation.
   * @throws InvalidArgumentError for a malformed request (nothing logged, nothing changed).
   */
  authorize(request: AuthorizationRequest, options: AuthorizeOptions = {}): AuthorizationResult {
    checkRequest(request);
    const now = options.now ?? this.#clock();
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new InvalidArgumentError('"now" expected epoch seconds');
    const w = options.witnesses ?? 0;
    if (!Number.isSafeInteger(w) || w < 0) throw new InvalidArgumentError('"witnesses" expected a non-negative integer');
    if (options.witnessShortfall !== undefined && options.witnessShortfall !== 'defer' && options.witnessShortfall !== 'deny') throw new InvalidArgumentError('"witnessShortfall" expected "defer" or "deny"');

    // 1. Credential.
    let credential = options.credential ?? null;
    if (credential === null) {
      const sig = options.signature ?? null;
      if (sig === null) return this.#deny(request, now, 'invalid_lct', 'credential', 'no credential and no signature');
      if (!this.#bareSignatures) return this.#deny(request, now, 'invalid_lct', 'credential', 'a bare signature is not a credential: send a signed request');
      credential = seedStubCredential(request.requesterLct, this.societyId);
    }
    if (!isVerifiedCredential(credential)) return this.#deny(request, now, 'invalid_lct', 'credential', 'the credential did not come from a verifier');
    if (credential.lctId !== request.requesterLct) return this.#deny(request, now, 'invalid_lct', 'credential', `the credential is ${credential.lctId}, not the requester`);

    // 1b. Gates at the identity stage (governance).
    for (const g of this.#identityGates) {
      const d = g.check({ request, credential, delegation: undefined, roleLct: null, now });
      if (d !== null) return this.#deny(request, now, d.reason, 'governance', d.why);
    }

    // 2–5. The delegation.
    let delegation: AgentDelegation | undefined;
    if (request.delegationId !== null && request.delegationId !== '') {
      delegation = this.activeDelegation(request.delegationId, now);
      if (delegation === undefined) return this.#deny(request, now, 'delegation_expired', 'delegation_valid', this.#delegations.has(request.delegationId) ? `delegation ${request.delegationId} is outside its validity window` : `no delegation ${request.delegationId}`);
      if (delegation.agentLct !== credential.lctId) return this.#deny(request, now, 'role_mismatch', 'action_permitted', `delegation ${delegation.delegationId} is not held by the requester`);
      if (!delegation.grantedPermissions.has(request.action)) return this.#deny(request, now, 'role_mismatch', 'action_permitted', `delegation ${delegation.delegationId} does not grant "${request.action}"`);
      // A re-delegated authority spends its ancestors' budget and rate too (every registered one above
      // it): two children of one parent together never exceed the parent.
      for (let d: AgentDelegation | undefined = delegation, n = 0; d !== undefined && n < MAX_DELEGATION_DEPTH; d = this.#parentOf(d), n++) {
        if (!d.hasBudget(request.atpCost)) return this.#deny(request, now, 'atp_budget_exceeded', 'atp_budget', `cost ${request.atpCost} exceeds the ${d.atpRemaining} ATP left${d === delegation ? '' : ` in ${d.delegationId}, which ${delegation.delegationId} was delegated from`}`);
      }
      for (let d: AgentDelegation | undefined = delegation, n = 0; d !== undefined && n < MAX_DELEGATION_DEPTH; d = this.#parentOf(d), n++) {
        if (!d.checkRateLimit(now)) return this.#deny(request, now, 'rate_limit_exceeded', 'hourly_rate', `${d.actionsThisHour} of ${d.maxActionsPerHour} actions this hour${d === delegation ? '' : ` in ${d.delegationId}, which ${delegation.delegationId} was delegated from`}`);
      }
    }

    // 6. Role permissions.
    const roleLct = delegation !== undefined ? delegation.roleLct : `role:citizen:${credential.lctId}`;
    const perms: RolePermissions | null = this.law.rolePermissions(roleLct);
    if (perms === null) return this.#deny(request, now, 'role_mismatch', 'role_permissions', `the law knows no role ${roleLct}`);
    if (!perms.allowedActions.has(request.action)) return this.#deny(request, now, 'role_mismatch', 'role_permissions', `role ${roleLct} may not "${request.action}"`);

    // 6b. Gates at the role stage (attestation).
    for (const g of this.#roleGates) {
      const d = g.check({ request, credential, delegation, roleLct, now });
      if (d !== null) return this.#deny(request, now, d.reason, 'attestation', d.why);
    }

    // 7. Trust.
    const trustContext = request.context['trust_context'];
    const trust = this.trust.trustScore(credential.lctId, roleLct, typeof trustContext === 'string' ? trustContext : 'general');
    if (trust < perms.trustThreshold) {
      // As the seed: the record is hashed before the scores are filled in.
      return this.#deny(request, now, 'insufficient_trust', 'trust', `trust ${trust} is below the role's ${perms.trustThreshold}`, { required: perms.trustThreshold, actual: trust });
    }

    // 8. Law.
    const verdict = this.law.checkLegality(request);
    if (!verdict.legal) return this.#deny(request, now, 'law_violation', 'law', verdict.violation ?? 'the law forbids it');

    // 9. The role's cap per action.
    if (request.atpCost > perms.maxAtpPerAction) return this.#deny(request, now, 'atp_budget_exceeded', 'role_max_atp', `cost ${request.atpCost} exceeds role ${roleLct}'s ${perms.maxAtpPerAction} per action`);

    // 10. Witnesses.
    const requiresWitness = perms.requiresWitness || trust < WITNESS_TRUST_FLOOR || verdict.witnessesRequired > 0;
    const remaining = this.#remaining(delegation);
    if (requiresWitness) {
      const needed = Math.max(1, verdict.witnessesRequired);
      const have = Math.max(w, this.#contextWitness && truthy(request.context['witness_attestation']) ? 1 : 0);
      if (have < needed) {
        const why = `${needed} witness${needed === 1 ? '' : 'es'} required${verdict.procedures.length > 0 ? ` (${verdict.procedures.join(', ')})` : ''}, ${have} supplied`;
        if (options.witnessShortfall === 'deny') return this.#deny(request, now, 'missing_witness', 'witness', why);
        return this.#record(request, now, 'deferred', null, perms.trustThreshold, trust, remaining, true, 'witness', why);
      }
    }

    // 11. Grant.
    for (let d: AgentDelegation | undefined = delegation, n = 0; d !== undefined && n < MAX_DELEGATION_DEPTH; d = this.#parentOf(d), n++) {
      d.consumeAtp(request.atpCost);
      d.recordAction();
    }
    return this.#record(request, now, 'granted', null, perms.trustThreshold, trust, this.#remaining(delegation), requiresWitness, 'grant', requiresWitness ? 'granted with the required witnesses' : 'every check passed');
  }

  /** Statistics for one requester (seed `get_authorization_stats`: `{ total: 0 }` when it has none). */
  stats(lctId: string): AuthorizationStats {
    const t = this.#tallies.get(lctId);
    if (t === undefined) return { total: 0 };
    return { total: t.total, granted: t.granted, denied: t.denied, deferred: t.deferred, successRate: t.granted / t.total, avgTrustScore: t.trustSum / t.total, totalAtpCost: t.grantedAtp };
  }

  /** The most recent decisions (up to `logCapacity`), oldest first. */
  decisionLog(): AuthorizationResult[] {
    return [...this.#log.slice(this.#logStart), ...this.#log.slice(0, this.#logStart)];
  }

  /** The registered delegation `d` was re-delegated from, if any (parentId; a chain is at most MAX_DELEGATION_DEPTH long). */
  #parentOf(d: AgentDelegation): AgentDelegation | undefined {
    if (d.parentId === null) return undefined;
    const p = this.#delegations.get(d.parentId);
    // Only a parent one hop nearer the client counts: depths strictly fall, so no cycle charges twice.
    return p !== undefined && p.depth === d.depth - 1 ? p : undefined;
  }

  /** ATP left to a request under `d`: the least that `d` or a registered delegation above it has left (0 without one, as the seed). */
  #remaining(d: AgentDelegation | undefined): number {
    if (d === undefined) return 0;
    let m = d.atpRemaining;
    for (let p = this.#parentOf(d), n = 1; p !== undefined && n < MAX_DELEGATION_DEPTH; p = this.#parentOf(p), n++) m = Math.min(m, p.atpRemaining);
    return m;
  }

  #deny(request: AuthorizationRequest, now: number, reason: DenialReason, check: CheckName, why: string, scores?: { required: number; actual: number }): AuthorizationResult {
    // As the seed: an insufficient_trust denial is hashed with both scores 0.0, then carries (and
    // logs, and counts in the stats) the real ones — the seed fills them into the logged object.
    return this.#record(request, now, 'denied', reason, scores?.required ?? 0, scores?.actual ?? 0, 0, false, check, why, scores !== undefined);
  }

  #record(request: AuthorizationRequest, now: number, decision: Decision, denialReason: DenialReason | null, required: number, actual: number, atpRemaining: number, requiresWitness: boolean, check: CheckName, why: string, hashZeroScores = false): AuthorizationResult {
    const hash = decisionLogHash({ decision, requester: request.requesterLct, action: request.action, target: request.targetResource, atpCost: request.atpCost, denialReason, trustRequired: hashZeroScores ? 0 : required, trustActual: hashZeroScores ? 0 : actual, timestamp: now });
    const result: AuthorizationResult = Object.freeze({ decision, request, denialReason, requiredTrustScore: required, actualTrustScore: actual, atpRemaining, requiresWitness, decisionLogHash: hash, timestamp: now, decidedBy: Object.freeze({ check, why }) });
    this.#append(result);
    return result;
  }

  #append(r: AuthorizationResult): void {
    if (this.#log.length < this.#logCapacity) this.#log.push(r);
    else {
      this.#log[this.#logStart] = r;
      this.#logStart = (this.#logStart + 1) % this.#logCapacity;
    }
    const key = r.request.requesterLct;
    let t = this.#tallies.get(key);
    if (t === undefined) this.#tallies.set(key, (t = { total: 0, granted: 0, denied: 0, deferred: 0, trustSum: 0, grantedAtp: 0 }));
    t.total += 1;
    t.trustSum += r.actualTrustScore;
    if (r.decision === 'granted') {
      t.granted += 1;
      t.grantedAtp += r.request.atpCost;
    } else if (r.decision === 'denied') t.denied += 1;
    else if (r.decision === 'deferred') t.deferred += 1;
    this.#onDecision?.(r);
  }
}

const truthy = (v: unknown): boolean => !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0));

/** Request caps: every cost an input controls is bounded. */
export const REQUEST_LIMITS = { lctChars: 256, actionChars: 64, targetChars: 1024 } as const;

function checkRequest(r: AuthorizationRequest): void {
  if (r === null || typeof r !== 'object') throw new InvalidArgumentError('request: expected an object');
  const str = (v: unknown, what: string, max: number, allowEmpty = false): void => {
    if (typeof v !== 'string' || (!allowEmpty && v.length === 0) || v.length > max) throw new InvalidArgumentError(`request: "${what}" expected a ${allowEmpty ? '' : 'non-empty '}string of at most ${max} characters`);
  };
  str(r.requesterLct, 'requesterLct', REQUEST_LIMITS.lctChars);
  str(r.action, 'action', REQUEST_LIMITS.actionChars);
  str(r.targetResource, 'targetResource', REQUEST_LIMITS.targetChars, true);
  if (typeof r.atpCost !== 'number' || !Number.isSafeInteger(r.atpCost) || r.atpCost < 0) throw new InvalidArgumentError('request: "atpCost" expected a non-negative safe integer');
  if (r.context === null || typeof r.context !== 'object' || Array.isArray(r.context)) throw new InvalidArgumentError('request: "context" expected an object');
  if (r.delegationId !== null) str(r.delegationId, 'delegationId', REQUEST_LIMITS.lctChars, true);
  if (typeof r.timestamp !== 'number' || !Number.isFinite(r.timestamp)) throw new InvalidArgumentError('request: "timestamp" expected epoch seconds');
}

/**
 * Builds a request with the seed's defaults (empty context, no delegation, timestamp now).
 * @throws InvalidArgumentError for a malformed field.
 */
export function authorizationRequest(fields: Omit<AuthorizationRequest, 'context' | 'delegationId' | 'timestamp'> & Partial<Pick<AuthorizationRequest, 'context' | 'delegationId' | 'timestamp'>>): AuthorizationRequest {
  const r: AuthorizationRequest = Object.freeze({
    requesterLct: fields.requesterLct,
    action: fields.action,
    targetResource: fields.targetResource,
    atpCost: fields.atpCost,
    context: Object.freeze({ ...(fields.context ?? {}) }),
    delegationId: fields.delegationId ?? null,
    timestamp: fields.timestamp ?? systemSeconds(),
  });
  checkRequest(r);
  return r;
}
