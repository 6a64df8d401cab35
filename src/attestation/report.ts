// The attestation report (the seed's claim.py AttestationReport): claims under one ML-DSA
// signature with a validity window (TTL 300 s by default). Its *body* — report_id, claims,
// attester_id, platform, issued_at, expires_at — serialized as the seed does (sorted keys, no
// whitespace, UTF-8: RFC 8785 canonical JSON gives the same bytes for these documents) is what is
// signed; quorumkit signs it as an envelope (payload type `attestation-report`, PAE as every
// quorumkit envelope) instead of the seed's raw signature over its SHA3-256 digest, which
// reportDigest still computes. Reports cross boundaries as JSON read with parseStrict and checked
// here (parseReport). Browser-safe.

import { canonicalBytes, canonicalize } from '../core/canonical-json.js';
import { MAX_CHUNK_BYTES, sha3_256 } from '../hash/index.js';
import type { Envelope } from '../envelope/types.js';
import { checkEnvelopeShape } from '../envelope/shape.js';
import { parseTimestamp, pythonIsoformat } from './_time.js';
import type { AttestationClaim } from './claim.js';
import { randomUrn } from './claim.js';
import { AttestationError } from './errors.js';
import { memoryRegion, type MemoryRegion, type RegionSnapshot } from './region.js';

/** Default report lifetime, seconds (the seed's). */
export const DEFAULT_REPORT_TTL_S = 300;
/** Longest lifetime a report may declare, seconds. */
export const MAX_REPORT_TTL_S = 86_400;
/** Most claims one report carries. */
export const MAX_CLAIMS = 4096;

/** The signed part of a report. */
export interface ReportBody {
  readonly report_id: string;
  readonly claims: readonly AttestationClaim[];
  readonly attester_id: string;
  readonly platform: string;
  readonly issued_at: string;
  readonly expires_at: string;
}

/** A report: its body, who signed it and how, and the envelope (null until signed). */
export interface AttestationReport extends ReportBody {
  readonly signer_did: string;
  /** `ML-DSA-44` / `ML-DSA-65` / `ML-DSA-87` ('' until signed). */
  readonly algorithm: string;
  readonly envelope: Envelope | null;
}

/**
 * An unsigned report over `claims`, issued now (or at `now`), expiring `ttlSeconds` later.
 * @throws AttestationError for a ttl outside 1..MAX_REPORT_TTL_S or too many claims.
 */
export function createReport(claims: readonly AttestationClaim[], o: { attesterId?: string; platform?: string; ttlSeconds?: number; now?: Date } = {}): AttestationReport {
  const ttl = o.ttlSeconds ?? DEFAULT_REPORT_TTL_S;
  if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_REPORT_TTL_S) throw new AttestationError(`"ttlSeconds" expected 1..${MAX_REPORT_TTL_S}`);
  if (!Array.isArray(claims) || claims.length > MAX_CLAIMS) throw new AttestationError(`"claims" expected at most ${MAX_CLAIMS} claims`);
  const now = o.now ?? new Date();
  return {
    report_id: randomUrn('urn:pqc-attreport:'),
    claims: [...claims],
    attester_id: o.attesterId ?? '',
    platform: o.platform ?? '',
    issued_at: pythonIsoformat(now),
    expires_at: pythonIsoformat(new Date(now.getTime() + ttl * 1000)),
    signer_did: '',
    algorithm: '',
    envelope: null,
  };
}

/** The signed part of a report. */
export function reportBody(r: ReportBody): ReportBody {
  return { report_id: r.report_id, claims: r.claims, attester_id: r.attester_id, platform: r.platform, issued_at: r.issued_at, expires_at: r.expires_at };
}

/** The body's canonical bytes (the seed's `canonical_bytes()`). */
export function canonicalReportBytes(r: ReportBody): Uint8Array {
  return canonicalBytes(reportBody(r));
}

/** SHA3-256 of the canonical bytes (the digest the seed signs; also what TEE evidence binds, see binding.ts). */
export function reportDigest(r: ReportBody): Uint8Array {
  return sha3_256(canonicalReportBytes(r));
}

/** Has the report's window closed at `now`? A report without `expires_at` never expires (the seed's rule). */
export function isExpired(r: ReportBody, now: Date = new Date()): boolean {
  if (r.expires_at === '') return false;
  const exp = parseTimestamp(r.expires_at);
  return exp === null || now.getTime() > exp.getTime();
}

/** The report as JSON text (canonical). */
export function reportToJson(r: AttestationReport): string {
  return canonicalize(r);
}

