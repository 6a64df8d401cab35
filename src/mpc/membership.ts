// Owner authorisation of new custodians (rotation, docs/mpc-resharing.md "Trust"). A rotation hands
// the new custodians shares of the refreshed polynomial, so whoever picks them could, by picking K it
// controls, recover every secret parameter. The coordinator therefore cannot pick them alone: each
// surviving custodian seals its Lagrange partial only to a new custodian that an owner of the
// program named — its did and abscissa — in an ML-DSA-signed membership envelope
// (`mpc-membership`, DSSE-style PAE as every quorumkit envelope) for this program, before its expiry.
// Browser-safe.

import { ForbiddenError, InvalidArgumentError } from '../core/errors.js';
import { payloadTypeFor } from '../envelope/payload-type.js';
import { signEnvelope } from '../envelope/sign.js';
import type { Envelope, EnvelopeSigner } from '../envelope/types.js';
import { verifyEnvelope } from '../envelope/verify.js';

/** The membership envelope's payload type. */
export const MEMBERSHIP_PAYLOAD_TYPE = payloadTypeFor('mpc-membership');
/** Default and longest validity of a membership authorisation, seconds. */
export const DEFAULT_MEMBERSHIP_TTL_S = 600;
export const MAX_MEMBERSHIP_TTL_S = 86_400;
/** Most custodians one authorisation names. */
export const MAX_MEMBERSHIP_MEMBERS = 64;

/** A new custodian an owner admits: its did and its abscissa. */
export interface AuthorizedMember {
  readonly did: string;
  readonly x: bigint;
}

const DID_RE = /^did:[a-z0-9]+:[A-Za-z0-9._:-]{1,200}$/;

/**
 * Signs, as a program owner, the admission of `members` (did and abscissa, as their key cards say)
 * to program `programId`, valid for `ttlSeconds` from `nowMs`.
 * @throws InvalidArgumentError for a bad program id, member, duplicate, or ttl.
 * @example
 * const authorization = await authorizeMembers(owner, programId, [{ did: card.did, x: card.x }]);
 */
export async function authorizeMembers(owner: EnvelopeSigner, programId: string, members: readonly AuthorizedMember[], o: { ttlSeconds?: number; nowMs?: number } = {}): Promise<Envelope> {
  if (typeof programId !== 'string' || !/^[0-9a-f]{64}$/.test(programId)) throw new InvalidArgumentError('"programId" expected 64 hex digits');
  if (!Array.isArray(members) || members.length === 0 || members.length > MAX_MEMBERSHIP_MEMBERS) throw new InvalidArgumentError(`"members" expected 1..${MAX_MEMBERSHIP_MEMBERS} custodians`);
  for (const m of members) {
    if (typeof m?.did !== 'string' || !DID_RE.test(m.did)) throw new InvalidArgumentError('"members[].did" expected a did');
    if (typeof m.x !== 'bigint' || m.x < 1n || m.x > 9_999_999n) throw new InvalidArgumentError('"members[].x" expected a bigint abscissa 1..9999999');
  }
  if (new Set(members.map((m) => m.did)).size !== members.length || new Set(members.map((m) => m.x)).size !== members.length) throw new InvalidArgumentError('"members" repeats a did or an abscissa');
  const ttl = o.ttlSeconds ?? DEFAULT_MEMBERSHIP_TTL_S;
  if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_MEMBERSHIP_TTL_S) throw new InvalidArgumentError(`"ttlSeconds" expected 1..${MAX_MEMBERSHIP_TTL_S}`);
  const notAfter = Math.floor((o.nowMs ?? Date.now()) / 1000) + ttl;
  return signEnvelope({ program_id: programId, members: members.map((m) => ({ did: m.did, x: Number(m.x) })), not_after: notAfter }, 'mpc-membership', [owner]);
}

/**
 * Checks a membership authorisation: signed by one of `owners`, for `programId`, not expired at
 * `nowMs`, well formed. Returns the admitted custodians.
 * @throws ForbiddenError (403) for anything else — one message per cause, nothing secret in it.
 */
export async function verifyMembership(envelope: unknown, o: { owners: Iterable<string>; programId: string; nowMs?: number }): Promise<AuthorizedMember[]> {
  if (envelope === undefined || envelope === null) throw new ForbiddenError('new custodians need an owner-signed membership authorisation ("authorization")');
  const v = await verifyEnvelope(envelope, { payloadType: MEMBERSHIP_PAYLOAD_TYPE, trusted: [...o.owners] });
  if (!v.valid) throw new ForbiddenError('membership authorisation is not signed by an owner of this program');
  const body = v.body as { program_id?: unknown; members?: unknown; not_after?: unknown } | null;
  if (body?.program_id !== o.programId) throw new ForbiddenError('membership authorisation is for another program');
  if (typeof body.not_after !== 'number' || !Number.isSafeInteger(body.not_after) || body.not_after * 1000 < (o.nowMs ?? Date.now())) throw new ForbiddenError('membership authorisation has expired');
  if (!Array.isArray(body.members) || body.members.length === 0 || body.members.length > MAX_MEMBERSHIP_MEMBERS) throw new ForbiddenError('membership authorisation names no custodians');
  return body.members.map((m: unknown) => {
    const r = m as { did?: unknown; x?: unknown } | null;
    if (typeof r?.did !== 'string' || !DID_RE.test(r.did) || typeof r.x !== 'number' || !Number.isSafeInteger(r.x) || r.x < 1) throw new ForbiddenError('membership authorisation is malformed');
    return { did: r.did, x: BigInt(r.x) };
  });
}

/**
 * Verifies `envelope` as {@link verifyMembership} and that it admits the custodian `did` at `x`.
 * @throws ForbiddenError (403) otherwise.
 */
export async function requireMember(envelope: unknown, o: { owners: Iterable<string>; programId: string; did: string; x: bigint; nowMs?: number }): Promise<void> {
  const members = await verifyMembership(envelope, o);
  if (!members.some((m) => m.did === o.did && m.x === o.x)) throw new ForbiddenError(`custodian ${o.did} at abscissa ${o.x} is not admitted by the owner's membership authorisation`);
}
