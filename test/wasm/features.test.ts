import { describe, expect, it } from 'vitest';
import { EMBEDDED_WASM } from '../../src/wasm/_bytes.generated.js';
import { base64Decode } from '../../src/core/bytes.js';
import { simdSupported, wasmSupported } from '../../src/wasm/features.js';

describe('WASM feature detection', () => {
  it('detects SIMD on Node 24 (V8 ships fixed-width SIMD)', () => {
    expect(wasmSupported()).toBe(true);
    expect(simdSupported()).toBe(true);
    expect(simdSupported()).toBe(true); // cached answer
  });

  it('every embedded build validates here and is labelled by its target', () => {
    for (const [target, e] of Object.entries(EMBEDDED_WASM)) {
      const bytes = base64Decode(e.base64);
      expect(bytes.length, target).toBe(e.byteLength);
      expect(WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>), target).toBe(true);
      expect(e.simd, target).toBe(target.endsWith('-simd'));
    }
  });
});
