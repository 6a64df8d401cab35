// Loader lifecycle when init() comes first: not-initialized errors, idempotent init(), initSync()
// after init(), conflicting builds refused, and core's constantTimeEqual rerouted to the WASM kernel.
// Test order matters: this file relies on a fresh module graph (vitest isolates files).

import { beforeAll, describe, expect, it } from 'vitest';
import { _resetWasm } from '../../src/wasm/loader.js';
import { constantTimeEqual } from '../../src/core/bytes.js';
import { getConstantTimeEqualBackend } from '../../src/core/_ct-backend.js';
import { QuorumkitError } from '../../src/core/errors.js';
import { EMBEDDED_WASM } from '../../src/wasm/_bytes.generated.js';
import { ctEqualWasm, init, initSync, isInitialized, wasmExports, wasmInfo } from '../../src/wasm/index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof QuorumkitError ? err.code : `not a QuorumkitError: ${String(err)}`;
  }
  return undefined;
}

describe('wasm loader (init first)', () => {
  beforeAll(() => _resetWasm()); // fresh state even when test files share a module graph

  it('reports not initialized before init', () => {
    expect(isInitialized()).toBe(false);
    expect(wasmInfo()).toMatchObject({ initialized: false, build: null, sha256: null });
    expect(codeOf(() => wasmExports())).toBe('ERR_WASM_NOT_INITIALIZED');
    expect(codeOf(() => ctEqualWasm(new Uint8Array(1), new Uint8Array(1)))).toBe('ERR_WASM_NOT_INITIALIZED');
    expect(getConstantTimeEqualBackend()).toBeNull();
  });

  it('rejects bad options before doing anything', async () => {
    expect(() => initSync({ build: 'fast' as 'release' })).toThrow(RangeError);
    expect(() => initSync({ simd: 'yes' as unknown as boolean })).toThrow(TypeError);
    expect(() => initSync(null as unknown as undefined)).toThrow(TypeError);
    await expect(init({ build: 'fast' as 'release' })).rejects.toThrow(RangeError);
    expect(isInitialized()).toBe(false);
  });

  it('init() is idempotent: the same promise and the same exports', async () => {
    const p1 = init();
    const p2 = init();
    expect(p2).toBe(p1);
    const ex = await p1;
    expect(await init()).toBe(ex);
    expect(wasmExports()).toBe(ex);
    expect(isInitialized()).toBe(true);
    expect(typeof ex.ctEqual).toBe('function');
    expect(ex.memory).toBeInstanceOf(WebAssembly.Memory);
  });

  it('initSync() after init() returns the same exports', () => {
    expect(initSync()).toBe(wasmExports());
    expect(initSync({ build: 'release' })).toBe(wasmExports());
  });

  it('refuses a different build once initialized', async () => {
    expect(codeOf(() => initSync({ build: 'debug' }))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => initSync({ simd: !wasmInfo().simd }))).toBe('ERR_INVALID_ARGUMENT');
    await expect(init({ build: 'debug' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('wasmInfo() names the build in use and its digest', () => {
    const info = wasmInfo();
    expect(info).toMatchObject({ initialized: true, build: 'release', simd: true, simdSupported: true });
    expect(info.sha256).toBe(EMBEDDED_WASM['release-simd'].sha256);
  });

  it('registers the WASM kernel as core constantTimeEqual backend', () => {
    const backend = getConstantTimeEqualBackend();
    expect(backend).not.toBeNull();
    const a = new Uint8Array(64).fill(7);
    expect(backend!(a, a.slice())).toBe(true);
    const b = a.slice();
    b[63] = 8;
    expect(backend!(a, b)).toBe(false);
  });

  it('core constantTimeEqual runs in WASM linear memory after init', () => {
    // 2 × 1.5 MiB cannot fit the initial memory, so the scratch arena must grow it: proof the
    // comparison went through the WASM backend rather than the pure-TS loop.
    const memory = wasmExports().memory;
    const before = memory.buffer.byteLength;
    expect(before).toBeLessThan(3 << 20);
    const a = new Uint8Array(3 << 19);
    for (let i = 0; i < a.length; i++) a[i] = (i * 31) & 0xff;
    const b = a.slice();
    expect(constantTimeEqual(a, b)).toBe(true);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(3 << 20);
    b[a.length >> 1]! ^= 1;
    expect(constantTimeEqual(a, b)).toBe(false);
    expect(constantTimeEqual(a, b.subarray(1))).toBe(false);
    // and the scratch copies were wiped (below scratchBase() lie the module's static data)
    expect(new Uint8Array(memory.buffer, wasmExports().scratchBase()).every((x) => x === 0)).toBe(true);
  });
});
