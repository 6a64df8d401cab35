// Signed service-to-service requests (DESIGN.md "Services"): the caller signs
// PAE(application/vnd.quorumkit.http-request+json;v=1, JCS{ method, path, bodySha3_256, audience,
// timestamp, nonce, keyid, alg }) with its ML-DSA identity and sends it in `qk-*` headers. The
// `audience` names the service the request is for (its did), so a request signed for one node
// never verifies at another; the method is signed exactly as sent (no case folding). The server
// checks the key hashes to the keyid, the signature, the body digest, the audience, the clock skew
// and nonce reuse (401 on any failure), then whether the caller may call at all (403). The replay
// guard may be durable (`DurableStore.replayGuard()`), so a restart does not forget the nonces of
// the skew window. Browser-safe.

import { sha3_256 } from '../hash/index.js';
import { base64Decode, base64Encode, toHex } from '../core/bytes.js';
import { canonicalBytes } from '../core/canonical-json.js';
import { parseRfc3339, systemClock, toRfc3339, type Clock } from '../core/clock.js';
import { assertOptions, optionKeys } from '../core/assert.js';
import { ForbiddenError, QuorumkitError, UnauthenticatedError } from '../core/errors.js';
import { pae } from '../envelope/pae.js';
import { payloadTypeFor } from '../envelope/payload-type.js';
import type { EnvelopeSigner } from '../envelope/types.js';
import type { ReplayGuard } from './replay-guard.js';
import { didFromPublicKey } from '../pq/did.js';
import { verifySignature } from '../pq/ml-dsa.js';

/** Payload type the request signature is bound to (so it can never verify as another artifact). */
export const REQUEST_PAYLOAD_TYPE = payloadTypeFor('http-request');
/** Default tolerated clock difference between caller and server. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;
/** The headers a signed request carries. */
export const SIGNED_REQUEST_HEADERS = ['qk-keyid', 'qk-alg', 'qk-audience', 'qk-timestamp', 'qk-nonce', 'qk-public-key', 'qk-signature'] as const;
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

/**
 * Signs a request for `req.audience`; returns the headers to add (async).
 * @throws TypeError / RangeError for a missing or oversize audience.
 * @example
 * const headers = await signRequest(identity, { method: 'POST', path: '/v1/votes', body, audience: nodeDid });
 */
export async function signRequest(signer: EnvelopeSigner, req: RequestToSign, clock: Clock = systemClock): Promise<Record<string, string>> {
  if (typeof req?.audience !== 'string' || req.audience.length === 0) throw new TypeError('"audience" expected the did of the service the request is for');
  if (req.audience.length > MAX_AUDIENCE_LENGTH) throw new RangeError(`"audience" expected at most ${MAX_AUDIENCE_LENGTH} characters`);
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
}

/** The keys {@link VerifyRequestOptions} may have (anything else is refused). */
export const VERIFY_REQUEST_OPTION_KEYS = optionKeys<VerifyRequestOptions>({ clock: true, maxSkewMs: true, nonces: true, audience: true, isAllowed: true });

/**
 * Verifies a signed request's headers against its method, path and body.
 * @returns the caller's did.
 * @throws QuorumkitError `ERR_UNAUTHENTICATED` (missing/garbled headers, bad signature, skew,
 *   replay) or `ERR_FORBIDDEN` (valid signature, caller not allowed).
 */
export async function verifySignedRequest(
  req: Omit<RequestToSign, 'audience'> & { readonly headers: (name: string) => string | null | undefined },
  options: VerifyRequestOptions = {},
): Promise<string> {
  assertOptions('options', options, VERIFY_REQUEST_OPTION_KEYS);
  const h = (name: (typeof SIGNED_REQUEST_HEADERS)[number]): string => {
    const v = req.headers(name);
    if (typeof v !== 'string' || v.length === 0 || v.length > 16_384) throw unauth(`missing or malformed ${name} header`);
    return v;
  };
  const [keyid, alg, audience, timestamp, nonce, pkText, sigText] = SIGNED_REQUEST_HEADERS.map(h) as [string, string, string, string, string, string, string];
  if (!/^[0-9a-f]{32}$/.test(nonce)) throw unauth('qk-nonce expected 32 hex digits');
  if (audience.length > MAX_AUDIENCE_LENGTH) throw unauth('qk-audience is too long');
  let publicKey: Uint8Array;
  let sig: Uint8Array;
  let at: Date;
  try {
    publicKey = base64Decode(pkText);
    sig = base64Decode(sigText);
    at = parseRfc3339(timestamp);
  } catch {
    throw unauth('malformed signed-request headers');
  }
  if (didFromPublicKey(publicKey) !== keyid) throw unauth('qk-public-key does not hash to qk-keyid');
  let ok = false;
  try {
    ok = await verifySignature(alg, sig, signedBytes({ ...req, audience }, { timestamp, nonce, keyid, alg }), publicKey);
  } catch {
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
  const refused = await options.nonces?.add(nonce, at.getTime() + skew, now);
  if (refused === 'replay') throw unauth('request nonce was already used (replay)');
  if (refused === 'full') throw unauth('too many recent requests to check for replay; retry later');
  return keyid;
}

function unauth(message: string): QuorumkitError {
  return new UnauthenticatedError(message);
}
