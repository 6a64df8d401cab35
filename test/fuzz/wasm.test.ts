// Fuzzing quorumkit/wasm's integrity check and load options: the embedded module with flipped,
// truncated or extended bytes, or with a wrong expected digest, is refused with ERR_WASM_INTEGRITY
// before it is compiled; any load options give a choice or a typed error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isQuorumkitError } from '../../src/core/errors.js';
import { _instantiateBytes, embeddedBytes, resolveProvenance } from '../../src/wasm/_instance.js';
import { fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, mutateBytes, mutateString, sameBytes, trickyString } from './_inputs.js';

const T = fuzzTimeout(1000, 5);
const { bytes, sha256 } = embeddedBytes('release', false);

describe('WASM loading under fuzzing', () => {
  it('the embedded module loads (the property below can fail)', () => {
    expect(_instantiateBytes(bytes, sha256).exports.memory).toBeInstanceOf(WebAssembly.Memory);
  });

  it('refuses every tampered module or wrong digest with ERR_WASM_INTEGRITY before compiling it', () => {
    const cases = fc.oneof(
      mutateBytes(bytes).map((b) => ({ b, sha: sha256 as unknown })),
      fc.oneof(mutateString(sha256), fc.constant(sha256.toUpperCase()), trickyString, anyValue).map((sha) => ({ b: bytes, sha })),
      anyValue.map((b) => ({ b: b as Uint8Array, sha: sha256 as unknown })),
    );
    fuzzSync('_instantiateBytes(tampered, sha256)', cases, ({ b, sha }, tally) => {
      try {
        _instantiateBytes(b, sha as string);
      } catch (e) {
        if (e instanceof TypeError) throw e;
        expect(isQuorumkitError(e, 'ERR_WASM_INTEGRITY'), String(e)).toBe(true);
        throw e;
      }
      // Loaded: only the genuine bytes (a mutation may undo itself; the digest check ignores hex case).
      expect(sameBytes(b, bytes)).toBe(true);
      tally.note('loaded the genuine bytes');
    }, fuzzRuns(1000));
  }, T);

  it('resolveProvenance gives a build choice or a typed error for any options', () => {
    fuzzSync('resolveProvenance(any)', fc.oneof(fc.record({ build: fc.oneof(fc.constantFrom('release', 'debug'), anyValue), simd: fc.oneof(fc.boolean(), anyValue) }, { requiredKeys: [] }), anyValue), (o) => {
      const r = resolveProvenance(o as never);
      expect(['release', 'debug']).toContain(r.build);
    });
  });
});
