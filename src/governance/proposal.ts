// Governance proposals — what nodes vote on. Port of pqc-ai-governance `proposal.py` (Dyber PQC) with
// camelCase names. Two canonical forms:
//  - our wire body: camelCase fields, RFC 8785 (JCS), signed as a `governance.proposal` envelope;
//  - the seed's signing body: snake_case fields, Python `json.dumps(sort_keys, separators,
//    ensure_ascii=False)` — `seedCanonicalBytes()`, for checking artifacts produced by the seed.
// `proposalHash()` is SHA3-256 (FIPS 202) of the JCS encoding of the seed's snake_case body, so it
// equals the seed's `proposal_hash` whenever the two encoders agree (ASCII keys, no float that
// Python spells differently); the conformance test proves it on the seed vector.
// JSON form (`toJSON`): the signed fields plus `status`, plus the proposer's `envelope` once signed,
// so `GovernanceNode.verifyProposal` still verifies `JSON.stringify(p)` parsed back; `fromJSON`
// refuses a JSON whose readable fields differ from its envelope. Time window: `createdAt` ≤
// `expiresAt`, both RFC 3339, at most MAX_PROPOSAL_TTL_SECONDS (30 days) apart (`proposalWindowError`).

import { toHex, utf8Encode } from '../core/bytes.js';
import { canonicalize } from '../core/canonical-json.js';
import { canonicalizePython } from '../core/canonical-python.js';
import { parseRfc3339, systemClock, toRfc3339, type Clock } from '../core/clock.js';
import { randomId } from '../core/ids.js';
import { parseStrict } from '../core/parse-strict.js';
import type { Envelope } from '../envelope/types.js';
import { sha3_256 } from './_sha3.js';
import { MAX_ID_LENGTH, MAX_TEXT_LENGTH, PROPOSAL_PAYLOAD_TYPE, checkKeys, checkOptions, checkString, decodeBody, deepFreeze } from './_wire.js';
import { describeValue, isPlainObject } from '../core/assert.js';
import { InvalidProposalError } from './errors.js';

/** The nine proposal kinds of the seed, in its order. */
export const PROPOSAL_KINDS = Object.freeze([
  'authorize-model',
  'revoke-model',
  'authorize-agent',
  'revoke-agent',
  'update-policy',
  'add-node',
  'remove-node',
  'emergency-freeze',
  'delegation',
] as const);

/** What a proposal asks for. */
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/** Lifecycle of a proposal; `status` is mutable and never signed or hashed. */
export type ProposalStatus = 'open' | 'passed' | 'rejected' | 'expired';

/** True when `v` is one of the nine {@link ProposalKind}s. */
export function isProposalKind(v: unknown): v is ProposalKind {
  return typeof v === 'string' && (PROPOSAL_KINDS as readonly string[]).includes(v);
}

/** The signed (and hashed) fields of a proposal, camelCase. */
export interface GovernanceProposalFields {
  readonly proposalId: string;
  readonly kind: ProposalKind;
  /** What the proposal is about: a model or agent did, a policy id, a node did. */
  readonly subjectId: string;
  readonly title: string;
  readonly description: string;
  readonly proposerDid: string;
  /** Rule-specific I-JSON object. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Creation time (RFC 3339; the seed writes Python `isoformat()`, `+00:00`). */
  readonly createdAt: string;
  /** Expiry time; an unparsable value counts as expired. */
  readonly expiresAt: string;
}

/** JSON form of a proposal ({@link GovernanceProposal.toJSON}); `envelope` is present once signed. */
export type GovernanceProposalJSON = GovernanceProposalFields & { readonly status: ProposalStatus; readonly envelope?: Envelope };

/** Longest lifetime (`expiresAt - createdAt`) a proposal may have: 30 days, in seconds. */
export const MAX_PROPOSAL_TTL_SECONDS = 30 * 86_400;

/** Options of {@link GovernanceProposal.create}. */
export interface CreateProposalOptions {
  readonly description?: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** Lifetime in whole seconds, 1..{@link MAX_PROPOSAL_TTL_SECONDS}; default 86400 (one day, as the seed). */
  readonly ttlSeconds?: number;
  /** Time source, default the system clock. */
  readonly clock?: Clock;
  /** A fixed id (tests, replay of seed artifacts); default `randomId('proposal')`. */
  readonly proposalId?: string;
}

