// Issuing a delegation hop (the format: hop.ts; the rules: attenuation.ts): the delegator builds the
// hop body — defaults from its parent when re-delegating, from the seed engine's defaults (24 h, 100
// actions per hour) at the root — checks it narrows its parent, and signs it as an envelope with
// its ML-DSA identity. A hop that would widen its parent is refused here, before anything is signed.
// Browser-safe.

import { assertOptions, describeType, optionKeys } from '../../core/assert.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { signEnvelope } from '../../envelope/sign.js';
import type { Envelope, EnvelopeSigner } from '../../envelope/types.js';
import { DEFAULT_MAX_ACTIONS_PER_HOUR, DEFAULT_VALIDITY_SECONDS, MAX_DELEGATION_DEPTH } from '../delegation.js';
import { DelegationAttenuationError, DelegationChainError } from '../errors.js';
import { checkAttenuation } from './attenuation.js';
import { DELEGATION_HOP_LIMITS, DELEGATION_HOP_PAYLOAD_TYPE, hopBodyError, readDelegationHop, type DelegationHopBody } from './hop.js';

/** What the delegator chooses for a hop; the delegator is the signer, parent link and depth follow from the parent. */
export interface DelegationHopFields {
  /** Required at the root; below it, defaults to (and must equal) the parent's. */
  readonly societyId?: string;
  readonly delegationId: string;
  /** The agent's `did:pqaid`. */
  readonly delegate: string;
  /** Required at the root; below it, defaults to (and must equal) the parent's. */
  readonly roleLct?: string;
  /** Granted actions (any order, repeats dropped); below the root, a subset of the parent's. */
  readonly permissions: Iterable<string>;
  readonly atpBudget: number;
  /** Default: the parent's, or 100 at the root. */
  readonly maxActionsPerHour?: number;
  /** Epoch seconds (integer). Default: the parent's, or `now` at the root. */
  readonly validFrom?: number;
  /** Epoch seconds (integer). Default: the parent's, or `validFrom` + 24 h at the root. */
  readonly validUntil?: number;
}

/** Options of {@link issueDelegation}. */
export interface IssueDelegationOptions {
  /** The hop this one re-delegates (its envelope); absent for a root hop issued by a client. */
  readonly parent?: Envelope;
  /** The clock for a root hop's default window (epoch seconds); default the system clock. */
  readonly now?: number;
}

const ISSUE_OPTION_KEYS = optionKeys<IssueDelegationOptions>({ parent: true, now: true });

function permissionList(v: unknown): string[] {
  if (v === null || typeof v !== 'object' || typeof (v as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`"permissions" expected an iterable of strings, got ${describeType(v)}`);
  }
  const set = new Set<string>();
  for (const p of v as Iterable<unknown>) {
    if (typeof p !== 'string') throw new TypeError(`"permissions" expected strings, got ${describeType(p)}`);
    set.add(p);
    if (set.size > DELEGATION_HOP_LIMITS.permissions) throw new InvalidArgumentError(`"permissions" expected at most ${DELEGATION_HOP_LIMITS.permissions} items`);
  }
  return [...set].sort();
}

/** The hop body `delegator` would sign, or a typed error (no signing). */
function buildBody(delegator: string, f: DelegationHopFields, parent: { hopId: string; body: DelegationHopBody } | null, now: number): DelegationHopBody {
  const p = parent?.body;
  const validFrom = f.validFrom ?? p?.validFrom ?? now;
  const body: DelegationHopBody = {
    societyId: f.societyId ?? p?.societyId ?? '',
    delegationId: f.delegationId,
    parentHopId: parent?.hopId ?? null,
    delegator,
    delegate: f.delegate,
    roleLct: f.roleLct ?? p?.roleLct ?? '',
    permissions: permissionList(f.permissions),
    atpBudget: f.atpBudget,
    maxActionsPerHour: f.maxActionsPerHour ?? p?.maxActionsPerHour ?? DEFAULT_MAX_ACTIONS_PER_HOUR,
    validFrom,
    validUntil: f.validUntil ?? p?.validUntil ?? (typeof validFrom === 'number' ? validFrom + DEFAULT_VALIDITY_SECONDS : validFrom),
    depth: p === undefined ? 1 : p.depth + 1,
  };
  const why = hopBodyError(body);
  if (why !== null) throw new InvalidArgumentError(`delegation: ${why}`);
  return body;
}

