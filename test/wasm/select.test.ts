// The shared "WASM or fallback" selector (src/wasm/_select.ts): fallback when initSync() reports
// ERR_WASM_UNAVAILABLE (as a browser main thread or a runtime without WebAssembly does), one sync
// attempt only, the switch to WASM once init() completes, other init failures thrown, one engine per
// instance, and field and hash both choosing through it. initSync() is replaced by a spy so a test can
// make it refuse; init() and the rest of the loader are the real ones.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { WasmIntegrityError, WasmUnavailableError } from '../../src/wasm/errors.js';
import { fieldApi } from '../../src/field/index.js';
import { hashBackend, sha3_256 } from '../../src/hash/index.js';
import { _loadBuild, type WasmInstance } from '../../src/wasm/_instance.js';
import { createEngineSelector } from '../../src/wasm/_select.js';
import { currentWasm } from '../../src/wasm/_state.js';
import * as loader from '../../src/wasm/loader.js';
import { toHex } from '../../src/core/bytes.js';

vi.mock('../../src/wasm/loader.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/wasm/loader.js')>();
  return { ...real, initSync: vi.fn(real.initSync) };
});

const initSync = vi.mocked(loader.initSync);
const realInitSync = (await vi.importActual<typeof import('../../src/wasm/loader.js')>('../../src/wasm/loader.js')).initSync;

/** Makes initSync() fail the way a browser main thread refuses synchronous compilation. */
function refuseSyncInit(): void {
  initSync.mockImplementation(() => {
    throw new WasmUnavailableError('synchronous compilation refused (test)');
  });
}

interface TestEngine {
  readonly kind: 'wasm' | 'ref';
  readonly instance: WasmInstance | null;
}

/** A selector over tagged objects, counting how often each builder runs. */
function testSelector() {
  const calls = { wasm: 0, fallback: 0 };
  const selector = createEngineSelector<TestEngine, 'ref'>({
    fallbackName: 'ref',
    wasm: (instance) => {
      calls.wasm++;
      return { kind: 'wasm', instance };
    },
    fallback: () => {
      calls.fallback++;
      return { kind: 'ref', instance: null };
    },
  });
  return { selector, calls };
}

beforeEach(() => {
  loader._resetWasm();
  initSync.mockReset();
  initSync.mockImplementation(realInitSync);
});

describe('createEngineSelector', () => {
  it('initializes WASM with initSync() on first use and answers with the engine on that instance', () => {
    const { selector, calls } = testSelector();
    const e = selector.current();
    expect(e.kind).toBe('wasm');
    expect(e.instance).toBe(currentWasm());
    expect(selector.backend()).toBe('wasm');
    expect(selector.current()).toBe(e);
    expect(initSync).toHaveBeenCalledTimes(1);
    expect(calls).toEqual({ wasm: 1, fallback: 0 });
  });

  it('uses an instance initialized elsewhere without calling initSync()', () => {
    realInitSync({ build: 'debug' });
    const { selector } = testSelector();
    expect(selector.current().instance).toBe(currentWasm());
    expect(selector.current().instance?.build).toBe('debug');
    expect(initSync).not.toHaveBeenCalled();
  });

  it('falls back when initSync() reports ERR_WASM_UNAVAILABLE, and tries it only once', () => {
    refuseSyncInit();
    const { selector, calls } = testSelector();
    const e = selector.current();
    expect(e.kind).toBe('ref');
    expect(selector.backend()).toBe('ref');
    expect(selector.current()).toBe(e);
    expect(initSync).toHaveBeenCalledTimes(1);
    expect(calls).toEqual({ wasm: 0, fallback: 1 });
    expect(currentWasm()).toBeNull();
  });

  it('switches to WASM once init() has completed', async () => {
    refuseSyncInit();
    const { selector } = testSelector();
    expect(selector.backend()).toBe('ref');
    await loader.init();
    const e = selector.current();
    expect(e.kind).toBe('wasm');
    expect(e.instance).toBe(currentWasm());
    expect(selector.backend()).toBe('wasm');
    expect(initSync).toHaveBeenCalledTimes(1);
  });

  it('throws any other init failure (never hides it behind the fallback) and tries again next call', () => {
    initSync.mockImplementationOnce(() => {
      throw new WasmIntegrityError('digest mismatch (test)');
    });
    const { selector, calls } = testSelector();
    expect(() => selector.current()).toThrow(expect.objectContaining({ code: 'ERR_WASM_INTEGRITY' }));
    expect(calls.fallback).toBe(0);
    expect(selector.current().kind).toBe('wasm');
    expect(initSync).toHaveBeenCalledTimes(2);
  });

  it('follows a change of the default instance, building one engine per instance', () => {
    const { selector, calls } = testSelector();
    const first = selector.current();
    loader._resetWasm();
    realInitSync({ build: 'debug' });
    const second = selector.current();
    expect(second).not.toBe(first);
    expect(second.instance).toBe(currentWasm());
    expect(selector.engineFor(first.instance)).toBe(first);
    expect(selector.current()).toBe(second);
    expect(calls.wasm).toBe(2);
  });

  it('tries initSync() again after the default instance went away', () => {
    refuseSyncInit();
    const { selector } = testSelector();
    expect(selector.backend()).toBe('ref');
    realInitSync();
    expect(selector.backend()).toBe('wasm');
    loader._resetWasm();
    initSync.mockImplementation(realInitSync);
    expect(selector.backend()).toBe('wasm');
    expect(initSync).toHaveBeenCalledTimes(2);
  });

  it('engineFor() pins an instance or the fallback and selects nothing', () => {
    const { selector, calls } = testSelector();
    const inst = _loadBuild('debug', { simd: false });
    const e = selector.engineFor(inst);
    expect(e).toEqual({ kind: 'wasm', instance: inst });
    expect(selector.engineFor(inst)).toBe(e);
    expect(selector.engineFor(null).kind).toBe('ref');
    expect(selector.engineFor(null)).toBe(selector.engineFor(null));
    expect(calls).toEqual({ wasm: 1, fallback: 1 });
    expect(initSync).not.toHaveBeenCalled();
    expect(currentWasm()).toBeNull();
  });
});

describe('field and hash choose through the selector', () => {
  it('both fall back while sync init is refused and both switch to WASM after init()', async () => {
    refuseSyncInit();
    const msg = new TextEncoder().encode('quorumkit');
    const digest = toHex(sha3_256(msg));
    expect(hashBackend()).toBe('noble');
    expect(fieldApi().backend).toBe('reference');
    expect(fieldApi().fp.mul(3n, 5n)).toBe(15n);
    await loader.init();
    expect(hashBackend()).toBe('wasm');
    expect(fieldApi().backend).toBe('wasm');
    expect(toHex(sha3_256(msg))).toBe(digest);
    expect(fieldApi().fp.mul(3n, 5n)).toBe(15n);
  });
});
