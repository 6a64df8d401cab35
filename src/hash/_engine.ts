// The Keccak engine behind quorumkit/hash (internal): one interface, two implementations — WASM
// (assembly/keccak*.ts, _wasm-engine.ts) and @noble/hashes (_noble-engine.ts) — chosen by the shared
// selector of quorumkit/wasm (src/wasm/_select.ts): WASM on the process-wide instance, trying
// initSync() once on first use; noble where WebAssembly is unavailable or a browser main thread
// refuses synchronous compilation, until an instance exists (e.g. after `await init()`).

import { createEngineSelector } from '../wasm/_select.js';
import type { WasmInstance } from '../wasm/_instance.js';
import type { SpongeSpec } from './_spec.js';
import { nobleEngine } from './_noble-engine.js';
import { wasmEngine } from './_wasm-engine.js';

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

const keccakEngines = createEngineSelector<KeccakEngine, 'noble'>({
  fallbackName: 'noble',
  wasm: wasmEngine,
  fallback: () => nobleEngine,
});

/** The engine on a given WASM instance (built once per instance), or noble for null. */
export function engineFor(instance: WasmInstance | null): KeccakEngine {
  return keccakEngines.engineFor(instance);
}

/**
 * The engine used by the public API right now (see the module comment).
 * @throws QuorumkitError `ERR_WASM_INTEGRITY` when the embedded bytes fail their digest check.
 */
export const defaultEngine: () => KeccakEngine = keccakEngines.current;
