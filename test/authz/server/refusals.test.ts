// Every refused request over the HTTP API is a typed 4xx `{ error: { code, message } }` and changes
// nothing: the service's whole recorded state (delegations and counters, hops, bindings, requests,
// witnesses, decisions, log size) is compared before and after. Malformed JSON and bodies, unknown
// delegations, forged / tampered / foreign / stale / replayed request signatures, another society,
// widening and forged chain hops, an untrusted root, duplicate registrations, bad witness
// attestations and untrusted LCT credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../../../src/core/bytes.js';
import { parseStrict } from '../../../src/core/parse-strict.js';
import { signEnvelope, type Envelope } from '../../../src/envelope/index.js';
import { DELEGATION_HOP_PAYLOAD_TYPE, issueLctCredential, readDelegationHop, signAuthorizationRequest } from '../../../src/authz/index.js';
import { signWitnessAttestation } from '../../../src/authz/witness.js';
import type { AuthzService } from '../../../src/authz/server/index.js';
import { clock, client, identities, openService, request, rootHop, ROLE, S, T0, type Ids } from './_fixture.js';

let ids: Ids;
let svc: AuthzService;
let api: ReturnType<typeof client>;
let parent: Envelope;

beforeAll(async () => {
  ids = await identities();
  svc = await openService(ids);
  api = client(svc);
  parent = await rootHop(ids, ids.agent, 'd-main');
  expect((await api.post('/v1/delegations', { chain: [parent] })).status).toBe(201);
  // Some state to keep: a grant, a deferred request.
  expect((await api.post('/v1/decide', await request(ids.agent, { delegationId: 'd-main' }))).status).toBe(200);
  expect((await api.post('/v1/decide', await request(ids.agent, { delegationId: 'd-main', action: 'approve' }))).body.record.decision).toBe('deferred');
});
afterAll(async () => svc.close());

/** Sends, expects `status` and `code`, and proves nothing changed. */
async function refused(send: () => Promise<{ status: number; body: any }>, status: number, code: string): Promise<any> {
  const before = svc.stateDump();
  const r = await send();
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error).toMatchObject({ code, message: expect.any(String) });
  expect(svc.stateDump()).toBe(before);
  return r.body.error;
}

/** The envelope with its payload's body edited (the signature no longer matches). */
function tamper(env: Envelope, edit: (b: Record<string, unknown>) => void): Envelope {
  const body = parseStrict(utf8Decode(base64Decode(env.payload))) as Record<string, unknown>;
  edit(body);
  return { ...env, payload: base64Encode(utf8Encode(JSON.stringify(body))) };
}

const raw = (path: string, text: string, type = 'application/json') => async () => {
  const res = await api.raw(path, text, { 'content-type': type });
  return { status: res.status, body: await res.json() };
};

describe('malformed bodies (every POST route)', () => {
  it.each(['/v1/decide', '/v1/delegations', '/v1/witness', '/v1/lct-credentials'])('%s: bad JSON, duplicate keys, wrong type, wrong shape', async (path) => {
    await refused(raw(path, '{"payloadType":'), 400, 'ERR_JSON_PARSE');
    await refused(raw(path, '{"a":1,"a":2}'), 400, 'ERR_JSON_DUPLICATE_KEY');
    await refused(raw(path, '{}', 'text/plain'), 400, 'ERR_INVALID_ARGUMENT');
    await refused(raw(path, '{"payloadType":"x","payload":"eA==","signatures":[],"extra":1}'), 400, 'ERR_SCHEMA_INVALID');
    await refused(raw(path, '[]'), 400, 'ERR_SCHEMA_INVALID');
  });
  it('an oversize body is 413', async () => {
    await refused(raw('/v1/decide', JSON.stringify({ payloadType: 'x', payload: 'A'.repeat(300_000), signatures: [] })), 413, 'ERR_PAYLOAD_TOO_LARGE');
  });
});

describe('POST /v1/decide refusals', () => {
  it('an unknown delegation: 404, and the nonce is not spent (the same envelope is refused the same way)', async () => {
    const env = await request(ids.agent, { delegationId: 'd-nope' });
    const e = await refused(() => api.post('/v1/decide', env), 404, 'ERR_NOT_FOUND');
    expect(e.delegation_id).toBe('d-nope');
    await refused(() => api.post('/v1/decide', env), 404, 'ERR_NOT_FOUND');
  });

  it('forged, tampered, foreign-signed, stale, wrong-type and other-society requests', async () => {
    const env = await request(ids.agent, { delegationId: 'd-main' });
    const sig = base64Decode(env.signatures[0]!.sig);
    sig[10]! ^= 1;
    await refused(() => api.post('/v1/decide', { ...env, signatures: [{ ...env.signatures[0]!, sig: base64Encode(sig) }] }), 401, 'ERR_UNAUTHENTICATED');
    await refused(() => api.post('/v1/decide', tamper(env, (b) => (b['atp_cost'] = 1))), 401, 'ERR_UNAUTHENTICATED');
    await refused(async () => api.post('/v1/decide', await signAuthorizationRequest(ids.stranger, S, { action: 'read', targetResource: 'x', atpCost: 1, delegationId: 'd-main' }, { now: clock.now, requester: ids.agent.did })), 401, 'ERR_UNAUTHENTICATED');
    await refused(async () => api.post('/v1/decide', await request(ids.agent, { delegationId: 'd-main' }, { now: clock.now - 3600 })), 401, 'ERR_UNAUTHENTICATED');
    await refused(async () => api.post('/v1/decide', await signWitnessAttestation(ids.w1, 'ab'.repeat(32), S)), 401, 'ERR_UNAUTHENTICATED');
    await refused(async () => api.post('/v1/decide', await signAuthorizationRequest(ids.agent, 'society:other', { action: 'read', targetResource: 'x', atpCost: 1, delegationId: 'd-main' }, { now: clock.now })), 400, 'ERR_INVALID_ARGUMENT');
    // The untampered original still decides.
    expect((await api.post('/v1/decide', env)).status).toBe(200);
  });

  it('a replayed request: 401, and the replay changes nothing', async () => {
    const env = await request(ids.agent, { delegationId: 'd-main' });
    const first = await api.post('/v1/decide', env);
    expect(first.body.record.decision).toBe('granted');
    const e = await refused(() => api.post('/v1/decide', env), 401, 'ERR_UNAUTHENTICATED');
    expect(e.message).toMatch(/replay/);
  });
});

