// WebAssembly feature detection. SIMD: WebAssembly SIMD proposal (fixed-width 128-bit, phase 5),
// detected the way wasm-feature-detect does: validate a minimal module that uses v128 instructions.

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
// i8x16.popcnt is one of the last opcodes fixed in the final SIMD spec, so pre-standard engines fail.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: func 0 has type 0
  0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x62, 0x0b, // code section
]);

let simdCache: boolean | undefined;

/**
 * Returns true when this runtime has WebAssembly and validates fixed-width SIMD (v128) code.
 * The probe runs once; the answer is cached. Never throws.
 * @example
 * initSync({ simd: simdSupported() }); // what initSync() picks by default anyway
 */
export function simdSupported(): boolean {
  if (simdCache === undefined) {
    try {
      simdCache = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
    } catch {
      simdCache = false;
    }
  }
  return simdCache;
}

/** Returns true when the global `WebAssembly` API is present (some locked-down runtimes remove it). */
export function wasmSupported(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.Module === 'function';
}
