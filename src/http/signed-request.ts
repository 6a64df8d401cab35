// Signed service-to-service requests (DESIGN.md "Services"): the caller signs
// PAE(application/vnd.quorumkit.http-request+json;v=1, JCS{ method, path, bodySha3_256, audience,
// timestamp, nonce, keyid, alg }) with its ML-DSA identity and sends it in `qk-*` headers. The
// `audience` names the service the request is for (its did), so a request signed for one node
// never verifies at another; the method is signed exactly as sent (no case folding). The server
// checks the key hashes to the keyid, the signature, the body digest, the audience, the clock skew
// and nonce reuse (401 on any failure), then whether the caller may call at all (403). The replay
// guard may be durable (`DurableStore.replayGuard()`), so a restart does not forget the nonces of
// the skew window; `acceptSignedRequest` lets a server handle the request while the nonce's disk
// write joins the request's own group commit (one fsync, not two), answering only once it is
// durable.
// Request sets: a caller sending several requests at once (the MPC coordinator's round to every
// custodian) may sign them together — one signature over PAE(application/vnd.quorumkit.
// http-request-set+json;v=1, JCS{ requests: [{ method, path, bodySha3_256, audience, nonce }…],
// timestamp, keyid, alg }) — and send each request the usual headers plus `qk-request-set`
// (base64url of the JCS `requests` list). A server accepts such a request only when the set holds
// an entry for exactly it — its method, path, body digest, its own audience and the request's
// nonce — and the signature over the whole set verifies: what one signer asserted for every entry,
// checked entry by entry, so nothing verifies that was not signed for that service. The distinct
// payload type keeps a set signature from ever verifying as a single request. Browser-safe.

import { sha3_256 } from '../hash/index.js';
import { base64Decode, base64Encode, base64urlDecode, base64urlEncode, toHex, utf8Decode } from '../core/bytes.js';
import { parseStrict } from '../core/parse-strict.js';
import { canonicalBytes } from '../core/canonical-json.js';
import { parseRfc3339, systemClock, toRfc3339, type Clock } from '../core/clock.js';
import { assertOptions, optionKeys } from '../core/assert.js';
import { ForbiddenError, QuorumkitError, UnauthenticatedError } from '../core/errors.js';
import { pae } from '../envelope/pae.js';
import { payloadTypeFor } from '../envelope/payload-type.js';
import type { EnvelopeSigner } from '../envelope/types.js';
import type { NonceRefusal, ReplayGuard } from './replay-guard.js';
import { publicKeyFromText } from '../pq/_public-key-cache.js';
import { verifySignature, verifySignatureOffThread } from '../pq/ml-dsa.js';

/** Payload type the request signature is bound to (so it can never verify as another artifact). */
export const REQUEST_PAYLOAD_TYPE = payloadTypeFor('http-request');
/** Default tolerated clock difference between caller and server. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;
/** The headers a signed request carries. */
export const SIGNED_REQUEST_HEADERS = ['qk-keyid', 'qk-alg', 'qk-audience', 'qk-timestamp', 'qk-nonce', 'qk-public-key', 'qk-signature'] as const;
/** Payload type a request-set signature is bound to. */
export const REQUEST_SET_PAYLOAD_TYPE = payloadTypeFor('http-request-set');
/** Most requests one set may sign together. */
export const MAX_REQUEST_SET = 64;
/** Longest accepted audience (a did or an origin). */
export const MAX_AUDIENCE_LENGTH = 512;

/** What gets signed. */
export interface RequestToSign {
  /** The HTTP method, exactly as sent (`POST`, not `post`: it is signed as is). */
  readonly method: string;
  /** Path and query exactly as sent, e.g. `/v1/proposals?x=1`. */
  readonly path: string;
  readonly body: Uint8Array;
  /** The service the request is for: its did (e.g. a governance node's `did:pqaid:…`). */
  readonly audience: string;
}

interface SignedFields {
  readonly timestamp: string;
  readonly nonce: string;
  readonly keyid: string;
  readonly alg: string;
}

function signedBytes(req: RequestToSign, f: SignedFields): Uint8Array {
  const fields = { method: req.method, path: req.path, bodySha3_256: toHex(sha3_256(req.body)), audience: req.audience, ...f };
  return pae(REQUEST_PAYLOAD_TYPE, canonicalBytes(fields));
}

interface SetEntry {
  readonly method: string;
  readonly path: string;
  readonly bodySha3_256: string;
  readonly audience: string;
  readonly nonce: string;
}

function setBytes(entries: readonly SetEntry[], f: Omit<SignedFields, 'nonce'>): Uint8Array {
  return pae(REQUEST_SET_PAYLOAD_TYPE, canonicalBytes({ requests: entries, ...f }));
}

function checkAudience(audience: unknown): void {
  if (typeof audience !== 'string' || audience.length === 0) throw new TypeError('"audience" expected the did of the service the request is for');
  if (audience.length > MAX_AUDIENCE_LENGTH) throw new RangeError(`"audience" expected at most ${MAX_AUDIENCE_LENGTH} characters`);
}