const HEX64 = /^[0-9a-f]{64}$/;
const fail = (what: string): never => { throw new AttestationError(`report: ${what}`); };
const str = (v: unknown, what: string, max = 4096): string => (typeof v === 'string' && v.length <= max ? v : fail(`"${what}" expected a string of at most ${max} characters`));
function obj(v: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(`"${what}" expected an object`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`"${what}" has an unknown field "${k}"`);
  return o;
}
const time = (v: unknown, what: string): string => {
  const s = str(v, what, 64);
  if (s !== '' && parseTimestamp(s) === null) fail(`"${what}" expected an RFC 3339 timestamp`);
  return s;
};

function parseSnapshot(v: unknown, at: string): RegionSnapshot {
  const o = obj(v, at, ['region_id', 'content_hash', 'size', 'taken_at', 'hash_alg', 'chunk_bytes']);
  const h = str(o['content_hash'], `${at}.content_hash`, 64);
  if (!HEX64.test(h)) fail(`"${at}.content_hash" expected 64 lower-case hex digits`);
  if (!Number.isSafeInteger(o['size']) || (o['size'] as number) < 0) fail(`"${at}.size" expected a non-negative integer`);
  const base = { region_id: str(o['region_id'], `${at}.region_id`, 256), content_hash: h, size: o['size'] as number, taken_at: time(o['taken_at'], `${at}.taken_at`) };
  if (o['hash_alg'] === undefined && o['chunk_bytes'] === undefined) return base;
  if (o['hash_alg'] !== 'sha3-256-tree') fail(`"${at}.hash_alg" expected "sha3-256-tree"`);
  const c = o['chunk_bytes'];
  if (!Number.isSafeInteger(c) || (c as number) < 1 || (c as number) > MAX_CHUNK_BYTES) fail(`"${at}.chunk_bytes" expected 1..${MAX_CHUNK_BYTES}`);
  return { ...base, hash_alg: 'sha3-256-tree', chunk_bytes: c as number };
}

function parseClaim(v: unknown, at: string): AttestationClaim {
  const o = obj(v, at, ['claim_id', 'region', 'snapshot', 'expected_hash', 'workload_id', 'platform', 'nonce']);
  const r = obj(o['region'], `${at}.region`, ['region_id', 'description', 'address', 'size', 'protection']);
  let region: MemoryRegion;
  try {
    region = memoryRegion(r as Parameters<typeof memoryRegion>[0]);
  } catch (e) {
    return fail(`${at}.region: ${(e as Error).message}`);
  }
  const expected = str(o['expected_hash'] ?? '', `${at}.expected_hash`, 64);
  if (expected !== '' && !HEX64.test(expected)) fail(`"${at}.expected_hash" expected 64 lower-case hex digits or ""`);
  return {
    claim_id: str(o['claim_id'], `${at}.claim_id`, 256), region, snapshot: parseSnapshot(o['snapshot'], `${at}.snapshot`), expected_hash: expected,
    workload_id: str(o['workload_id'] ?? '', `${at}.workload_id`, 256), platform: str(o['platform'] ?? '', `${at}.platform`, 64), nonce: str(o['nonce'] ?? '', `${at}.nonce`, 256),
  };
}

/**
 * A report from its JSON value (read the text with parseStrict): every field checked, unknown
 * fields refused. The envelope's shape is checked here, its signature by the verifier.
 * @throws AttestationError naming the first bad field.
 */
export function parseReport(value: unknown): AttestationReport {
  const o = obj(value, 'report', ['report_id', 'claims', 'attester_id', 'platform', 'issued_at', 'expires_at', 'signer_did', 'algorithm', 'envelope']);
  const claims = o['claims'];
  if (!Array.isArray(claims) || claims.length > MAX_CLAIMS) fail(`"claims" expected an array of at most ${MAX_CLAIMS}`);
  let envelope: Envelope | null = null;
  if (o['envelope'] !== null && o['envelope'] !== undefined) {
    const bad = checkEnvelopeShape(o['envelope']);
    if (bad !== null) fail(bad);
    envelope = o['envelope'] as Envelope;
  }
  return {
    report_id: str(o['report_id'], 'report_id', 256),
    claims: (claims as unknown[]).map((c, i) => parseClaim(c, `claims[${i}]`)),
    attester_id: str(o['attester_id'] ?? '', 'attester_id', 256),
    platform: str(o['platform'] ?? '', 'platform', 64),
    issued_at: time(o['issued_at'] ?? '', 'issued_at'),
    expires_at: time(o['expires_at'] ?? '', 'expires_at'),
    signer_did: str(o['signer_did'] ?? '', 'signer_did', 256),
    algorithm: str(o['algorithm'] ?? '', 'algorithm', 32),
    envelope,
  };
}
