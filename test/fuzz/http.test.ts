// Fuzzing quorumkit/http's parsers and verifiers: signed-request verification on random and
// mutated headers, methods, paths and bodies (only the signed request verifies), request bodies
// through a service app (strict JSON, schemas: a 4xx with the error shape, never a 500), the
// governance node's JSON Schemas, the shared error mapping, and callService on whatever a peer
// answers (a value or a typed error).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode } from '../../src/core/bytes.js';
import { fixedClock } from '../../src/core/clock.js';
import { QuorumkitError } from '../../src/core/errors.js';
import {
  callService, compileSchema, createServiceApp, errorResponse, readJsonBody, signRequest, verifySignedRequest, type RequestToSign,
} from '../../src/http/index.js';
import { validate as governanceSchemas } from '../../src/governance/server/schemas.js';
import { Identity } from '../../src/pq/identity.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, jsonText, jsonValue, mutateBytes, mutateString, mutateValue, randomBytes, sameBytes, trickyString } from './_inputs.js';

const T = fuzzTimeout(2000, 10);
const clock = fixedClock('2026-04-20T12:00:00Z');
const AUDIENCE = 'did:pqaid:' + '0'.repeat(64);
const REQ: RequestToSign = { method: 'POST', path: '/v1/proposals?x=1', body: utf8Encode('{"proposal":1}'), audience: AUDIENCE };

let alice: Identity;
let headers: Record<string, string>;

beforeAll(async () => {
  alice = await Identity.create('alice', { level: 44 });
  headers = await signRequest(alice, REQ, clock);
});

describe('signed requests under fuzzing', () => {
  it('the genuine request verifies (the properties below can fail)', async () => {
    expect(await verifySignedRequest({ ...REQ, headers: (n) => headers[n] }, { clock, audience: AUDIENCE })).toBe(alice.did);
  });

  it('only the request that was signed, for this audience, verifies: mutated headers, method, path or body are ERR_UNAUTHENTICATED', async () => {
    const mutated = fc.record({
      h: fc.oneof(fc.constant(null), fc.constant(null).chain(() => mutateValue(headers)), fc.dictionary(fc.constantFrom('qk-keyid', 'qk-alg', 'qk-audience', 'qk-timestamp', 'qk-nonce', 'qk-public-key', 'qk-signature'), fc.oneof(trickyString, anyValue))),
      method: fc.oneof(fc.constant(REQ.method), fc.constantFrom('post', 'Post', 'GET', 'PUT', 'POST ', ''), mutateString(REQ.method), anyValue),
      path: fc.oneof(fc.constant(REQ.path), mutateString(REQ.path), fc.constantFrom('/v1/proposals', '/v1/proposals?x=1&x=1', '/v1/proposals?x=2'), anyValue),
      body: fc.oneof(fc.constant(REQ.body), mutateBytes(REQ.body), randomBytes, anyValue),
    });
    await fuzzAsync('verifySignedRequest(mutated)', mutated, async (m, tally) => {
      const h = (m.h ?? headers) as Record<string, unknown>;
      const did = await verifySignedRequest({ method: m.method as string, path: m.path as string, body: m.body as Uint8Array, headers: (n) => h[n] as string }, { clock, audience: AUDIENCE });
      // Returned: it must be exactly the signed request (the method signed as sent: "post" is not "POST").
      const sameHeaders = Object.keys(headers).every((k) => h[k] === headers[k]);
      const same = sameHeaders && m.path === REQ.path && sameBytes(m.body, REQ.body);
      expect(same && m.method === REQ.method, `accepted a changed request: ${JSON.stringify({ method: m.method, path: m.path })}`).toBe(true);
      expect(did).toBe(alice.did);
      tally.note('genuine');
    }, fuzzRuns(1500));
  }, T);
});

