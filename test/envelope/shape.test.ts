// checkEnvelopeShape and MAX_SIGNATURES: the structural gate every envelope passes before any
// cryptography. Law: a reason string (never an exception) for anything that is not exactly
// { payloadType, payload, signatures[≤ MAX_SIGNATURES] } with string-typed signature fields.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEnvelopeShape, MAX_SIGNATURES, verifyEnvelope } from '../../src/envelope/index.js';

const SIG = { keyid: 'did:pqaid:x', alg: 'ML-DSA-44', sig: 'AAAA' };
const good = (n = 1): Record<string, unknown> => ({ payloadType: 'application/vnd.quorumkit.note+json;v=1', payload: 'e30=', signatures: Array.from({ length: n }, () => ({ ...SIG })) });

describe('checkEnvelopeShape', () => {
  it('accepts a well-formed envelope, with or without publicKey, with zero signatures', () => {
    expect(checkEnvelopeShape(good())).toBeNull();
    expect(checkEnvelopeShape(good(0))).toBeNull();
    expect(checkEnvelopeShape({ ...good(0), signatures: [{ ...SIG, publicKey: 'AAAA' }] })).toBeNull();
  });

  it('MAX_SIGNATURES is 256: exactly MAX accepted, MAX+1 refused with the count in the reason', () => {
    expect(MAX_SIGNATURES).toBe(256);
    expect(checkEnvelopeShape(good(MAX_SIGNATURES))).toBeNull();
    expect(checkEnvelopeShape(good(MAX_SIGNATURES + 1))).toBe(`envelope "signatures" expected at most 256 items, got 257`);
  });

  it('verifyEnvelope refuses MAX+1 signatures before any cryptography', async () => {
    const r = await verifyEnvelope(good(MAX_SIGNATURES + 1));
    expect(r.valid).toBe(false);
    expect(r.reasons.join(' ')).toContain('at most 256 items');
  });

  it('names each structural fault', () => {
    const cases: [unknown, string][] = [
      [null, 'envelope expected a JSON object'],
      [[], 'envelope expected a JSON object'],
      ['x', 'envelope expected a JSON object'],
      [{ ...good(), extra: 1 }, 'envelope has unexpected field "extra"'],
      [{ ...good(), payloadType: '' }, 'envelope "payloadType" expected a non-empty string'],
      [{ ...good(), payloadType: 1 }, 'envelope "payloadType" expected a non-empty string'],
      [{ payload: 'e30=', signatures: [] }, 'envelope "payloadType" expected a non-empty string'],
      [{ ...good(), payload: null }, 'envelope "payload" expected a base64 string'],
      [{ ...good(), signatures: {} }, 'envelope "signatures" expected an array'],
      [{ ...good(), signatures: [null] }, 'signatures[0] expected an object'],
      [{ ...good(), signatures: [SIG, []] }, 'signatures[1] expected an object'],
      [{ ...good(), signatures: [{ ...SIG, x: 1 }] }, 'signatures[0] has unexpected field "x"'],
      [{ ...good(), signatures: [{ alg: 'a', sig: 'b' }] }, 'signatures[0].keyid expected a string'],
      [{ ...good(), signatures: [{ ...SIG, alg: 5 }] }, 'signatures[0].alg expected a string'],
      [{ ...good(), signatures: [{ ...SIG, sig: null }] }, 'signatures[0].sig expected a string'],
      [{ ...good(), signatures: [{ ...SIG, publicKey: 7 }] }, 'signatures[0].publicKey expected a base64 string'],
    ];
    for (const [env, reason] of cases) expect(checkEnvelopeShape(env), JSON.stringify(env)).toBe(reason);
  });

  it('garbage → a string reason or null, never a throw; null only for the exact shape', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ payloadType: fc.jsonValue(), payload: fc.jsonValue(), signatures: fc.array(fc.jsonValue(), { maxLength: 4 }) })), (v) => {
        const r = checkEnvelopeShape(v);
        if (r === null) {
          const e = v as { payloadType: unknown; payload: unknown; signatures: unknown[] };
          expect(Object.keys(e).sort()).toEqual(['payload', 'payloadType', 'signatures']);
          expect(typeof e.payloadType === 'string' && e.payloadType.length > 0 && typeof e.payload === 'string').toBe(true);
          for (const s of e.signatures) for (const k of ['keyid', 'alg', 'sig']) expect(typeof (s as Record<string, unknown>)[k]).toBe('string');
        } else {
          expect(typeof r).toBe('string');
        }
      }),
      { numRuns: 500 },
    );
  });
});
