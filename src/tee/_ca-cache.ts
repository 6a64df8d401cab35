// Parsed CA certificates by their exact DER bytes (AMD ASK/ASVK/ARK, Intel PCK Platform/Processor
// CA and SGX Root CA): a verifier checking many reports from one fleet sees the same few CA
// certificates over and over, and the same bytes always decode to the same certificate, so the
// decoding is kept. Only decoding: every signature, name, validity and chain check still runs on
// every call, and leaf certificates (one per chip or platform) are never cached. Bounded (least
// recently used evicted); failures are not cached. Browser-safe. Internal.

import { toHex } from '../core/bytes.js';

/** Most CA certificates kept per cache. */
export const CA_CACHE_ENTRIES = 32;

/** A bounded LRU of decoded certificates keyed by their DER bytes. */
export class CaCertificateCache<T> {
  readonly #entries = new Map<string, T>();

  /** The decoding of `der`, from the cache or by `decode` (whose errors propagate, uncached). */
  get(der: Uint8Array, decode: (der: Uint8Array) => T): T {
    const key = toHex(der);
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const value = decode(der);
    this.#entries.set(key, value);
    if (this.#entries.size > CA_CACHE_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }
}