describe('service request bodies under fuzzing', () => {
  const app = createServiceApp({ service: 'fuzz', maxBodyBytes: 4096, log: () => undefined });
  const check = compileSchema<{ n: number }>({ type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'integer', minimum: 0, maximum: 100 } } });
  app.post('/v1/echo', async (c) => c.json({ got: await readJsonBody(c) }));
  app.post('/v1/checked', async (c) => c.json({ n: (await readJsonBody(c, check)).n }));

  it('any body and content type gets 200 or a 4xx error body, never a 500', async () => {
    const body = fc.oneof(jsonText.map((t) => utf8Encode(t.replace(/[\ud800-\udfff]/g, '?'))), randomBytes, fc.constant(new Uint8Array(5000)), fc.constantFrom('{"n":5}', '{"n":5,"n":6}', '{"n":500}').map(utf8Encode));
    const type = fc.oneof(fc.constant('application/json'), fc.constantFrom('text/plain', 'application/json; charset=utf-8', 'APPLICATION/JSON', ''), trickyString.map((s) => s.replace(/[^\x20-\x7e]/g, '')));
    await fuzzAsync('service app body (readJsonBody + schema)', fc.tuple(fc.constantFrom('/v1/echo', '/v1/checked'), body, type), async ([path, b, t], tally) => {
      const res = await app.request(path, { method: 'POST', body: b as Uint8Array<ArrayBuffer>, headers: t ? { 'content-type': t } : {} });
      expect(res.status === 200 || (res.status >= 400 && res.status < 500), `status ${res.status}`).toBe(true);
      const json = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
      if (res.status !== 200) {
        expect(typeof json.error?.code).toBe('string');
        expect(typeof json.error?.message).toBe('string');
        tally.note(`answered ${res.status}`);
      }
    }, fuzzRuns(1500));
  }, T);

  it('the governance node schemas return the value or ERR_SCHEMA_INVALID for any JSON value', () => {
    const envelope = { payloadType: 'application/vnd.quorumkit.governance.vote+json;v=1', payload: 'e30=', signatures: [{ keyid: 'did:pqaid:x', alg: 'ML-DSA-44', sig: 'AA==' }] };
    const values = fc.oneof(jsonValue({ hostile: true }), anyValue, mutateValue({ vote: envelope }), mutateValue({ proposal: envelope }), mutateValue({ result: envelope, votes: [envelope] }));
    fuzzSync('governance schemas (submitProposal, submitVote, publishResult, empty)', fc.tuple(fc.constantFrom('submitProposal', 'submitVote', 'publishResult', 'empty') as fc.Arbitrary<keyof typeof governanceSchemas>, values), ([which, v]) => {
      expect(governanceSchemas[which](v)).toBe(v);
    });
  });

  it('errorResponse maps any thrown value to a status and an error body, never throwing', () => {
    fuzzSync('errorResponse(any)', fc.tuple(fc.oneof(anyValue, fc.constant(new QuorumkitError('x', { details: { code: 'forged', a: 1 } }))), fc.oneof(trickyString, fc.constant('rid'))), ([err, rid]) => {
      const r = errorResponse(err, rid);
      expect(r.status >= 400 && r.status <= 599).toBe(true);
      expect(typeof r.body.error.code).toBe('string');
      expect(JSON.parse(JSON.stringify(r.body))).toEqual(r.body);
    });
  });
});

describe('callService answers under fuzzing', () => {
  const realFetch = globalThis.fetch;
  let next: { status: number; body: Uint8Array } = { status: 200, body: new Uint8Array() };
  beforeAll(() => {
    globalThis.fetch = (async () => new Response(next.body as Uint8Array<ArrayBuffer>, { status: next.status, headers: { 'content-type': 'application/json' } })) as typeof fetch;
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  it('returns the parsed answer or throws ServiceCallError / ERR_IO for anything a peer sends', async () => {
    const status = fc.oneof(fc.constantFrom(200, 201, 204, 400, 401, 404, 409, 500, 503), fc.integer({ min: 200, max: 599 }));
    const errorBody = fc.record({ error: fc.oneof(jsonValue(), fc.record({ code: fc.oneof(trickyString, jsonValue({ hostile: true })), message: fc.oneof(trickyString, jsonValue({ hostile: true })), requestId: fc.oneof(trickyString, jsonValue()) }, { requiredKeys: [] })) }).map((v) => JSON.stringify(v) ?? '');
    const text = fc.oneof(jsonText, errorBody, fc.constant(''));
    await fuzzAsync('callService(answer)', fc.tuple(status.filter((s) => s !== 204 && s !== 205 && s !== 304), fc.oneof(text.map((t) => utf8Encode(t.replace(/[\ud800-\udfff]/g, '?'))), randomBytes)), async ([s, b]) => {
      next = { status: s, body: b };
      await callService('http://peer.invalid', '/v1/x');
    }, fuzzRuns(1500));
  }, T);
});
