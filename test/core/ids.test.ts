import { afterEach, describe, expect, it } from 'vitest';
import { isUrnId, randomId, urnIdKind } from '../../src/core/ids.js';
import { isQuorumkitError } from '../../src/core/errors.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomId', () => {
  const realCrypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
  afterEach(() => Object.defineProperty(globalThis, 'crypto', realCrypto));

  it('returns urn:quorumkit:<kind>:<uuid v4>, unique across many calls', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = randomId('round');
      expect(id.startsWith('urn:quorumkit:round:')).toBe(true);
      expect(id.slice('urn:quorumkit:round:'.length)).toMatch(UUID_V4);
      expect(isUrnId(id, 'round')).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(2000);
  });
  it('validates kind', () => {
    expect(randomId('mpc-eval2').startsWith('urn:quorumkit:mpc-eval2:')).toBe(true);
    for (const bad of ['', 'Round', '1round', 'round:x', 'r_x', 'a'.repeat(65), 'ro und', 'é']) expect(() => randomId(bad)).toThrow(RangeError);
    expect(() => randomId(7 as unknown as string)).toThrow(TypeError);
  });
  it('falls back to getRandomValues when randomUUID is missing (insecure browser contexts)', () => {
    const real = globalThis.crypto;
    Object.defineProperty(globalThis, 'crypto', { value: { getRandomValues: real.getRandomValues.bind(real) }, configurable: true });
    const a = randomId('vote');
    const b = randomId('vote');
    expect(isUrnId(a, 'vote')).toBe(true);
    expect(a).not.toBe(b);
  });
  it('throws ERR_UNSUPPORTED without any Web Crypto', () => {
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    let caught: unknown;
    try {
      randomId('vote');
    } catch (e) {
      caught = e;
    }
    expect(isQuorumkitError(caught, 'ERR_UNSUPPORTED')).toBe(true);
  });
});

describe('isUrnId / urnIdKind', () => {
  it('accepts only lowercase quorumkit URNs with a v4 UUID', () => {
    const ok = 'urn:quorumkit:vote:3b241101-e2bb-4255-8caf-4136c566a962';
    expect(isUrnId(ok)).toBe(true);
    expect(isUrnId(ok, 'vote')).toBe(true);
    expect(isUrnId(ok, 'round')).toBe(false);
    expect(urnIdKind(ok)).toBe('vote');
    for (const bad of [
      ok.toUpperCase(), ok + ' ', 'urn:quorumkit:vote:3b241101-e2bb-1255-8caf-4136c566a962', 'urn:quorumkit:vote:3b241101-e2bb-4255-7caf-4136c566a962',
      'urn:other:vote:3b241101-e2bb-4255-8caf-4136c566a962', 'urn:quorumkit::3b241101-e2bb-4255-8caf-4136c566a962', 42, null,
    ]) {
      expect(isUrnId(bad)).toBe(false);
    }
    expect(() => urnIdKind('urn:quorumkit:vote:nope')).toThrow(/urn:quorumkit/);
  });
});
