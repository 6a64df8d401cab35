import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../src/core/bytes.js';
import { fixedClock } from '../../src/core/clock.js';
import { NonceCache } from '../../src/http/replay-guard.js';
import { signRequest, verifySignedRequest } from '../../src/http/signed-request.js';
import { Identity } from '../../src/pq/identity.js';

describe('NonceCache', () => {
  it('accepts a nonce once, refuses its replay, and forgets it only after it expires', () => {
    const c = new NonceCache();
    expect(c.add('a', 1_000, 0)).toBeNull();
    expect(c.add('a', 1_000, 500)).toBe('replay');
    expect(c.add('a', 2_000, 1_000)).toBe('replay'); // expires at 1000: still live at 1000
    expect(c.add('a', 3_000, 1_001)).toBeNull(); // the old entry expired; its request's timestamp is out of the window now
    expect(c.size).toBe(1);
  });

  it('refuses new nonces when full of live ones instead of evicting any', () => {
    const c = new NonceCache(3);
    for (const n of ['a', 'b', 'c']) expect(c.add(n, 10_000, 0)).toBeNull();
    expect(c.add('d', 10_000, 1)).toBe('full');
    expect(c.add('a', 10_000, 2)).toBe('replay'); // nothing was evicted
    expect(c.add('d', 20_000, 10_001)).toBeNull(); // once they expire there is room again
  });
});

describe('verifySignedRequest and the nonce cache', () => {
  it('outsiders cannot fill the cache; a member replay is still caught', async () => {
    const member = await Identity.create('member', { level: 44 });
    const outsider = await Identity.create('outsider', { level: 44 });
    const nonces = new NonceCache(2);
    const clock = fixedClock('2026-11-25T12:00:00Z');
    const body = utf8Encode('{}');
    const req = (headers: Record<string, string>) => ({ method: 'POST', path: '/x', body, headers: (n: string) => headers[n] });
    const opts = { nonces, clock, isAllowed: (d: string) => d === member.did };
    for (let i = 0; i < 5; i++) {
      const h = await signRequest(outsider, { method: 'POST', path: '/x', body, audience: 'did:pqaid:svc' }, clock);
      await expect(verifySignedRequest(req(h), opts)).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' });
    }
    expect(nonces.size).toBe(0);
    const h = await signRequest(member, { method: 'POST', path: '/x', body, audience: 'did:pqaid:svc' }, clock);
    expect(await verifySignedRequest(req(h), opts)).toBe(member.did);
    await expect(verifySignedRequest(req(h), opts)).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED', message: expect.stringMatching(/replay/) });
    await verifySignedRequest(req(await signRequest(member, { method: 'POST', path: '/x', body, audience: 'did:pqaid:svc' }, clock)), opts);
    await expect(verifySignedRequest(req(await signRequest(member, { method: 'POST', path: '/x', body, audience: 'did:pqaid:svc' }, clock)), opts)).rejects.toMatchObject({
      message: expect.stringMatching(/retry later/),
    });
  });
});
