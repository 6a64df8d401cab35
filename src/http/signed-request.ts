// Signed service-to-service requests (DESIGN.md "Services"): the caller signs
// PAE(application/vnd.quorumkit.http-request+json;v=1, JCS{ method, path, bodySha3_256, timestamp,
// nonce, keyid, alg }) with its ML-DSA identity and sends it in `qk-*` headers. The server checks
// the key hashes to the keyid, the signature, the body digest, the clock skew and nonce reuse
// (401 on any failure), then whether the caller may call at all (403). Browser-safe.

import { sha3_256 } from '../hash/index.js';
import { base64Decode, base64Encode, toHex } from '../core/bytes.js';
import { canonicalBytes } from '../core/canonical-json.js';
import { parseRfc3339, systemClock, toRfc3339, type Clock } from '../core/clock.js';
import { ForbiddenError, QuorumkitError, UnauthenticatedError } from '../core/errors.js';
import { pae } from '../envelope/pae.js';
import { payloadTypeFor } from '../envelope/payload-type.js';
import type { EnvelopeSigner } from '../envelope/types.js';
import { didFromPublicKey } from '../pq/did.js';
import { verifySignature } from '../pq/ml-dsa.js';

/** Payload type the request signature is bound to (so it can never verify as another artifact). */
export const REQUEST_PAYLOAD_TYPE = payloadTypeFor('http-request');
/** Default tolerated clock difference between caller and server. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;
/** The headers a signed request carries. */
export const SIGNED_REQUEST_HEADERS = ['qk-keyid', 'qk-alg', 'qk-timestamp', 'qk-nonce', 'qk-public-key', 'qk-signature'] as const;

/** What gets signed. */
export interface RequestToSign {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path and query exactly as sent, e.g. `/v1/proposals?x=1`. */
  readonly path: string;
  readonly body: Uint8Array;
}

function signedBytes(method: string, path: string, body: Uint8Array, timestamp: string, nonce: string, keyid: string, alg: string): Uint8Array {
  const fields = { method: method.toUpperCase(), path, bodySha3_256: toHex(sha3_256(body)), timestamp, nonce, keyid, alg };
  return pae(REQUEST_PAYLOAD_TYPE, canonicalBytes(fields));
}

/**
 * Signs a request; returns the headers to add (async).
 * @example
 * const headers = await signRequest(identity, { method: 'POST', path: '/v1/votes', body });
 */
export async function signRequest(signer: EnvelopeSigner, req: RequestToSign, clock: Clock = systemClock): Promise<Record<string, string>> {
  const timestamp = toRfc3339(clock.now());
  const nonce = toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
  const sig = await signer.sign(signedBytes(req.method, req.path, req.body, timestamp, nonce, signer.did, signer.alg));
  return {
    'qk-keyid': signer.did,
    'qk-alg': signer.alg,
    'qk-timestamp': timestamp,
    'qk-nonce': nonce,
    'qk-public-key': base64Encode(signer.publicKey),
    'qk-signature': base64Encode(sig),
  };
}

/** Why {@link NonceCache.add} refused a nonce. */
export type NonceRefusal = 'replay' | 'full';

/**
 * Remembers each nonce until its request's timestamp leaves the accepted skew window, so a captured
 * request cannot be replayed. Entries are never evicted early: when `max` live nonces are held, new
 * ones are refused (the caller retries later) rather than forgetting one that could be replayed.
 */
export class NonceCache {
  readonly #seen = new Map<string, number>();
  readonly #max: number;
  constructor(max = 100_000) {
    this.#max = max;
  }
  /** Live nonces held. */
  get size(): number {
    return this.#seen.size;
  }
  /**
   * Records `nonce`, remembered until `expiresAtMs`; returns null when accepted, else why not.
   * Expired entries are dropped first.
   */
  add(nonce: string, expiresAtMs: number, nowMs: number): NonceRefusal | null {
    for (const [n, expires] of this.#seen) if (expires < nowMs) this.#seen.delete(n);
    if (this.#seen.has(nonce)) return 'replay';
    if (this.#seen.size >= this.#max) return 'full';
    this.#seen.set(nonce, expiresAtMs);
    return null;
  }
}

/** Options of {@link verifySignedRequest}. */
export interface VerifyRequestOptions {
  readonly clock?: Clock;
  readonly maxSkewMs?: number;
  readonly nonces?: NonceCache;
  /** May this did call? (403 when not). Default: anyone with a valid signature. */
  readonly isAllowed?: (did: string) => boolean | Promise<boolean>;
}

/**
 * Verifies a signed request's headers against its method, path and body.
 * @returns the caller's did.
 * @throws QuorumkitError `ERR_UNAUTHENTICATED` (missing/garbled headers, bad signature, skew,
 *   replay) or `ERR_FORBIDDEN` (valid signature, caller not allowed).
 */
export async function verifySignedRequest(
  req: RequestToSign & { readonly headers: (name: string) => string | null | undefined },
  options: VerifyRequestOptions = {},
): Promise<string> {
  const h = (name: (typeof SIGNED_REQUEST_HEADERS)[number]): string => {
    const v = req.headers(name);
    if (typeof v !== 'string' || v.length === 0 || v.length > 16_384) throw unauth(`missing or malformed ${name} header`);
    return v;
  };
  const [keyid, alg, timestamp, nonce, pkText, sigText] = SIGNED_REQUEST_HEADERS.map(h) as [string, string, string, string, string, string];
  if (!/^[0-9a-f]{32}$/.test(nonce)) throw unauth('qk-nonce expected 32 hex digits');
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
    ok = await verifySignature(alg, sig, signedBytes(req.method, req.path, req.body, timestamp, nonce, keyid, alg), publicKey);
  } catch {
    ok = false;
  }
  if (!ok) throw unauth('request signature verification failed');
  const now = (options.clock ?? systemClock).now().getTime();
  const skew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(now - at.getTime()) > skew) throw unauth('request timestamp outside the allowed clock skew');
  // Only callers who may call at all get to record nonces, so outsiders cannot fill the cache.
  if (options.isAllowed && !(await options.isAllowed(keyid))) {
    throw new ForbiddenError(`${keyid} is not allowed to call this endpoint`);
  }
  const refused = options.nonces?.add(nonce, at.getTime() + skew, now);
  if (refused === 'replay') throw unauth('request nonce was already used (replay)');
  if (refused === 'full') throw unauth('too many recent requests to check for replay; retry later');
  return keyid;
}

function unauth(message: string): QuorumkitError {
  return new UnauthenticatedError(message);
}
