// Scratch-memory convention of the quorumkit WASM module.
// Nothing is allocated inside WASM (runtime "stub", no managed objects). Linear memory from
// `scratchBase()` upward belongs to the TS loader (src/wasm/_scratch.ts): it bump-allocates input and
// output regions there, grows the exported `memory` when needed, calls a kernel with pointers and wipes
// the regions afterwards. Below `scratchBase()` lie the module's static data, which kernels only read.

/** Alignment (bytes) of the scratch base; 16 so v128 loads of the first region are aligned. */
const SCRATCH_ALIGN: usize = 16;

/**
 * Returns the first byte of linear memory the TS loader may use as scratch: `__heap_base` rounded
 * up to 16. Constant for a given module; always < `memory.buffer.byteLength` rounded up to a page.
 */
export function scratchBase(): usize {
  return (__heap_base + SCRATCH_ALIGN - 1) & ~(SCRATCH_ALIGN - 1);
}