/**
 * Signs several requests with ONE signature (a request set, see the header comment): returns each
 * request's headers, in order. Costs one ML-DSA signature instead of `reqs.length`.
 * @throws TypeError / RangeError for a missing or oversize audience, or 0 or more than
 *   {@link MAX_REQUEST_SET} requests.
 * @example
 * const [h0, h1, h2] = await signRequests(identity, custodians.map((c, i) => ({ method: 'POST', path: '/eval_beaver', body: bodies[i], audience: c.did })));
 */
export async function signRequests(signer: EnvelopeSigner, reqs: readonly RequestToSign[], clock: Clock = systemClock): Promise<Record<string, string>[]> {
  if (!Array.isArray(reqs) || reqs.length === 0 || reqs.length > MAX_REQUEST_SET) throw new RangeError(`"reqs" expected 1..${MAX_REQUEST_SET} requests`);
  for (const r of reqs) checkAudience(r?.audience);
  const timestamp = toRfc3339(clock.now());
  const entries: SetEntry[] = reqs.map((r) => ({ method: r.method, path: r.path, bodySha3_256: toHex(sha3_256(r.body)), audience: r.audience, nonce: toHex(globalThis.crypto.getRandomValues(new Uint8Array(16))) }));
  const sig = base64Encode(await signer.sign(setBytes(entries, { timestamp, keyid: signer.did, alg: signer.alg })));
  const set = base64urlEncode(canonicalBytes(entries));
  const publicKey = base64Encode(signer.publicKey);
  return entries.map((e) => ({
    'qk-audience': e.audience,
    'qk-keyid': signer.did,
    'qk-alg': signer.alg,
    'qk-timestamp': timestamp,
    'qk-nonce': e.nonce,
    'qk-public-key': publicKey,
    'qk-signature': sig,
    'qk-request-set': set,
  }));
}

/** The bytes a received request's signature covers: its own fields, or the set holding exactly it. */
function receivedSignedBytes(req: ReceivedRequest, f: SignedFields & { audience: string }, setText: string | null | undefined): Uint8Array {
  if (setText === undefined || setText === null) return signedBytes({ ...req, audience: f.audience }, f);
  let entries: SetEntry[];
  try {
    if (setText.length > 65_536) throw new Error('too long');
    entries = parseStrict(utf8Decode(base64urlDecode(setText))) as SetEntry[];
  } catch {
    throw unauth('malformed qk-request-set header');
  }
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_REQUEST_SET) throw unauth(`qk-request-set expected 1..${MAX_REQUEST_SET} requests`);
  const digest = toHex(sha3_256(req.body));
  const mine = entries.filter((e) => e !== null && typeof e === 'object' && e.audience === f.audience && e.nonce === f.nonce);
  if (mine.length !== 1 || mine[0]!.method !== req.method || mine[0]!.path !== req.path || mine[0]!.bodySha3_256 !== digest) throw unauth('qk-request-set holds no entry for this request');
  return setBytes(entries, { timestamp: f.timestamp, keyid: f.keyid, alg: f.alg });
}

/**
 * Signs a request for `req.audience`; returns the headers to add (async).
 * @throws TypeError / RangeError for a missing or oversize audience.
 * @example
 * const headers = await signRequest(identity, { method: 'POST', path: '/v1/votes', body, audience: nodeDid });
 */
export async function signRequest(signer: EnvelopeSigner, req: RequestToSign, clock: Clock = systemClock): Promise<Record<string, string>> {
  checkAudience(req?.audience);
  const timestamp = toRfc3339(clock.now());
  const nonce = toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
  const sig = await signer.sign(signedBytes(req, { timestamp, nonce, keyid: signer.did, alg: signer.alg }));
  return {
    'qk-audience': req.audience,
    'qk-keyid': signer.did,
    'qk-alg': signer.alg,
    'qk-timestamp': timestamp,
    'qk-nonce': nonce,
    'qk-public-key': base64Encode(signer.publicKey),
    'qk-signature': base64Encode(sig),
  };
}

/** Options of {@link verifySignedRequest}. */
export interface VerifyRequestOptions {
  readonly clock?: Clock;
  readonly maxSkewMs?: number;
  /** Remembers nonces for the skew window; without one, replays are not detected. */
  readonly nonces?: ReplayGuard;
  /** This service's did: a request signed for another audience is refused (401). */
  readonly audience?: string;
  /** May this did call? (403 when not). Default: anyone with a valid signature. */
  readonly isAllowed?: (did: string) => boolean | Promise<boolean>;
  /**
   * Where the ML-DSA signature is checked: `worker` (default) in a worker thread, so the event loop
   * keeps reading other requests meanwhile; `inline` on the event loop, which spares the two
   * thread hops per request — cheaper in total CPU and latency for a small service answering one
   * request at a time on a machine with no spare core (a few hundred µs of loop time each).
   */
  readonly verify?: 'worker' | 'inline';
}

