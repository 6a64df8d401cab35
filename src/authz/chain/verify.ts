// Verifying a delegation chain offline (the format: hop.ts; the rules: attenuation.ts). Given the
// hops root first, every hop is checked on its own — strict body, exactly one signature and it is
// the delegator's valid ML-DSA signature over the envelope's DSSE PAE, the verifier's society,
// valid at the verifier's clock, not revoked — and against its parent: the link (delegator = the
// parent's delegate, parentHopId = the parent's hop id) and every attenuation rule. The root's
// delegator must be a trusted root when the verifier names some. Revoking any hop therefore kills
// every chain through it, while the chain above it still verifies on its own.
// verifyDelegationChain returns a verdict with every reason and never throws for a bad chain (as
// verifyEnvelope); verifyDelegationChainOrThrow throws the typed error. Browser-safe.

import { assertOptions, describeType, optionKeys } from '../../core/assert.js';
import { verifyEnvelope } from '../../envelope/verify.js';
import type { Envelope } from '../../envelope/types.js';
import type { AgentDelegationInit } from '../delegation.js';
import { DelegationAttenuationError, DelegationChainError, DelegationSignatureError } from '../errors.js';
import { checkAttenuation, checkLink, type AttenuationRule } from './attenuation.js';
import { DELEGATION_HOP_LIMITS, DELEGATION_HOP_PAYLOAD_TYPE, decodeHop, type DelegationHop, type DelegationHopBody } from './hop.js';

/** What the verifier trusts and the clock it judges validity by. */
export interface VerifyDelegationChainOptions {
  /** The society the chain must be for (every hop's `societyId`). */
  readonly society: string;
  /** Epoch seconds; every hop must satisfy `validFrom ≤ now ≤ validUntil`. */
  readonly now: number;
  /**
   * True when the hop with this id is revoked, false when not (may be async); a revoked hop
   * invalidates the chain. Any other answer counts as revoked (fail closed).
   */
  readonly isRevoked?: (hopId: string) => boolean | Promise<boolean>;
  /** When given, the root hop's delegator (the client) must be one of these dids. */
  readonly trustedRoots?: Iterable<string>;
}

const VERIFY_OPTION_KEYS = optionKeys<VerifyDelegationChainOptions>({ society: true, now: true, isRevoked: true, trustedRoots: true });

/** The kind of check a chain failed. */
export type DelegationChainFailureKind =
  | 'length' | 'malformed' | 'signature' | 'society' | 'validity' | 'revoked' | 'untrusted-root' | 'link' | 'attenuation';

/** One failed check. */
export interface DelegationChainFailure {
  /** 0-based index of the hop (root first), or null for the chain as a whole. */
  readonly hop: number | null;
  readonly kind: DelegationChainFailureKind;
  /** For `attenuation`: the rule broken. */
  readonly rule?: AttenuationRule;
  readonly message: string;
}

/** The verdict of {@link verifyDelegationChain}. */
export interface DelegationChainVerification {
  /** True only when every hop passes every check. */
  readonly valid: boolean;
  /** Every failure as one line, `hop[i]: …` (empty when valid). */
  readonly reasons: string[];
  readonly failures: DelegationChainFailure[];
  /** Per input hop, its id when its payload decoded (also on failure, for diagnostics), else null. */
  readonly hopIds: (string | null)[];
  /** Per input hop, its body when it decoded, else null. Do not act on them unless `valid`. */
  readonly hops: (DelegationHopBody | null)[];
  /**
   * When valid: the leaf's delegation for `new AgentDelegation(init, now)` — id, delegate as agent,
   * the leaf's delegator as client, role, permissions, budget, rate, window, depth and parent
   * delegation id; fresh counters. Null otherwise.
   */
  readonly delegation: AgentDelegationInit | null;
  /** When valid: the root hop's delegator (the client the authority comes from). */
  readonly rootDelegator: string | null;
}

/** A valid chain's outcome, from {@link verifyDelegationChainOrThrow}. */
export interface VerifiedDelegationChain {
  readonly delegation: AgentDelegationInit;
  readonly hopIds: string[];
  readonly hops: DelegationHopBody[];
  readonly rootDelegator: string;
}

interface Checked {
  readonly society: string;
  readonly now: number;
  readonly isRevoked: ((hopId: string) => boolean | Promise<boolean>) | null;
  readonly trustedRoots: ReadonlySet<string> | null;
}