describe('POST /v1/delegations refusals', () => {
  const child = (over: Record<string, unknown>, signer = ids.agent) => {
    const p = readDelegationHop(parent);
    return signEnvelope({
      societyId: S, delegationId: 'd-wide', parentHopId: p.hopId, delegator: ids.agent.did, delegate: ids.low.did, roleLct: ROLE, permissions: ['read'],
      atpBudget: 10, maxActionsPerHour: 10, validFrom: T0, validUntil: T0 + 3600, depth: 2, ...over,
    }, DELEGATION_HOP_PAYLOAD_TYPE, [signer]);
  };

  it('a hop that widens its parent\'s budget or permissions: ERR_AUTHZ_ATTENUATION naming the rule', async () => {
    const e1 = await refused(async () => api.post('/v1/delegations', { chain: [parent, await child({ atpBudget: 5000 })] }), 400, 'ERR_AUTHZ_ATTENUATION');
    expect(e1).toMatchObject({ hop: 1, violations: ['budget'] });
    const e2 = await refused(async () => api.post('/v1/delegations', { chain: [parent, await child({ permissions: ['read', 'spend'] })] }), 400, 'ERR_AUTHZ_ATTENUATION');
    expect(e2.violations).toEqual(['permissions']);
  });

  it('a forged hop signature, an untrusted root, an empty or overlong chain, a repeated registration', async () => {
    await refused(async () => api.post('/v1/delegations', { chain: [parent, await child({}, ids.stranger)] }), 401, 'ERR_AUTHZ_CHAIN_SIGNATURE');
    const { issueDelegation } = await import('../../../src/authz/index.js');
    const untrusted = await issueDelegation(ids.stranger, { societyId: S, delegationId: 'd-x', delegate: ids.agent.did, roleLct: ROLE, permissions: ['read'], atpBudget: 1, validFrom: T0 });
    await refused(() => api.post('/v1/delegations', { chain: [untrusted] }), 400, 'ERR_AUTHZ_CHAIN');
    await refused(() => api.post('/v1/delegations', { chain: [] }), 400, 'ERR_SCHEMA_INVALID');
    await refused(() => api.post('/v1/delegations', { chain: [parent, parent, parent, parent] }), 400, 'ERR_SCHEMA_INVALID');
    await refused(() => api.post('/v1/delegations', { chain: [parent] }), 409, 'ERR_CONFLICT');
  });
});

describe('POST /v1/witness and /v1/lct-credentials refusals', () => {
  it('forged, not-allowed, unknown-request and other-society attestations', async () => {
    const digest = (await api.post('/v1/decide', await request(ids.agent, { delegationId: 'd-main', action: 'approve', atpCost: 3 }))).body.record.request_digest as string;
    const att = await signWitnessAttestation(ids.w1, digest, S, { now: clock.now });
    await refused(() => api.post('/v1/witness', tamper(att, (b) => (b['signed_at'] = 1))), 401, 'ERR_UNAUTHENTICATED');
    await refused(async () => api.post('/v1/witness', await signWitnessAttestation(ids.w3, digest, S)), 403, 'ERR_FORBIDDEN');
    await refused(async () => api.post('/v1/witness', await signWitnessAttestation(ids.w1, 'cd'.repeat(32), S)), 404, 'ERR_NOT_FOUND');
    await refused(async () => api.post('/v1/witness', await signWitnessAttestation(ids.w1, digest, 'society:other')), 400, 'ERR_INVALID_ARGUMENT');
    expect((await api.post('/v1/witness', att)).status).toBe(200);
  });

  it('an LCT credential from an untrusted issuer, or expired', async () => {
    const bad = await issueLctCredential(ids.stranger, { societyId: S, lctId: 'lct:ai:x', holder: ids.agent.did, issuedAt: T0 });
    await refused(() => api.post('/v1/lct-credentials', { credential: bad }), 401, 'ERR_UNAUTHENTICATED');
    const old = await issueLctCredential(ids.issuer, { societyId: S, lctId: 'lct:ai:x', holder: ids.agent.did, issuedAt: T0 - 100, validSeconds: 50 });
    await refused(() => api.post('/v1/lct-credentials', { credential: old }), 401, 'ERR_UNAUTHENTICATED');
  });

  it('reads of unknown ids are 404', async () => {
    for (const p of ['/v1/requests/ab', '/v1/receipts/ab', '/v1/receipts/ab/proof', '/v1/delegations/none']) expect((await api.get(p)).status).toBe(404);
  });
});
