// Pluggable backend for constant-time byte equality (internal; not part of the public exports map).
// core must never import wasm (DESIGN.md layers), so the WASM layer registers its kernel here at
// init time instead. With nothing registered, bytes.ts uses its pure-TS loop.

/** A constant-time equality kernel for two byte arrays of the SAME length. */
export type ConstantTimeEqualBackend = (a: Uint8Array, b: Uint8Array) => boolean;

let backend: ConstantTimeEqualBackend | null = null;

/**
 * Registers (or, with `null`, removes) the kernel {@link constantTimeEqual} dispatches to.
 * The kernel is only ever called with two arrays of equal length; it must not exit early on content.
 * @throws TypeError when `fn` is neither a function nor null.
 */
export function setConstantTimeEqualBackend(fn: ConstantTimeEqualBackend | null): void {
  if (fn !== null && typeof fn !== 'function') {
    throw new TypeError(`"fn" expected a function or null, got ${typeof fn}`);
  }
  backend = fn;
}

/** Returns the registered constant-time equality kernel, or null when the pure-TS loop is in use. */
export function getConstantTimeEqualBackend(): ConstantTimeEqualBackend | null {
  return backend;
}