function checkOptions(options: VerifyDelegationChainOptions | undefined): Checked {
  if (options === undefined) throw new TypeError('"options" expected { society, now }');
  const o = assertOptions('options', options, VERIFY_OPTION_KEYS);
  if (typeof o.society !== 'string' || o.society.length === 0) throw new TypeError(`"society" expected a non-empty string, got ${describeType(o.society)}`);
  if (typeof o.now !== 'number' || !Number.isFinite(o.now)) throw new TypeError(`"now" expected epoch seconds, got ${describeType(o.now)}`);
  if (o.isRevoked !== undefined && typeof o.isRevoked !== 'function') throw new TypeError(`"isRevoked" expected a function, got ${describeType(o.isRevoked)}`);
  const t: unknown = o.trustedRoots;
  if (t !== undefined && (t === null || typeof (t as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function')) {
    throw new TypeError(`"trustedRoots" expected an iterable of dids, got ${describeType(t)}`);
  }
  return { society: o.society, now: o.now, isRevoked: o.isRevoked ?? null, trustedRoots: t === undefined ? null : new Set(o.trustedRoots) };
}

/** The delegator's signature on hop `env` (its only signature), as failure messages. */
async function signatureFailures(env: Envelope, delegator: string): Promise<string[]> {
  if (env.signatures.length !== 1) return [`expected exactly 1 signature (the delegator's), got ${env.signatures.length}`];
  if (env.signatures[0]!.keyid !== delegator) return ['not signed by its delegator'];
  const r = await verifyEnvelope(env, { payloadType: DELEGATION_HOP_PAYLOAD_TYPE, trusted: [delegator] });
  return r.valid ? [] : r.signatures.some((s) => !s.valid) ? ['signature verification failed'] : r.reasons;
}

/** The checks of hop `i` on its own: signature, society, validity, revocation, trusted root. */
async function hopFailures(i: number, env: Envelope, hop: DelegationHop, o: Checked): Promise<DelegationChainFailure[]> {
  const b = hop.body;
  const out: DelegationChainFailure[] = (await signatureFailures(env, b.delegator)).map((message) => ({ hop: i, kind: 'signature', message }));
  if (b.societyId !== o.society) out.push({ hop: i, kind: 'society', message: 'societyId is not the verifier\'s society' });
  if (!(b.validFrom <= o.now && o.now <= b.validUntil)) out.push({ hop: i, kind: 'validity', message: `not valid at ${o.now} (valid ${b.validFrom}..${b.validUntil})` });
  if (o.isRevoked !== null) {
    // Fail closed: a revocation check that does not answer false (a missing return, a lookup that
    // yields undefined) cannot vouch for the hop.
    const revoked: unknown = await o.isRevoked(hop.hopId);
    if (revoked !== false) out.push({ hop: i, kind: 'revoked', message: revoked === true ? `hop ${hop.hopId} is revoked` : `isRevoked did not answer true or false for hop ${hop.hopId}` });
  }
  if (i === 0) {
    if (b.depth !== 1) out.push({ hop: i, kind: 'link', message: 'the root hop has a parent (depth > 1)' });
    if (o.trustedRoots !== null && !o.trustedRoots.has(b.delegator)) out.push({ hop: i, kind: 'untrusted-root', message: 'the root delegator is not a trusted root' });
  }
  return out;
}

/** The checks of hop `i` against its parent: link and attenuation. */
function parentFailures(i: number, parent: DelegationHop, hop: DelegationHop, idsAbove: ReadonlySet<string>): DelegationChainFailure[] {
  const out: DelegationChainFailure[] = checkLink(parent.body, parent.hopId, hop.body, idsAbove).map((message) => ({ hop: i, kind: 'link', message }));
  for (const v of checkAttenuation(parent.body, hop.body)) out.push({ hop: i, kind: 'attenuation', rule: v.rule, message: v.message });
  return out;
}

function leafDelegation(hops: readonly DelegationHop[]): AgentDelegationInit {
  const leaf = hops[hops.length - 1]!.body;
  const parent = hops.length > 1 ? hops[hops.length - 2]!.body : null;
  return {
    delegationId: leaf.delegationId,
    clientLct: leaf.delegator,
    agentLct: leaf.delegate,
    roleLct: leaf.roleLct,
    grantedPermissions: [...leaf.permissions],
    atpBudget: leaf.atpBudget,
    maxActionsPerHour: leaf.maxActionsPerHour,
    validFrom: leaf.validFrom,
    validUntil: leaf.validUntil,
    depth: leaf.depth,
    parentId: parent === null ? null : parent.delegationId,
  };
}

/**
 * Verifies a delegation chain, root hop first, offline: every hop's signature by its delegator,
 * the links between hops, attenuation on every hop, the depth bound, validity at `now`,
 * revocation of any hop, the society and (when given) the trusted roots.
 *
 * @returns a verdict listing every failure; never throws for a bad chain.
 * @throws TypeError for missing or malformed options (or an unknown option); whatever
 *   `isRevoked` throws.
 * @example
 * const r = await verifyDelegationChain([root, hop2], { society: 's', now, isRevoked: (id) => revoked.has(id) });
 * if (r.valid) engine.registerDelegation(new AgentDelegation(r.delegation!, now));
 */
export async function verifyDelegationChain(hops: unknown, options: VerifyDelegationChainOptions): Promise<DelegationChainVerification> {
  const o = checkOptions(options);
  const failures: DelegationChainFailure[] = [];
  const hopIds: (string | null)[] = [];
  const bodies: (DelegationHopBody | null)[] = [];
  const done = (): DelegationChainVerification => {
    const valid = failures.length === 0;
    const decoded = valid ? bodies.map((b, i) => ({ hopId: hopIds[i]!, body: b! })) : [];
    return {
      valid,
      reasons: failures.map((f) => `${f.hop === null ? 'chain' : `hop[${f.hop}]`}: ${f.message}`),
      failures,
      hopIds,
      hops: bodies,
      delegation: valid ? leafDelegation(decoded) : null,
      rootDelegator: valid ? decoded[0]!.body.delegator : null,
    };
  };
  if (!Array.isArray(hops)) {
    failures.push({ hop: null, kind: 'length', message: `expected an array of hop envelopes, got ${describeType(hops)}` });
    return done();
  }
  if (hops.length === 0 || hops.length > DELEGATION_HOP_LIMITS.hops) {
    failures.push({ hop: null, kind: 'length', message: `expected 1..${DELEGATION_HOP_LIMITS.hops} hops, got ${hops.length}` });
    return done();
  }
  let parent: DelegationHop | null = null;
  const idsAbove = new Set<string>();
  for (let i = 0; i < hops.length; i++) {
    const r = decodeHop(hops[i]);
    if ('error' in r) {
      failures.push({ hop: i, kind: 'malformed', message: r.error });
      hopIds.push(null);
      bodies.push(null);
      parent = null; // the next hop cannot be linked; its own checks still run
      continue;
    }
    hopIds.push(r.hop.hopId);
    bodies.push(r.hop.body);
    failures.push(...(await hopFailures(i, hops[i] as Envelope, r.hop, o)));
    if (parent !== null) failures.push(...parentFailures(i, parent, r.hop, idsAbove));
    else if (i > 0) failures.push({ hop: i, kind: 'link', message: 'its parent hop is malformed, so the link cannot be checked' });
    idsAbove.add(r.hop.body.delegationId);
    parent = r.hop;
  }
  return done();
}

/**
 * {@link verifyDelegationChain}, throwing when the chain is not valid.
 *
 * @returns the leaf delegation, hop ids and bodies, and the root delegator.
 * @throws DelegationSignatureError (`ERR_AUTHZ_CHAIN_SIGNATURE`, 401) when any hop is not validly
 *   signed by its delegator; else DelegationChainError (`ERR_AUTHZ_CHAIN`) when the chain is
 *   malformed, too long or a hop does not link to its parent; else DelegationAttenuationError
 *   (`ERR_AUTHZ_ATTENUATION`) when a hop widens its parent; else DelegationChainError (society,
 *   validity, revocation, untrusted root). `details.reasons` lists
 *   every reason, `details.hop` the first failing hop. TypeError as verifyDelegationChain.
 */
export async function verifyDelegationChainOrThrow(hops: unknown, options: VerifyDelegationChainOptions): Promise<VerifiedDelegationChain> {
  const r = await verifyDelegationChain(hops, options);
  if (r.valid) {
    return { delegation: r.delegation!, hopIds: r.hopIds as string[], hops: r.hops as DelegationHopBody[], rootDelegator: r.rootDelegator! };
  }
  // A broken link makes attenuation against the wrong parent meaningless: structure outranks it.
  const has = (...k: DelegationChainFailureKind[]) => r.failures.find((f) => k.includes(f.kind));
  const first = has('signature') ?? has('length', 'malformed', 'link') ?? has('attenuation') ?? r.failures[0]!;
  const C = first.kind === 'signature' ? DelegationSignatureError : first.kind === 'attenuation' ? DelegationAttenuationError : DelegationChainError;
  const details = {
    hop: first.hop,
    reasons: r.reasons.slice(0, 32),
    ...(first.kind === 'attenuation' ? { violations: r.failures.filter((f) => f.kind === 'attenuation').map((f) => f.rule ?? '') } : {}),
  };
  throw new C(`delegation chain rejected: ${r.reasons.slice(0, 8).join('; ')}`, { details });
}
