// The one place that chooses "WASM or fallback" for an area (internal; STYLE.md "WASM plumbing").
// An area (quorumkit/field, quorumkit/hash, ...) describes how to build its engine on a quorumkit.wasm
// instance and what its pure-TS fallback is; the selector answers with the engine on the
// process-wide default instance (loader.ts) when there is one, else the fallback:
// - nobody called initSync()/init() yet: the first call tries initSync() once;
// - initSync() reports ERR_WASM_UNAVAILABLE (no WebAssembly, a feature missing, or a browser main
//   thread that refuses synchronous compilation): the fallback answers, with no further sync
//   attempts, until an instance exists (e.g. after `await init()`), then the WASM engine does;
// - any other failure (ERR_WASM_INTEGRITY: bytes that do not match their digest) is thrown, never
//   hidden behind the fallback, and the next call tries again;
// - the default instance changed (tests reset it): the engine is rebuilt for the new one.
// Engines are built at most once per instance; the hot path is one comparison.

import { WasmUnavailableError } from './errors.js';
import type { WasmInstance } from './_instance.js';
import { initSync } from './loader.js';
import { currentWasm } from './_state.js';

/** What an area tells {@link createEngineSelector}. */
export interface EngineSelectorSpec<E, F extends string> {
  /** Name reported by {@link EngineSelector.backend} while the fallback answers (`'reference'`, `'noble'`). */
  readonly fallbackName: F;
  /** Builds the area's engine on one instance; called at most once per instance. */
  readonly wasm: (instance: WasmInstance) => E;
  /** Returns the pure-TS fallback engine; called at most once, on first use. */
  readonly fallback: () => E;
}

/** An area's engine choice (see the module comment for the rules). */
export interface EngineSelector<E, F extends string> {
  /**
   * The engine to use now: WASM on the default instance, else the fallback.
   * @throws whatever initSync() throws other than `ERR_WASM_UNAVAILABLE` (e.g. `ERR_WASM_INTEGRITY`),
   * and whatever the area's `wasm` builder throws.
   */
  current(): E;
  /** `'wasm'` or the fallback's name, for the engine {@link current} returns now (same throws). */
  backend(): 'wasm' | F;
  /**
   * The engine on `instance` (built once per instance), or the fallback for null; selects nothing.
   * Tests pin a build with it: `engineFor(_loadBuild('debug'))`.
   */
  engineFor(instance: WasmInstance | null): E;
}

/**
 * Creates the selector of one area.
 * @example
 * const keccak = createEngineSelector({ fallbackName: 'noble', wasm: wasmEngine, fallback: () => nobleEngine });
 * keccak.current().hash(SHA3_256, msg, 32);
 */
export function createEngineSelector<E, F extends string>(spec: EngineSelectorSpec<E, F>): EngineSelector<E, F> {
  const { fallbackName, wasm, fallback } = spec;
  const built = new WeakMap<WasmInstance, E>();
  let fallbackEngine: { readonly engine: E } | null = null;
  let lastInstance: WasmInstance | null = null;
  let lastEngine: E | undefined;
  let syncRefused = false;

  function engineFor(instance: WasmInstance | null): E {
    if (instance === null) {
      fallbackEngine ??= { engine: fallback() };
      return fallbackEngine.engine;
    }
    if (!built.has(instance)) built.set(instance, wasm(instance));
    return built.get(instance) as E;
  }

  /** The default instance, after one initSync() attempt when there is none and none was refused. */
  function defaultInstance(): WasmInstance | null {
    let cur = currentWasm();
    if (cur === null && !syncRefused) {
      try {
        initSync();
      } catch (err) {
        if (!(err instanceof WasmUnavailableError)) throw err;
        syncRefused = true;
      }
      cur = currentWasm();
    }
    // an instance exists now: should it ever go away (tests reset it), trying initSync() again is right
    if (cur !== null) syncRefused = false;
    return cur;
  }

  function select(): E {
    const inst = defaultInstance();
    if (inst === null) return engineFor(null);
    const engine = engineFor(inst);
    lastInstance = inst;
    lastEngine = engine;
    return engine;
  }

  function current(): E {
    const cur = currentWasm();
    if (cur !== null && cur === lastInstance) return lastEngine as E;
    return select();
  }

  function backend(): 'wasm' | F {
    current(); // answers with WASM exactly when a default instance exists afterwards
    return currentWasm() === null ? fallbackName : 'wasm';
  }

  return { current, backend, engineFor };
}