/** The keys {@link VerifyRequestOptions} may have (anything else is refused). */
export const VERIFY_REQUEST_OPTION_KEYS = optionKeys<VerifyRequestOptions>({ clock: true, maxSkewMs: true, nonces: true, audience: true, isAllowed: true, verify: true });

/** A request as the server received it (what {@link verifySignedRequest} checks). */
export type ReceivedRequest = Omit<RequestToSign, 'audience'> & { readonly headers: (name: string) => string | null | undefined };

/**
 * Verifies a signed request's headers against its method, path and body.
 * @returns the caller's did.
 * @throws QuorumkitError `ERR_UNAUTHENTICATED` (missing/garbled headers, bad signature, skew,
 *   replay) or `ERR_FORBIDDEN` (valid signature, caller not allowed).
 */
export async function verifySignedRequest(req: ReceivedRequest, options: VerifyRequestOptions = {}): Promise<string> {
  const { caller, nonceRecorded } = await acceptSignedRequest(req, options);
  await nonceRecorded;
  return caller;
}

/**
 * {@link verifySignedRequest} for a server that handles the request while its nonce is being
 * recorded: a replay is refused before this returns, and `nonceRecorded` settles once the nonce
 * is durable (at once for a guard without `reserve`). Answer the request only after it resolves;
 * when it rejects, answer with an error.
 * @throws as {@link verifySignedRequest}.
 */
export async function acceptSignedRequest(req: ReceivedRequest, options: VerifyRequestOptions = {}): Promise<{ caller: string; nonceRecorded: Promise<void> }> {
  assertOptions('options', options, VERIFY_REQUEST_OPTION_KEYS);
  const h = (name: (typeof SIGNED_REQUEST_HEADERS)[number]): string => {
    const v = req.headers(name);
    if (typeof v !== 'string' || v.length === 0 || v.length > 16_384) throw unauth(`missing or malformed ${name} header`);
    return v;
  };
  const [keyid, alg, audience, timestamp, nonce, pkText, sigText] = SIGNED_REQUEST_HEADERS.map(h) as [string, string, string, string, string, string, string];
  if (!/^[0-9a-f]{32}$/.test(nonce)) throw unauth('qk-nonce expected 32 hex digits');
  if (audience.length > MAX_AUDIENCE_LENGTH) throw unauth('qk-audience is too long');
  let key: { publicKey: Uint8Array; did: string };
  let sig: Uint8Array;
  let at: Date;
  try {
    key = publicKeyFromText(pkText);
    sig = base64Decode(sigText);
    at = parseRfc3339(timestamp);
  } catch {
    throw unauth('malformed signed-request headers');
  }
  const publicKey = key.publicKey;
  if (key.did !== keyid) throw unauth('qk-public-key does not hash to qk-keyid');
  if (options.verify !== undefined && options.verify !== 'worker' && options.verify !== 'inline') throw new TypeError('"verify" expected "worker" or "inline"');
  let ok = false;
  try {
    // By default off the event loop: the server keeps reading other requests while this one is checked.
    const verify = options.verify === 'inline' ? verifySignature : verifySignatureOffThread;
    ok = await verify(alg, sig, receivedSignedBytes(req, { audience, timestamp, nonce, keyid, alg }, req.headers('qk-request-set')), publicKey);
  } catch (e) {
    if (e instanceof UnauthenticatedError) throw e;
    ok = false;
  }
  if (!ok) throw unauth('request signature verification failed');
  if (options.audience !== undefined && audience !== options.audience) throw unauth('request was signed for another service (qk-audience)');
  const now = (options.clock ?? systemClock).now().getTime();
  const skew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(now - at.getTime()) > skew) throw unauth('request timestamp outside the allowed clock skew');
  // Only callers who may call at all get to record nonces, so outsiders cannot fill the cache.
  if (options.isAllowed && !(await options.isAllowed(keyid))) {
    throw new ForbiddenError(`${keyid} is not allowed to call this endpoint`);
  }
  const guard = options.nonces;
  let refused: NonceRefusal | null = null;
  let nonceRecorded = RECORDED;
  if (guard?.reserve !== undefined) {
    const r = guard.reserve(nonce, at.getTime() + skew, now);
    if (r.refused === null) nonceRecorded = r.durable;
    else refused = r.refused;
  } else if (guard !== undefined) {
    refused = await guard.add(nonce, at.getTime() + skew, now);
  }
  if (refused === 'replay') throw unauth('request nonce was already used (replay)');
  if (refused === 'full') throw unauth('too many recent requests to check for replay; retry later');
  return { caller: keyid, nonceRecorded };
}

const RECORDED: Promise<void> = Promise.resolve();

function unauth(message: string): QuorumkitError {
  return new UnauthenticatedError(message);
}
