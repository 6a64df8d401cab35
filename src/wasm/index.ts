// quorumkit/wasm — the embedded WebAssembly kernels (AssemblyScript, assembly/) and their loader.
// Public surface only; `_`-prefixed modules are internal.

export { init, initSync, isInitialized, wasmExports, wasmInfo } from './loader.js';
export type { InitOptions, QuorumkitWasmExports, WasmBuild, WasmInfo } from './loader.js';
export { simdSupported, wasmSupported } from './features.js';
export { ctEqualWasm } from './ct-equal.js';
export { WasmUnavailableError, WasmIntegrityError, WasmNotInitializedError, type WasmErrorCode } from './errors.js';
