// Constant-time byte equality on the WASM kernel `ctEqual` (assembly/ct-equal.ts).
// Cost model: both inputs are copied into scratch memory before the call, so for short inputs
// (digests, MACs: tens of bytes) the copies and the JS→WASM call dominate and the pure-TS loop in
// core is as fast; the kernel pays off on long inputs (8–16 bytes per step). Correctness and one
// end-to-end path matter more here than speed on 32 bytes.

import { assertBytes } from '../core/assert.js';
import type { WasmInstance } from './_instance.js';
import { requireWasm } from './_state.js';
import { WasmIntegrityError } from './errors.js';

/**
 * Runs the `ctEqual` kernel of `instance` on two arrays of equal length: copies both into scratch,
 * calls in, and wipes the scratch copies in `finally`. Internal (not re-exported): the loader
 * registers it with core, and tests call it on a specific build.
 * @throws QuorumkitError `ERR_WASM_INTEGRITY` if the kernel returns anything but 0 or 1.
 */
export function ctEqualOn(instance: WasmInstance, a: Uint8Array, b: Uint8Array): boolean {
  const { scratch, exports } = instance;
  const mark = scratch.mark();
  try {
    const aPtr = scratch.write(a);
    const bPtr = scratch.write(b);
    const r = exports.ctEqual(aPtr, bPtr, a.length);
    if (r !== 0 && r !== 1) throw new WasmIntegrityError(`ctEqual kernel returned ${r}, expected 0 or 1`);
    return r === 1;
  } finally {
    scratch.release(mark);
  }
}

/**
 * Returns true when `a` and `b` hold the same bytes, comparing in WASM in time that depends only on
 * the length. A length mismatch returns false at once (lengths are public).
 * Most callers want core's `constantTimeEqual`, which uses this kernel once WASM is initialized.
 * @throws TypeError when an argument is not a Uint8Array; QuorumkitError `ERR_WASM_NOT_INITIALIZED`
 * before initSync()/init().
 * @example
 * initSync();
 * ctEqualWasm(computedMac, receivedMac); // → boolean
 */
export function ctEqualWasm(a: Uint8Array, b: Uint8Array): boolean {
  assertBytes('a', a);
  assertBytes('b', b);
  const instance = requireWasm();
  if (a.length !== b.length) return false;
  return ctEqualOn(instance, a, b);
}