const FIELD_KEYS = ['proposalId', 'kind', 'subjectId', 'title', 'description', 'proposerDid', 'parameters', 'createdAt', 'expiresAt'] as const;
const STATUSES: readonly ProposalStatus[] = ['open', 'passed', 'rejected', 'expired'];
const CREATE_OPTIONS = ['description', 'parameters', 'ttlSeconds', 'clock', 'proposalId'] as const;

/**
 * Why a proposal's time window is not acceptable, or null when it is: `createdAt` and `expiresAt`
 * must both be RFC 3339, `createdAt` ≤ `expiresAt`, and `expiresAt - createdAt` ≤
 * {@link MAX_PROPOSAL_TTL_SECONDS}. Never throws. (The constructor does not enforce it, so seed
 * artifacts stay readable; a node refuses such a proposal before storing it.)
 * @example
 * const why = proposalWindowError(proposal);
 * if (why !== null) throw new InvalidProposalError(why);
 */
export function proposalWindowError(p: Pick<GovernanceProposalFields, 'createdAt' | 'expiresAt'>): string | null {
  if (p === null || typeof p !== 'object') return `proposal expected an object, got ${describeValue(p)}`;
  const created = instant('createdAt', p.createdAt);
  if (typeof created === 'string') return created;
  const expires = instant('expiresAt', p.expiresAt);
  if (typeof expires === 'string') return expires;
  if (created > expires) return '"createdAt" is after "expiresAt"';
  if (expires - created > MAX_PROPOSAL_TTL_SECONDS * 1000) {
    return `proposal lifetime ${Math.ceil((expires - created) / 1000)} s exceeds the maximum ${MAX_PROPOSAL_TTL_SECONDS} s (30 days)`;
  }
  return null;
}

function instant(name: string, v: unknown): number | string {
  if (typeof v !== 'string') return `"${name}" expected an RFC 3339 string, got ${describeValue(v)}`;
  try {
    return parseRfc3339(v).getTime();
  } catch {
    return `"${name}" is not an RFC 3339 timestamp: ${describeValue(v)}`;
  }
}

/** A deep copy of signed parameters through our strict parser (never the built-in parser: nodejs/node#63785). */
function copyParameters(parameters: unknown): Record<string, unknown> {
  try {
    return parseStrict(canonicalize(parameters)) as Record<string, unknown>;
  } catch (cause) {
    throw new InvalidProposalError(`invalid proposal: "parameters" is not I-JSON: ${cause instanceof Error ? cause.message : describeValue(cause)}`, { cause });
  }
}

function fieldsError(f: Record<string, unknown>): string | null {
  return (
    checkString('proposalId', f['proposalId'], MAX_ID_LENGTH) ??
    (isProposalKind(f['kind']) ? null : `"kind" expected one of ${PROPOSAL_KINDS.join(', ')}, got ${describeValue(f['kind'])}`) ??
    checkString('subjectId', f['subjectId'], MAX_ID_LENGTH) ??
    checkString('title', f['title'], MAX_TEXT_LENGTH) ??
    checkString('description', f['description'], MAX_TEXT_LENGTH, false) ??
    checkString('proposerDid', f['proposerDid'], MAX_ID_LENGTH) ??
    (isPlainObject(f['parameters']) ? null : '"parameters" expected a JSON object') ??
    checkString('createdAt', f['createdAt'], MAX_ID_LENGTH, false) ??
    checkString('expiresAt', f['expiresAt'], MAX_ID_LENGTH, false)
  );
}

/**
 * A proposal nodes vote on. The signed fields are frozen; `status` changes as a round decides, and
 * `envelope` holds the proposer's signature once {@link GovernanceProposal.attachEnvelope} (or
 * `GovernanceNode.signProposal`) set it.
 * @example
 * const p = GovernanceProposal.create('authorize-model', 'did:pqaid:medical-ai-v2', 'Authorize v2', alice.did,
 *   { parameters: { environment: 'prod' } });
 * p.proposalHash(); // 64 hex chars
 */
