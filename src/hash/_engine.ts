// The Keccak engine behind quorumkit/hash (internal): one interface, two implementations — WASM
// (assembly/keccak*.ts, _wasm-engine.ts) and @noble/hashes (_noble-engine.ts) — and the choice of the
// default. The default is WASM on the process-wide instance of quorumkit/wasm: when nobody has called
// initSync()/init() yet, the first hash call tries initSync() once; if that fails (no WebAssembly,
// or a browser main thread that refuses synchronous compilation) hashing uses noble until an
// instance exists (e.g. after `await init()`).

import { initSync } from '../wasm/loader.js';
import { currentWasm } from '../wasm/_state.js';
import type { WasmInstance } from '../wasm/_instance.js';
import type { SpongeSpec } from './_spec.js';
import { nobleEngine } from './_noble-engine.js';
import { wasmEngineFor } from './_wasm-engine.js';

/** A streaming sponge: absorb, then pad once, then squeeze any number of times. */
export interface SpongeState {
  /** Absorbs `data` (FIPS 202 §4). Only before {@link pad}. */
  update(data: Uint8Array): void;
  /**
   * Applies the domain suffix and pad10*1; switches to squeezing. Only once. `ds` overrides the
   * spec's domain byte (bit-length messages fold their last bits into it); WASM engine only.
   */
  pad(ds?: number): void;
  /** Returns the next `n` output bytes. Only after {@link pad}. */
  squeeze(n: number): Uint8Array;
  /** An independent copy of this state. */
  clone(): SpongeState;
  /** Wipes and frees the state; it must not be used again. Idempotent. */
  destroy(): void;
}

/** What every Keccak implementation provides. Inputs are already checked by the public API. */
export interface KeccakEngine {
  readonly name: 'wasm' | 'noble';
  /** `outLen` bytes of the sponge `spec` over `msg`. */
  hash(spec: SpongeSpec, msg: Uint8Array, outLen: number): Uint8Array;
  /** `outLen` bytes per message, in order; `outLen` ≤ rate. */
  hashMany(spec: SpongeSpec, msgs: readonly Uint8Array[], outLen: number): Uint8Array[];
  /**
   * Tree-hash leaves SHA3-256(0x00 ‖ chunk) of `data` split every `chunkBytes` (data.length > 0);
   * writes leaf i at `out[32i, 32i + 32)`; calls `onBytes(n)` after each slice of n input bytes.
   */
  treeLeaves(data: Uint8Array, chunkBytes: number, out: Uint8Array, onBytes?: (n: number) => void): void;
  /** A fresh streaming state for `spec`. */
  createState(spec: SpongeSpec): SpongeState;
}

let autoInitTried = false;

/** The engine for a given WASM instance, or noble for null. */
export function engineFor(instance: WasmInstance | null): KeccakEngine {
  return instance === null ? nobleEngine : wasmEngineFor(instance);
}

let lastInstance: WasmInstance | null = null;
let lastEngine: KeccakEngine | null = null;

/** The engine used by the public API right now (see the module comment). Never throws. */
export function defaultEngine(): KeccakEngine {
  let cur = currentWasm();
  // one compare on the hot path (64-byte digests are dominated by per-call overhead)
  if (cur !== null && cur === lastInstance) return lastEngine!;
  if (cur === null && !autoInitTried) {
    autoInitTried = true;
    try {
      initSync();
    } catch {
      // no WebAssembly here, or synchronous compilation refused: noble until init() succeeds
    }
    cur = currentWasm();
  }
  const engine = engineFor(cur);
  if (cur !== null) {
    lastInstance = cur;
    lastEngine = engine;
  }
  return engine;
}