/** The parent's link and attenuation checks for `body` (throws the typed error). */
function checkAgainstParent(parent: { hopId: string; body: DelegationHopBody }, body: DelegationHopBody): void {
  const p = parent.body;
  if (body.delegator !== p.delegate) throw new DelegationChainError('delegation: the delegator is not the parent hop\'s delegate');
  if (body.societyId !== p.societyId) throw new DelegationChainError('delegation: "societyId" differs from the parent hop\'s');
  const violations = checkAttenuation(p, body);
  if (violations.length > 0) {
    throw new DelegationAttenuationError(`delegation widens its parent: ${violations.map((v) => v.message).join('; ')}`, {
      details: { hop: p.depth, violations: violations.map((v) => v.rule) },
    });
  }
}

/**
 * Issues a delegation hop signed by `delegator`: a root hop (a client delegating to an agent) or,
 * with `options.parent`, a re-delegation by the parent's delegate that narrows the parent.
 * The parent's own signature is not checked here; {@link verifyDelegationChain} checks every hop.
 *
 * @param delegator the delegator's identity (`Identity` from `quorumkit/pq` or any EnvelopeSigner).
 * @returns the hop envelope (public key embedded, so the chain verifies offline).
 * @throws DelegationAttenuationError (`ERR_AUTHZ_ATTENUATION`) when the hop would widen its parent
 *   (permissions, budget, rate, window, role), go deeper than MAX_DELEGATION_DEPTH, or the parent
 *   does not grant `delegate`;
 *   DelegationChainError (`ERR_AUTHZ_CHAIN`) for a malformed parent, a delegator that is not the
 *   parent's delegate, or another society; InvalidArgumentError for a field beyond its type or cap;
 *   TypeError for a non-object `fields`, non-string permissions or an unknown option.
 * @example
 * const root = await issueDelegation(client, { societyId: 's', delegationId: 'd1', delegate: agent.did,
 *   roleLct: 'role:researcher', permissions: ['read', 'write', 'delegate'], atpBudget: 100 });
 * const hop2 = await issueDelegation(agent, { delegationId: 'd2', delegate: sub.did, permissions: ['read'], atpBudget: 10 }, { parent: root });
 */
export async function issueDelegation(delegator: EnvelopeSigner, fields: DelegationHopFields, options?: IssueDelegationOptions): Promise<Envelope> {
  const o = assertOptions('options', options, ISSUE_OPTION_KEYS);
  if (fields === null || typeof fields !== 'object') throw new TypeError(`"fields" expected an object, got ${describeType(fields)}`);
  if (delegator === null || typeof delegator !== 'object' || typeof delegator.did !== 'string') throw new TypeError('"delegator" expected a signer with a did');
  const now = o.now ?? Math.floor(Date.now() / 1000);
  if (typeof now !== 'number' || !Number.isSafeInteger(now) || now < 0) throw new RangeError('"now" expected epoch seconds (a non-negative integer)');
  const parent = o.parent === undefined ? null : readDelegationHop(o.parent);
  if (parent !== null && parent.body.depth >= MAX_DELEGATION_DEPTH) {
    throw new DelegationAttenuationError(`delegation: a chain is at most ${MAX_DELEGATION_DEPTH} hops; the parent is already at depth ${parent.body.depth}`, {
      details: { hop: parent.body.depth, violations: ['depth'] },
    });
  }
  const body = buildBody(delegator.did, fields, parent, now);
  if (parent !== null) checkAgainstParent(parent, body);
  return signEnvelope(body, DELEGATION_HOP_PAYLOAD_TYPE, [delegator]);
}
