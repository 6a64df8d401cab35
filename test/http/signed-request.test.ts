// verifySignedRequest called directly: a genuine request verifies; each qk-* header garbled or
// missing, a changed method (case included)/path/body/audience, a request signed for another
// service, clock skew, a replayed nonce → ERR_UNAUTHENTICATED; a valid caller that isAllowed
// refuses → ERR_FORBIDDEN; request sets (one signature for several requests) verify each request at
// its own service only. Real ML-DSA-44 signatures.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, utf8Encode } from '../../src/core/bytes.js';
import { fixedClock, toRfc3339 } from '../../src/core/clock.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import { DEFAULT_MAX_SKEW_MS, NonceCache, SIGNED_REQUEST_HEADERS, signRequest, signRequests, verifySignedRequest } from '../../src/http/index.js';
import { Identity } from '../../src/pq/identity.js';

const T0 = '2026-04-20T12:00:00Z';
const T0_MS = Date.parse(T0);
const clock = fixedClock(T0);
const NODE = 'did:pqaid:' + 'ab'.repeat(32);
const REQ = { method: 'POST', path: '/v1/proposals?x=1', body: utf8Encode('{"a":1}'), audience: NODE };

let alice: Identity;
let bob: Identity;
let headers: Record<string, string>;
beforeAll(async () => {
  alice = await Identity.create('alice', { level: 44 });
  bob = await Identity.create('bob', { level: 44 });
  headers = await signRequest(alice, REQ, clock);
});

const req = (h: Record<string, string | undefined>, over: Partial<typeof REQ> = {}) => ({ ...REQ, ...over, headers: (n: string) => h[n] });
async function expectCode(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(isQuorumkitError(err, code as never), String(err)).toBe(true);
  if (message) expect((err as Error).message).toMatch(message);
}