export class GovernanceProposal implements GovernanceProposalFields {
  readonly proposalId: string;
  readonly kind: ProposalKind;
  readonly subjectId: string;
  readonly title: string;
  readonly description: string;
  readonly proposerDid: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** Mutable lifecycle state (not signed). */
  status: ProposalStatus = 'open';
  #envelope: Envelope | undefined;
  #hash: string | undefined;

  /**
   * A proposal from explicit fields (a seed artifact, a stored record).
   * @throws InvalidProposalError when a field is missing, of the wrong type or `parameters` is not I-JSON.
   */
  constructor(fields: GovernanceProposalFields) {
    if (!isPlainObject(fields) && !(fields instanceof GovernanceProposal)) throw new InvalidProposalError('proposal fields expected an object');
    const f = fields as unknown as Record<string, unknown>;
    const why = fieldsError(f);
    if (why !== null) throw new InvalidProposalError(`invalid proposal: ${why}`);
    const parameters = copyParameters(f['parameters']);
    this.proposalId = fields.proposalId;
    this.kind = fields.kind;
    this.subjectId = fields.subjectId;
    this.title = fields.title;
    this.description = fields.description;
    this.proposerDid = fields.proposerDid;
    this.parameters = deepFreeze(parameters);
    this.createdAt = fields.createdAt;
    this.expiresAt = fields.expiresAt;
    // The signed fields cannot be reassigned (only `status` changes), so body() always matches the envelope.
    for (const k of FIELD_KEYS) Object.defineProperty(this, k, { writable: false, configurable: false });
  }

