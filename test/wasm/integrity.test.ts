// Integrity path of the loader: bytes are checked against their SHA-256 before compiling.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64Decode } from '../../src/core/bytes.js';
import { EMBEDDED_WASM } from '../../src/wasm/_bytes.generated.js';
import { _instantiateBytes, _instantiateBytesAsync, embeddedBytes, resolveProvenance } from '../../src/wasm/_instance.js';

const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('wasm integrity', () => {
  it('embedded digests are the SHA-256 of the embedded bytes', () => {
    for (const [target, e] of Object.entries(EMBEDDED_WASM)) {
      expect(sha256Hex(base64Decode(e.base64)), target).toBe(e.sha256);
    }
  });

  it('untampered bytes instantiate (sync and async)', async () => {
    const { bytes, sha256 } = embeddedBytes('release', false);
    const a = _instantiateBytes(bytes, sha256);
    const b = await _instantiateBytesAsync(bytes, sha256.toUpperCase());
    expect(a.sha256).toBe(sha256);
    expect(b.sha256).toBe(sha256);
    expect(a.exports).not.toBe(b.exports);
  });

  it('a tampered copy is refused with ERR_WASM_INTEGRITY (sync and async), wherever the flip is', async () => {
    const { bytes, sha256 } = embeddedBytes('debug', true);
    for (const at of [0, 8, bytes.length >> 1, bytes.length - 1]) {
      const tampered = bytes.slice();
      tampered[at]! ^= 0x01;
      expect(() => _instantiateBytes(tampered, sha256)).toThrow(expect.objectContaining({ code: 'ERR_WASM_INTEGRITY' }));
      await expect(_instantiateBytesAsync(tampered, sha256)).rejects.toMatchObject({ code: 'ERR_WASM_INTEGRITY' });
    }
    // appended bytes too
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => _instantiateBytes(longer, sha256)).toThrow(expect.objectContaining({ code: 'ERR_WASM_INTEGRITY' }));
  });

  it('load options name a bad build by type, never by converting it (a bigint build used to crash the message)', () => {
    expect(() => resolveProvenance({ build: 1n } as never)).toThrow(new RangeError(`"build" expected 'release' or 'debug', got bigint`));
    expect(() => resolveProvenance({ build: 'fast' } as never)).toThrow(new RangeError(`"build" expected 'release' or 'debug', got string "fast"`));
  });

  it('garbage with a matching digest is ERR_WASM_UNAVAILABLE (does not compile)', async () => {
    const garbage = new Uint8Array(64).fill(0xab);
    expect(() => _instantiateBytes(garbage, sha256Hex(garbage))).toThrow(expect.objectContaining({ code: 'ERR_WASM_UNAVAILABLE' }));
    await expect(_instantiateBytesAsync(garbage, sha256Hex(garbage))).rejects.toMatchObject({ code: 'ERR_WASM_UNAVAILABLE' });
  });

  it('a module that does not link here is ERR_WASM_UNAVAILABLE (sync and async)', async () => {
    // (module (import "env" "nope" (func))): our imports provide env.abort only, so linking fails
    const unlinkable = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
      0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x04, 0x6e, 0x6f, 0x70, 0x65, 0x00, 0x00, // import env.nope
    ]);
    expect(() => _instantiateBytes(unlinkable, sha256Hex(unlinkable))).toThrow(expect.objectContaining({ code: 'ERR_WASM_UNAVAILABLE' }));
    await expect(_instantiateBytesAsync(unlinkable, sha256Hex(unlinkable))).rejects.toMatchObject({ code: 'ERR_WASM_UNAVAILABLE' });
  });

  it('a valid module without our exports is refused', () => {
    const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    expect(() => _instantiateBytes(empty, sha256Hex(empty))).toThrow(expect.objectContaining({ code: 'ERR_WASM_INTEGRITY' }));
  });

  it('rejects bad arguments with TypeError', () => {
    const { bytes, sha256 } = embeddedBytes('release', false);
    expect(() => _instantiateBytes(bytes, 'abc')).toThrow(TypeError);
    expect(() => _instantiateBytes(bytes, 'z'.repeat(64))).toThrow(TypeError);
    expect(() => _instantiateBytes([...bytes] as unknown as Uint8Array, sha256)).toThrow(TypeError);
  });
});
