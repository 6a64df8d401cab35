// Per-key serialization for services: the async work of two requests on one key (a governance
// round, an MPC program, a budget) never interleaves, while requests on different keys run
// concurrently. A key lives in the map only while work on it is queued or running, so the map never
// grows past the number of keys in use (no unbounded growth from one-off keys). Browser-safe.

import { QuorumkitError } from '../core/errors.js';

/** Options of {@link KeyedMutex}. */
export interface KeyedMutexOptions {
  /**
   * Most tasks queued (running included) on one key before `run` refuses with
   * {@link MutexQueueFullError} (default 10,000): bounds what one hot key can pile up.
   */
  readonly maxQueuePerKey?: number;
}

/** `run` refused: too many tasks are already queued on that key (`ERR_BUSY`, 429: retry later). */
export class MutexQueueFullError extends QuorumkitError {
  static override readonly code: string = 'ERR_BUSY';
  static override readonly status: number = 429;
}

interface Slot {
  tail: Promise<void>;
  queued: number;
}

/**
 * Runs async tasks one at a time per key, in call order.
 * @example
 * const locks = new KeyedMutex();
 * await locks.run(proposalId, async () => { await check(); store.write(); });
 */
export class KeyedMutex {
  readonly #slots = new Map<string, Slot>();
  readonly #max: number;

  constructor(options: KeyedMutexOptions = {}) {
    const max = options.maxQueuePerKey ?? 10_000;
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`"maxQueuePerKey" expected a positive integer, got ${String(max)}`);
    this.#max = max;
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.#slots.size;
  }

  /** Tasks queued or running on `key` (0 when idle). */
  queued(key: string): number {
    return this.#slots.get(key)?.queued ?? 0;
  }

  /**
   * Runs `fn` once every earlier task on `key` has settled; resolves or rejects as `fn` does. A
   * rejected task does not block the next one.
   * @throws MutexQueueFullError (rejects) when `maxQueuePerKey` tasks are already queued on `key`.
   */
  run<T>(key: string, fn: () => T | Promise<T>): Promise<T> {
    if (typeof key !== 'string') return Promise.reject(new TypeError('"key" expected a string'));
    if (typeof fn !== 'function') return Promise.reject(new TypeError('"fn" expected a function'));
    let slot = this.#slots.get(key);
    if (slot === undefined) this.#slots.set(key, (slot = { tail: Promise.resolve(), queued: 0 }));
    else if (slot.queued >= this.#max) return Promise.reject(new MutexQueueFullError(`too many requests queued on one key (${this.#max}); retry later`));
    const s = slot;
    s.queued++;
    const result = s.tail.then(fn);
    s.tail = result.then(
      () => this.#release(key, s),
      () => this.#release(key, s),
    );
    return result;
  }

  #release(key: string, slot: Slot): void {
    slot.queued--;
    if (slot.queued === 0 && this.#slots.get(key) === slot) this.#slots.delete(key);
  }
}