describe('verifySignedRequest', () => {
  it('returns the caller did for a genuine request', async () => {
    expect(SIGNED_REQUEST_HEADERS).toEqual(['qk-keyid', 'qk-alg', 'qk-audience', 'qk-timestamp', 'qk-nonce', 'qk-public-key', 'qk-signature']);
    expect(Object.keys(headers).sort()).toEqual([...SIGNED_REQUEST_HEADERS].sort());
    expect(await verifySignedRequest(req(headers), { clock })).toBe(alice.did);
    expect(await verifySignedRequest(req(headers), { clock, audience: NODE })).toBe(alice.did);
  });

  it('the method is signed exactly: "post" does not verify a request signed as "POST"', async () => {
    await expectCode(verifySignedRequest(req(headers, { method: 'post' }), { clock }), 'ERR_UNAUTHENTICATED', /signature verification failed/);
  });

  it('a request signed for one service is refused by another (audience), and the audience header is signed', async () => {
    await expectCode(verifySignedRequest(req(headers), { clock, audience: 'did:pqaid:' + 'cd'.repeat(32) }), 'ERR_UNAUTHENTICATED', /signed for another service/);
    await expectCode(verifySignedRequest(req({ ...headers, 'qk-audience': 'did:pqaid:other' }), { clock }), 'ERR_UNAUTHENTICATED', /signature verification failed/);
    await expect(signRequest(alice, { ...REQ, audience: '' }, clock)).rejects.toThrow(TypeError);
    await expect(signRequest(alice, { ...REQ, audience: 'x'.repeat(513) }, clock)).rejects.toThrow(RangeError);
  });

  it('each header missing, empty, oversized or garbled → ERR_UNAUTHENTICATED', async () => {
    for (const name of SIGNED_REQUEST_HEADERS) {
      await expectCode(verifySignedRequest(req({ ...headers, [name]: undefined }), { clock }), 'ERR_UNAUTHENTICATED', new RegExp(`missing or malformed ${name}`));
      await expectCode(verifySignedRequest(req({ ...headers, [name]: '' }), { clock }), 'ERR_UNAUTHENTICATED', new RegExp(name));
      await expectCode(verifySignedRequest(req({ ...headers, [name]: 'A'.repeat(16_385) }), { clock }), 'ERR_UNAUTHENTICATED', new RegExp(name));
    }
    const sig = base64Decode(headers['qk-signature']!);
    sig[100]! ^= 1;
    const garbled: [string, string, RegExp][] = [
      ['qk-keyid', bob.did, /does not hash to qk-keyid/],
      ['qk-keyid', 'not-a-did', /does not hash/],
      ['qk-alg', 'ML-DSA-65', /signature verification failed/],
      ['qk-alg', 'RSA', /signature verification failed/],
      ['qk-timestamp', 'yesterday', /malformed signed-request headers/],
      ['qk-timestamp', toRfc3339(new Date(T0_MS + 1000)), /signature verification failed/],
      ['qk-nonce', 'zz'.repeat(16), /32 hex digits/],
      ['qk-nonce', headers['qk-nonce']!.toUpperCase().replace(/^./, 'F'), /32 hex digits|signature verification failed/],
      ['qk-nonce', headers['qk-nonce']!.slice(0, 31), /32 hex digits/],
      ['qk-public-key', '!!not base64!!', /malformed signed-request headers/],
      ['qk-public-key', base64Encode(bob.publicKey), /does not hash to qk-keyid/],
      ['qk-signature', '%%%', /malformed signed-request headers/],
      ['qk-signature', base64Encode(sig), /signature verification failed/],
      ['qk-signature', base64Encode(sig.subarray(1)), /signature verification failed/],
    ];
    for (const [name, value, re] of garbled) await expectCode(verifySignedRequest(req({ ...headers, [name]: value }), { clock }), 'ERR_UNAUTHENTICATED', re);
  });

  it('a request signed for another method, path or body does not verify', async () => {
    for (const over of [{ method: 'PUT' }, { method: 'Post' }, { path: '/v1/proposals' }, { path: '/v1/proposals?x=2' }, { body: utf8Encode('{"a":2}') }, { body: new Uint8Array(0) }]) {
      await expectCode(verifySignedRequest(req(headers, over), { clock }), 'ERR_UNAUTHENTICATED', /signature verification failed/);
    }
  });

  it("verify: 'inline' (on the event loop) accepts exactly what the worker accepts; any other value is refused", async () => {
    expect(await verifySignedRequest(req(headers), { clock, verify: 'inline' })).toBe(alice.did);
    for (const over of [{ method: 'PUT' }, { path: '/v1/proposals' }, { body: utf8Encode('{"a":2}') }]) {
      await expectCode(verifySignedRequest(req(headers, over), { clock, verify: 'inline' }), 'ERR_UNAUTHENTICATED', /signature verification failed/);
    }
    const sig = base64Decode(headers['qk-signature']!);
    sig[10]! ^= 1;
    await expectCode(verifySignedRequest(req({ ...headers, 'qk-signature': base64Encode(sig) }), { clock, verify: 'inline' }), 'ERR_UNAUTHENTICATED', /signature verification failed/);
    await expect(verifySignedRequest(req(headers), { clock, verify: 'elsewhere' as never })).rejects.toThrow(TypeError);
  });

  it('bob re-signing with his own key under alice\'s keyid fails', async () => {
    const bobs = await signRequest(bob, REQ, clock);
    await expectCode(verifySignedRequest(req({ ...bobs, 'qk-keyid': alice.did }), { clock }), 'ERR_UNAUTHENTICATED', /does not hash/);
    expect(await verifySignedRequest(req(bobs), { clock })).toBe(bob.did);
  });

  it('clock skew: exactly maxSkewMs accepted either way, one millisecond more refused', async () => {
    const at = (ms: number) => fixedClock(new Date(T0_MS + ms));
    expect(DEFAULT_MAX_SKEW_MS).toBe(300_000);
    expect(await verifySignedRequest(req(headers), { clock: at(DEFAULT_MAX_SKEW_MS) })).toBe(alice.did);
    expect(await verifySignedRequest(req(headers), { clock: at(-DEFAULT_MAX_SKEW_MS) })).toBe(alice.did);
    await expectCode(verifySignedRequest(req(headers), { clock: at(DEFAULT_MAX_SKEW_MS + 1) }), 'ERR_UNAUTHENTICATED', /clock skew/);
    await expectCode(verifySignedRequest(req(headers), { clock: at(-DEFAULT_MAX_SKEW_MS - 1) }), 'ERR_UNAUTHENTICATED', /clock skew/);
    expect(await verifySignedRequest(req(headers), { clock: at(1000), maxSkewMs: 1000 })).toBe(alice.did);
    await expectCode(verifySignedRequest(req(headers), { clock: at(1001), maxSkewMs: 1000 }), 'ERR_UNAUTHENTICATED', /clock skew/);
  });

  it('replay: the same nonce twice through one NonceCache → ERR_UNAUTHENTICATED; a fresh signature passes', async () => {
    const nonces = new NonceCache();
    expect(await verifySignedRequest(req(headers), { clock, nonces })).toBe(alice.did);
    await expectCode(verifySignedRequest(req(headers), { clock, nonces }), 'ERR_UNAUTHENTICATED', /replay/);
    const fresh = await signRequest(alice, REQ, clock);
    expect(await verifySignedRequest(req(fresh), { clock, nonces })).toBe(alice.did);
    // without a cache nothing is remembered (the caller opted out)
    expect(await verifySignedRequest(req(headers), { clock })).toBe(alice.did);
    // a failed signature does not burn the nonce
    const other = await signRequest(alice, REQ, clock);
    await expectCode(verifySignedRequest(req(other, { path: '/elsewhere' }), { clock, nonces }), 'ERR_UNAUTHENTICATED', /signature/);
    expect(await verifySignedRequest(req(other), { clock, nonces })).toBe(alice.did);
  });

  it('isAllowed false (sync or async) → ERR_FORBIDDEN; checked only after authentication', async () => {
    const seen: string[] = [];
    await expectCode(verifySignedRequest(req(headers), { clock, isAllowed: (d) => (seen.push(d), false) }), 'ERR_FORBIDDEN', /not allowed/);
    await expectCode(verifySignedRequest(req(headers), { clock, isAllowed: async () => false }), 'ERR_FORBIDDEN');
    expect(seen).toEqual([alice.did]);
    expect(await verifySignedRequest(req(headers), { clock, isAllowed: async (d) => d === alice.did })).toBe(alice.did);
    // an unauthenticated request never reaches isAllowed
    await expectCode(verifySignedRequest(req({ ...headers, 'qk-signature': 'AAAA' }), { clock, isAllowed: (d) => (seen.push(d), false) }), 'ERR_UNAUTHENTICATED');
    expect(seen).toEqual([alice.did]);
  });

  it('garbage header values → ERR_UNAUTHENTICATED only, never another exception', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...SIGNED_REQUEST_HEADERS), fc.string({ maxLength: 200 }), async (name, value) => {
      fc.pre(value !== headers[name]);
      await expectCode(verifySignedRequest(req({ ...headers, [name]: value }), { clock }), 'ERR_UNAUTHENTICATED');
    }), { numRuns: 100 });
  });
});

