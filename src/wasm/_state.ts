// The process-wide default WASM instance (internal). Set once by initSync()/init() in loader.ts;
// read by the kernel wrappers (ct-equal.ts, ...). Kept apart from loader.ts so wrappers and the
// loader do not import each other.

import type { WasmInstance } from './_instance.js';
import { WasmNotInitializedError } from './errors.js';

let current: WasmInstance | null = null;

/** Returns the default instance, or null before initSync()/init() succeeded. */
export function currentWasm(): WasmInstance | null {
  return current;
}

/** Installs the default instance (loader.ts only). */
export function setCurrentWasm(instance: WasmInstance): void {
  current = instance;
}

/** Forgets the default instance (loader.ts `_resetWasm` only). */
export function clearCurrentWasm(): void {
  current = null;
}

/**
 * Returns the default instance.
 * @throws QuorumkitError `ERR_WASM_NOT_INITIALIZED` before initSync()/init() succeeded.
 */
export function requireWasm(): WasmInstance {
  if (current === null) {
    throw new WasmNotInitializedError(
      'quorumkit WASM is not initialized; call initSync() (Node, workers) or await init() (browsers) first',
    );
  }
  return current;
}