  /**
   * Creates an open proposal expiring `ttlSeconds` (default 86400) after now.
   * @throws InvalidProposalError for an unknown kind or bad field; RangeError for a `ttlSeconds`
   *   outside 1..{@link MAX_PROPOSAL_TTL_SECONDS}; TypeError for an unknown option.
   */
  static create(kind: ProposalKind, subjectId: string, title: string, proposerDid: string, options: CreateProposalOptions = {}): GovernanceProposal {
    checkOptions(options, CREATE_OPTIONS, 'GovernanceProposal.create');
    const ttl = options.ttlSeconds ?? 86_400;
    if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_PROPOSAL_TTL_SECONDS) {
      throw new RangeError(`"ttlSeconds" expected an integer in 1..${MAX_PROPOSAL_TTL_SECONDS} (30 days), got ${describeValue(ttl)}`);
    }
    const now = (options.clock ?? systemClock).now();
    return new GovernanceProposal({
      proposalId: options.proposalId ?? randomId('proposal'),
      kind,
      subjectId,
      title,
      description: options.description ?? '',
      proposerDid,
      parameters: options.parameters ?? {},
      createdAt: toRfc3339(now),
      expiresAt: toRfc3339(new Date(now.getTime() + ttl * 1000)),
    });
  }

  /** The signed fields as a plain camelCase object (our wire body). */
  body(): GovernanceProposalFields {
    const o: Record<string, unknown> = {};
    for (const k of FIELD_KEYS) o[k] = this[k];
    return o as unknown as GovernanceProposalFields;
  }

  /** RFC 8785 bytes of {@link body}: what the proposer's envelope signs. */
  canonicalBytes(): Uint8Array {
    return utf8Encode(canonicalize(this.body()));
  }

  /** The seed's signing body: snake_case, without `status` and the signature fields. */
  seedBody(): Record<string, unknown> {
    return {
      proposal_id: this.proposalId,
      kind: this.kind,
      subject_id: this.subjectId,
      title: this.title,
      description: this.description,
      proposer_did: this.proposerDid,
      parameters: this.parameters,
      created_at: this.createdAt,
      expires_at: this.expiresAt,
    };
  }

  /** The seed's `canonical_bytes()`: Python `json.dumps(sort_keys, (",", ":"), ensure_ascii=False)` as UTF-8. */
  seedCanonicalBytes(): Uint8Array {
    return utf8Encode(canonicalizePython(this.seedBody(), { ensureAscii: false }));
  }

  /** Hex SHA3-256 of the JCS encoding of {@link seedBody}; every vote on this proposal carries it. */
  proposalHash(): string {
    this.#hash ??= toHex(sha3_256(utf8Encode(canonicalize(this.seedBody()))));
    return this.#hash;
  }

  /**
   * True when `clock.now()` is past `expiresAt`. Fails closed: an unparsable `expiresAt` counts as
   * expired (the seed's `is_expired` fails open and returns False on a ValueError).
   */
  isExpired(clock: Clock = systemClock): boolean {
    let exp: number;
    try {
      exp = parseRfc3339(this.expiresAt).getTime();
    } catch {
      return true;
    }
    return clock.now().getTime() > exp;
  }

  /** The proposer's signed envelope, once attached. */
  get envelope(): Envelope | undefined {
    return this.#envelope;
  }

  /**
   * Attaches a signed envelope whose body is exactly this proposal (signatures are checked by
   * `GovernanceNode.verifyProposal`, not here).
   * @throws InvalidProposalError when the envelope is malformed or carries a different body.
   */
  attachEnvelope(env: Envelope): void {
    const d = decodeBody(env, PROPOSAL_PAYLOAD_TYPE);
    if (typeof d === 'string') throw new InvalidProposalError(`proposal envelope rejected: ${d}`);
    if (canonicalize(d.body) !== canonicalize(this.body())) throw new InvalidProposalError('proposal envelope carries a different proposal');
    this.#envelope = d.env;
  }

  /**
   * Parses a signed proposal envelope (signatures are NOT checked; use `GovernanceNode.verifyProposal`).
   * @throws InvalidProposalError for a malformed envelope or body.
   */
  static fromEnvelope(env: unknown): GovernanceProposal {
    const d = decodeBody(env, PROPOSAL_PAYLOAD_TYPE);
    if (typeof d === 'string') throw new InvalidProposalError(`proposal envelope rejected: ${d}`);
    const keys = checkKeys(d.body, FIELD_KEYS);
    if (keys !== null) throw new InvalidProposalError(`invalid proposal: ${keys}`);
    const p = new GovernanceProposal(d.body as unknown as GovernanceProposalFields);
    p.#envelope = d.env;
    return p;
  }

  /**
   * JSON view ({@link GovernanceProposalJSON}): the camelCase body, `status`, and — when signed — the
   * proposer's `envelope`, so the proof survives `JSON.stringify`.
   */
  toJSON(): GovernanceProposalJSON {
    return { ...this.body(), status: this.status, ...(this.#envelope === undefined ? {} : { envelope: this.#envelope }) };
  }

  /**
   * Parses {@link toJSON} output. `status` is optional (absent means `'open'`; present, it must be
   * one of the four statuses — `null` is refused). With `envelope`, the proposal is decoded from
   * the envelope (signatures are NOT checked; use `GovernanceNode.verifyProposal`) and the readable
   * fields must equal the signed ones.
   * @throws InvalidProposalError for a malformed object or readable fields that differ from the envelope.
   */
  static fromJSON(json: unknown): GovernanceProposal {
    if (!isPlainObject(json)) throw new InvalidProposalError(`proposal JSON expected an object, got ${describeValue(json)}`);
    const keys = checkKeys(json, FIELD_KEYS, ['status', 'envelope']);
    if (keys !== null) throw new InvalidProposalError(`invalid proposal: ${keys}`);
    const status = Object.hasOwn(json, 'status') ? json['status'] : 'open';
    if (!STATUSES.includes(status as ProposalStatus)) throw new InvalidProposalError(`invalid proposal: "status" expected one of ${STATUSES.join(', ')}, got ${describeValue(status)}`);
    const readable = new GovernanceProposal(json as unknown as GovernanceProposalFields);
    const p = Object.hasOwn(json, 'envelope') ? GovernanceProposal.fromEnvelope(json['envelope']) : readable;
    if (p !== readable && canonicalize(p.body()) !== canonicalize(readable.body())) throw new InvalidProposalError('proposal fields differ from its signed envelope');
    p.status = status as ProposalStatus;
    return p;
  }
}