describe('request sets (signRequests: one signature for several requests)', () => {
  const OTHER = 'did:pqaid:' + 'cd'.repeat(32);
  const THIRD = 'did:pqaid:' + 'ef'.repeat(32);
  const reqs = [
    { method: 'POST', path: '/eval_beaver', body: utf8Encode('{"i":0}'), audience: NODE },
    { method: 'POST', path: '/eval_beaver', body: utf8Encode('{"i":1}'), audience: OTHER },
    { method: 'POST', path: '/eval_beaver', body: utf8Encode('{"i":2}'), audience: THIRD },
  ];
  const at = (h: Record<string, string | undefined>, r: (typeof reqs)[number]) => ({ method: r.method, path: r.path, body: r.body, headers: (n: string) => h[n] });

  it('every request of the set verifies at its own service, once, with one shared signature', async () => {
    const hs = await signRequests(alice, reqs, clock);
    expect(new Set(hs.map((h) => h['qk-signature'])).size).toBe(1);
    expect(new Set(hs.map((h) => h['qk-nonce'])).size).toBe(3);
    const nonces = new NonceCache();
    for (let j = 0; j < 3; j++) expect(await verifySignedRequest(at(hs[j]!, reqs[j]!), { clock, audience: reqs[j]!.audience, nonces })).toBe(alice.did);
    await expectCode(verifySignedRequest(at(hs[0]!, reqs[0]!), { clock, audience: NODE, nonces }), 'ERR_UNAUTHENTICATED', /replay/);
  });

  it("a set entry verifies nowhere else: another service, another body, path or method, or another request's headers", async () => {
    const hs = await signRequests(alice, reqs, clock);
    await expectCode(verifySignedRequest(at(hs[0]!, reqs[0]!), { clock, audience: OTHER }), 'ERR_UNAUTHENTICATED', /signed for another service/);
    await expectCode(verifySignedRequest(at(hs[0]!, reqs[1]!), { clock }), 'ERR_UNAUTHENTICATED', /no entry for this request/);
    await expectCode(verifySignedRequest(at({ ...hs[0]!, 'qk-audience': OTHER }, reqs[0]!), { clock }), 'ERR_UNAUTHENTICATED', /no entry for this request/);
    await expectCode(verifySignedRequest(at({ ...hs[1]!, 'qk-nonce': hs[0]!['qk-nonce'] }, reqs[1]!), { clock }), 'ERR_UNAUTHENTICATED', /no entry for this request/);
    for (const over of [{ path: '/beaver_round2' }, { method: 'PUT' }, { body: utf8Encode('{"i":9}') }]) {
      await expectCode(verifySignedRequest(at(hs[0]!, { ...reqs[0]!, ...over }), { clock }), 'ERR_UNAUTHENTICATED', /no entry for this request/);
    }
  });

  it('a tampered or garbled set, or a set signature presented as a single request, is refused', async () => {
    const hs = await signRequests(alice, reqs, clock);
    const entries = JSON.parse(Buffer.from(hs[0]!['qk-request-set']!, 'base64url').toString('utf8'));
    entries[1].bodySha3_256 = '00'.repeat(32);
    const tampered = Buffer.from(JSON.stringify(entries)).toString('base64url');
    await expectCode(verifySignedRequest(at({ ...hs[0]!, 'qk-request-set': tampered }, reqs[0]!), { clock }), 'ERR_UNAUTHENTICATED', /signature verification failed/);
    for (const bad of ['%%%', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
      await expectCode(verifySignedRequest(at({ ...hs[0]!, 'qk-request-set': bad }, reqs[0]!), { clock }), 'ERR_UNAUTHENTICATED', /qk-request-set/);
    }
    const { 'qk-request-set': _drop, ...single } = hs[0]!;
    await expectCode(verifySignedRequest(at(single, reqs[0]!), { clock }), 'ERR_UNAUTHENTICATED', /signature verification failed/);
    await expect(signRequests(alice, [], clock)).rejects.toThrow(RangeError);
    await expect(signRequests(alice, Array.from({ length: 65 }, () => reqs[0]!), clock)).rejects.toThrow(RangeError);
    await expect(signRequests(alice, [{ ...reqs[0]!, audience: '' }], clock)).rejects.toThrow(TypeError);
  });
});
