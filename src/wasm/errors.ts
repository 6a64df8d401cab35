// WASM errors (see core/errors.ts for the pattern): the runtime cannot run our WebAssembly, the
// embedded bytes fail their integrity check, or a kernel is called before init. All are server
// faults (500).

import { QuorumkitError } from '../core/errors.js';

/** This runtime has no usable WebAssembly (or SIMD when asked), or the module does not compile (`ERR_WASM_UNAVAILABLE`, 500). */
export class WasmUnavailableError extends QuorumkitError {
  static override readonly code: string = 'ERR_WASM_UNAVAILABLE';
  static override readonly status: number = 500;
}

/** The WASM bytes do not match their embedded digest, or a kernel answered out of range (`ERR_WASM_INTEGRITY`, 500). */
export class WasmIntegrityError extends QuorumkitError {
  static override readonly code: string = 'ERR_WASM_INTEGRITY';
  static override readonly status: number = 500;
}

/** A WASM kernel was called before `initSync()` / `init()` (`ERR_WASM_NOT_INITIALIZED`, 500). */
export class WasmNotInitializedError extends QuorumkitError {
  static override readonly code: string = 'ERR_WASM_NOT_INITIALIZED';
  static override readonly status: number = 500;
}

/** Codes thrown by `quorumkit/wasm`. */
export type WasmErrorCode = 'ERR_WASM_UNAVAILABLE' | 'ERR_WASM_INTEGRITY' | 'ERR_WASM_NOT_INITIALIZED';
