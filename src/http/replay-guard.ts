// Replay protection for signed requests: each nonce is remembered until its request's timestamp
// leaves the accepted skew window. `ReplayGuard` is what `verifySignedRequest` needs; `NonceCache`
// keeps nonces in memory (a browser, a test, a process whose restarts may forget them), and a
// service store's `DurableStore.replayGuard()` keeps them on disk, so a restart forgets nothing.
// Browser-safe.

/** Why a nonce was refused. */
export type NonceRefusal = 'replay' | 'full';

/** Remembers nonces; `add` returns null when the nonce is new (and records it), else why not. */
export interface ReplayGuard {
  add(nonce: string, expiresAtMs: number, nowMs: number): NonceRefusal | null | Promise<NonceRefusal | null>;
}

/**
 * In-memory {@link ReplayGuard}. Entries are never evicted early: when `max` live nonces are held,
 * new ones are refused (the caller retries later) rather than forgetting one that could be replayed.
 */
export class NonceCache implements ReplayGuard {
  readonly #seen = new Map<string, number>();
  readonly #max: number;
  constructor(max = 100_000) {
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`"max" expected a positive integer, got ${String(max)}`);
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
    // Insertion order is nearly expiry order (expiry = request time + a fixed window), so expired
    // entries are dropped from the front; a stray later one goes when it reaches the front.
    for (const [n, expires] of this.#seen) {
      if (expires >= nowMs) break;
      this.#seen.delete(n);
    }
    const have = this.#seen.get(nonce);
    if (have !== undefined && have >= nowMs) return 'replay';
    if (this.#seen.size >= this.#max) return 'full';
    this.#seen.set(nonce, expiresAtMs);
    return null;
  }
}
