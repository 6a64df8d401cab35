// The scalar (no-SIMD) variant, as a runtime without WASM SIMD would load it, through the public API.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { _resetWasm } from '../../src/wasm/loader.js';
import { constantTimeEqual } from '../../src/core/bytes.js';
import { EMBEDDED_WASM } from '../../src/wasm/_bytes.generated.js';
import { initSync, wasmInfo } from '../../src/wasm/index.js';

describe('wasm loader (scalar build)', () => {
  beforeAll(() => _resetWasm()); // fresh state even when test files share a module graph

  it('initSync({ simd: false }) loads the scalar release build', () => {
    initSync({ simd: false });
    expect(wasmInfo()).toMatchObject({ build: 'release', simd: false, sha256: EMBEDDED_WASM.release.sha256 });
  });

  it('core constantTimeEqual agrees with bytewise comparison (law: ct == naive)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (a, b) => {
        const naive = a.length === b.length && a.every((x, i) => x === b[i]);
        expect(constantTimeEqual(a, b)).toBe(naive);
        expect(constantTimeEqual(a, a.slice())).toBe(true);
      }),
    );
  });
});
