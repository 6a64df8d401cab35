// Governance proposals — what nodes vote on. Port of pqc-ai-governance `proposal.py` (Dyber PQC) with
// camelCase names. Two canonical forms:
//  - our wire body: camelCase fields, RFC 8785 (JCS), signed as a `governance.proposal` envelope;
//  - the seed's signing body: snake_case fields, Python `json.dumps(sort_keys, separators,
//    ensure_ascii=False)` — `seedCanonicalBytes()`, for checking artifacts produced by the seed.
// `proposalHash()` is SHA3-256 (FIPS 202) of the JCS encoding of the seed's snake_case body, so it
// equals the seed's `proposal_hash` whenever the two encoders agree (ASCII keys, no float that
// Python spells differently); the conformance test proves it on the seed vector.

import { toHex, utf8Encode } from '../core/bytes.js';
import { canonicalize } from '../core/canonical-json.js';
import { canonicalizePython } from '../core/canonical-python.js';
import { parseRfc3339, systemClock, toRfc3339, type Clock } from '../core/clock.js';
import { randomId } from '../core/ids.js';
import type { Envelope } from '../envelope/types.js';
import { sha3_256 } from './_sha3.js';
import {
  MAX_ID_LENGTH, MAX_TEXT_LENGTH, PROPOSAL_PAYLOAD_TYPE, checkKeys, checkString, decodeBody, deepFreeze, isPlainObject,
} from './_wire.js';
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

/** Options of {@link GovernanceProposal.create}. */
export interface CreateProposalOptions {
  readonly description?: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** Lifetime in whole seconds, default 86400 (one day, as the seed). */
  readonly ttlSeconds?: number;
  /** Time source, default the system clock. */
  readonly clock?: Clock;
  /** A fixed id (tests, replay of seed artifacts); default `randomId('proposal')`. */
  readonly proposalId?: string;
}

const FIELD_KEYS = ['proposalId', 'kind', 'subjectId', 'title', 'description', 'proposerDid', 'parameters', 'createdAt', 'expiresAt'] as const;
const STATUSES: readonly ProposalStatus[] = ['open', 'passed', 'rejected', 'expired'];

function fieldsError(f: Record<string, unknown>): string | null {
  return (
    checkString('proposalId', f['proposalId'], MAX_ID_LENGTH) ??
    (isProposalKind(f['kind']) ? null : `"kind" expected one of ${PROPOSAL_KINDS.join(', ')}, got ${JSON.stringify(String(f['kind']).slice(0, 40))}`) ??
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
    let parameters: Record<string, unknown>;
    try {
      parameters = JSON.parse(canonicalize(f['parameters'])) as Record<string, unknown>;
    } catch (cause) {
      throw new InvalidProposalError(`invalid proposal: "parameters" is not I-JSON: ${(cause as Error).message}`, { cause });
    }
    this.proposalId = fields.proposalId;
    this.kind = fields.kind;
    this.subjectId = fields.subjectId;
    this.title = fields.title;
    this.description = fields.description;
    this.proposerDid = fields.proposerDid;
    this.parameters = deepFreeze(parameters);
    this.createdAt = fields.createdAt;
    this.expiresAt = fields.expiresAt;
  }

  /**
   * Creates an open proposal expiring `ttlSeconds` (default 86400) after now.
   * @throws InvalidProposalError for an unknown kind or bad field; RangeError for a bad `ttlSeconds`.
   */
  static create(kind: ProposalKind, subjectId: string, title: string, proposerDid: string, options: CreateProposalOptions = {}): GovernanceProposal {
    const ttl = options.ttlSeconds ?? 86_400;
    if (!Number.isSafeInteger(ttl) || ttl < 1) throw new RangeError(`"ttlSeconds" expected a positive integer, got ${String(ttl)}`);
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

  /** JSON view: the camelCase body plus `status` (and no signature; see `envelope`). */
  toJSON(): GovernanceProposalFields & { status: ProposalStatus } {
    return { ...this.body(), status: this.status };
  }

  /**
   * Parses {@link toJSON} output (status optional, default `'open'`).
   * @throws InvalidProposalError for a malformed object.
   */
  static fromJSON(json: unknown): GovernanceProposal {
    if (!isPlainObject(json)) throw new InvalidProposalError('proposal JSON expected an object');
    const keys = checkKeys(json, FIELD_KEYS, ['status']);
    if (keys !== null) throw new InvalidProposalError(`invalid proposal: ${keys}`);
    const status = json['status'] ?? 'open';
    if (!STATUSES.includes(status as ProposalStatus)) throw new InvalidProposalError(`invalid proposal: unknown status ${JSON.stringify(status)}`);
    const p = new GovernanceProposal(json as unknown as GovernanceProposalFields);
    p.status = status as ProposalStatus;
    return p;
  }
}

/** Longest accepted proposal lifetime (`expiresAt − createdAt`): 30 days. */
export const MAX_PROPOSAL_TTL_SECONDS = 30 * 86_400;

/**
 * Why a proposal's time window is unacceptable, or null: `createdAt` / `expiresAt` must be RFC 3339,
 * `createdAt ≤ expiresAt`, and the lifetime at most {@link MAX_PROPOSAL_TTL_SECONDS}.
 */
export function proposalWindowError(p: Pick<GovernanceProposalFields, 'createdAt' | 'expiresAt'>): string | null {
  let created: number;
  let expires: number;
  try {
    created = parseRfc3339(p.createdAt).getTime();
  } catch {
    return '"createdAt" expected an RFC 3339 time';
  }
  try {
    expires = parseRfc3339(p.expiresAt).getTime();
  } catch {
    return '"expiresAt" expected an RFC 3339 time';
  }
  if (created > expires) return '"createdAt" is after "expiresAt"';
  if (expires - created > MAX_PROPOSAL_TTL_SECONDS * 1000) return `lifetime exceeds the maximum of ${MAX_PROPOSAL_TTL_SECONDS} seconds`;
  return null;
}
