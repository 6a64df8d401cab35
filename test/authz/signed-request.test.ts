// Signed authorization requests and LCT credentials: the real check behind the seed's stub credential.
// A good request verifies into a credential the engine accepts; a forged, tampered, stale, replayed,
// other-society or wrongly signed one is a typed error and records nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../../src/core/bytes.js';
import { NonceCache } from '../../src/http/replay-guard.js';
import { Identity } from '../../src/pq/identity.js';
import { signEnvelope } from '../../src/envelope/sign.js';
import {
  AUTHZ_REQUEST_PAYLOAD_TYPE, AuthorizationEngine, issueLctCredential, parseRequestBody, requestDigest, signAuthorizationRequest, verifyAuthorizationRequest, verifyLctCredential, type LctBinding,
} from '../../src/authz/index.js';

const S = 'society:test';
const T0 = 1_733_011_200;
let agent: Identity;
let other: Identity;
let issuer: Identity;
beforeAll(async () => {
  [agent, other, issuer] = await Promise.all([Identity.create('agent', { level: 44 }), Identity.create('other', { level: 44 }), Identity.create('issuer', { level: 44 })]);
});
const fields = { action: 'read', targetResource: 'data:x', atpCost: 5, delegationId: null, context: { trust_context: 'research' } };

describe('signAuthorizationRequest / verifyAuthorizationRequest', () => {
  it('a did:pqaid requester: verifies into a credential; the engine grants under the citizen role… of a did (default role → deferred)', async () => {
    const env = await signAuthorizationRequest(agent, S, fields, { now: T0 });
    const v = await verifyAuthorizationRequest(env, { societyId: S, now: T0 + 10 });
    expect(v.request).toMatchObject({ requesterLct: agent.did, action: 'read', atpCost: 5, context: { trust_context: 'research' }, timestamp: T0 });
    expect(v.credential).toMatchObject({ lctId: agent.did, verifiedBy: 'ml-dsa', societyId: S });
    expect(v.signer).toBe(agent.did);
    expect(v.digest).toBe(requestDigest(env));
    expect(v.digest).toMatch(/^[0-9a-f]{64}$/);
    const e = new AuthorizationEngine(S, { clock: () => T0 });
    expect(e.authorize(v.request, { credential: v.credential }).decision).toBe('deferred'); // the stub's default role wants a witness
  });

  it('an LCT id: signed by the holder its credential names; without a credential → null (the engine denies invalid_lct)', async () => {
    const cred = await issueLctCredential(issuer, { societyId: S, lctId: 'lct:ai:assistant', holder: agent.did, issuedAt: T0 - 10 });
    const b = await verifyLctCredential(cred, { societyId: S, trustedIssuers: [issuer.did], now: T0 });
    expect(b.reason).toBeNull();
    const bindings = (l: string): LctBinding | undefined => (l === 'lct:ai:assistant' ? b.binding! : undefined);
    const env = await signAuthorizationRequest(agent, S, fields, { now: T0, requester: 'lct:ai:assistant' });
    const v = await verifyAuthorizationRequest(env, { societyId: S, now: T0, bindings });
    expect(v.credential).toMatchObject({ lctId: 'lct:ai:assistant', birthCertificateHash: agent.did.slice(10) });
    expect(new AuthorizationEngine(S, { clock: () => T0 }).authorize(v.request, { credential: v.credential }).decision).toBe('granted');
    const byOther = await signAuthorizationRequest(other, S, fields, { now: T0, requester: 'lct:ai:assistant' });
    await expect(verifyAuthorizationRequest(byOther, { societyId: S, now: T0, bindings })).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED', message: /not signed by the requester's key/ });
    const unknown = await signAuthorizationRequest(agent, S, fields, { now: T0, requester: 'lct:ai:stranger' });
    const u = await verifyAuthorizationRequest(unknown, { societyId: S, now: T0, bindings });
    expect(u).toMatchObject({ credential: null, credentialReason: 'no LCT credential for lct:ai:stranger' });
    expect(new AuthorizationEngine(S).authorize(u.request, { credential: u.credential }).denialReason).toBe('invalid_lct');
  });

  it('LCT credentials: untrusted issuer, other society, outside the window, tampered → a reason', async () => {
    const cred = await issueLctCredential(issuer, { societyId: S, lctId: 'lct:ai:a', holder: agent.did, issuedAt: T0, validSeconds: 100 });
    expect((await verifyLctCredential(cred, { societyId: S, trustedIssuers: [other.did], now: T0 })).reason).toMatch(/threshold not met/);
    expect((await verifyLctCredential(cred, { societyId: 'society:b', trustedIssuers: [issuer.did], now: T0 })).reason).toMatch(/for society/);
    expect((await verifyLctCredential(cred, { societyId: S, trustedIssuers: [issuer.did], now: T0 + 101 })).reason).toMatch(/validity window/);
    const body = JSON.parse(utf8Decode(base64Decode(cred.payload)));
    const forged = { ...cred, payload: base64Encode(utf8Encode(JSON.stringify({ ...body, holder: other.did }))) };
    expect((await verifyLctCredential(forged, { societyId: S, trustedIssuers: [issuer.did], now: T0 })).binding).toBeNull();
    await expect(issueLctCredential(issuer, { societyId: S, lctId: 'lct:x', holder: 'lct:not-a-did' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('forged, tampered, stale, future, replayed, other-society, co-signed requests → typed errors; the nonce is recorded only for a good one', async () => {
    const nonces = new NonceCache();
    const o = { societyId: S, now: T0, nonces };
    const env = await signAuthorizationRequest(agent, S, fields, { now: T0 });
    const body = JSON.parse(utf8Decode(base64Decode(env.payload)));
    const tampered = { ...env, payload: base64Encode(utf8Encode(JSON.stringify({ ...body, atp_cost: 1 }))) };
    await expect(verifyAuthorizationRequest(tampered, o)).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED' });
    const forged = await signEnvelope({ ...body, requester: agent.did }, AUTHZ_REQUEST_PAYLOAD_TYPE, [other]);
    await expect(verifyAuthorizationRequest(forged, o)).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED', message: /not signed by the requester/ });
    const cosigned = await signEnvelope(body, AUTHZ_REQUEST_PAYLOAD_TYPE, [agent, other]);
    await expect(verifyAuthorizationRequest(cosigned, o)).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED', message: /exactly one/ });
    const padded = { ...env, signatures: [...env.signatures, { ...env.signatures[0]!, sig: env.signatures[0]!.sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }] };
    await expect(verifyAuthorizationRequest(padded, o)).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED', message: /exactly one/ }); // a valid signature plus a bad one
    await expect(verifyAuthorizationRequest(env, { ...o, now: T0 + 301 })).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED', message: /clock skew/ });
    await expect(verifyAuthorizationRequest(env, { ...o, now: T0 - 301 })).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED' });
    await expect(verifyAuthorizationRequest(env, { ...o, societyId: 'society:b' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(verifyAuthorizationRequest({ payloadType: 'x' }, o)).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED' });
    await verifyAuthorizationRequest(env, o);
    await expect(verifyAuthorizationRequest(env, o)).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED', message: /replay/ });
    await expect(signAuthorizationRequest(agent, S, { ...fields, atpCost: -1 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(signAuthorizationRequest(agent, S, { ...fields, context: { big: 'x'.repeat(17_000) } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(signAuthorizationRequest(agent, S, fields, { nonce: 'xyz' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('parseRequestBody refuses every malformed body with InvalidArgumentError', () => {
    const good = { type: 'authz.request', society: S, requester: 'lct:a', action: 'read', target: 't', atp_cost: 1, context: {}, delegation_id: null, timestamp: T0, nonce: '0'.repeat(32) };
    expect(parseRequestBody(good).request.requesterLct).toBe('lct:a');
    for (const bad of [null, [], 'x', { ...good, extra: 1 }, { ...good, type: 'vote' }, { ...good, society: '' }, { ...good, nonce: 'g'.repeat(32) }, { ...good, context: [] }, { ...good, delegation_id: 5 }, { ...good, atp_cost: '1' }, { ...good, timestamp: 'now' }, { ...good, requester: '' }]) {
      expect(() => parseRequestBody(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    }
  });
});
