// Loader lifecycle when initSync() comes first, and the init()/initSync() race.

import { beforeAll, describe, expect, it } from 'vitest';
import { _resetWasm } from '../../src/wasm/loader.js';
import { getConstantTimeEqualBackend } from '../../src/core/_ct-backend.js';
import { init, initSync, isInitialized, wasmExports, wasmInfo } from '../../src/wasm/index.js';

describe('wasm loader (initSync wins a race with init)', () => {
  beforeAll(() => _resetWasm()); // fresh state even when test files share a module graph

  it('a pending init() resolves to the exports initSync() installed', async () => {
    expect(isInitialized()).toBe(false);
    const p = init({ build: 'debug' });
    const ex = initSync({ build: 'debug' });
    expect(isInitialized()).toBe(true);
    expect(await p).toBe(ex);
    expect(init()).toBe(p);
    expect(wasmExports()).toBe(ex);
    expect(wasmInfo()).toMatchObject({ initialized: true, build: 'debug' });
    expect(getConstantTimeEqualBackend()).not.toBeNull();
  });

  it('initSync() is idempotent', () => {
    const ex = wasmExports();
    expect(initSync()).toBe(ex);
    expect(initSync({ build: 'debug' })).toBe(ex);
  });
});
