// The authorization service over its HTTP API (in process, app.request): every denial reason is
// reached through POST /v1/decide; a deferred request becomes granted when two distinct allowed
// witnesses attest it (a duplicate, a non-allowed witness and an attestation over another request do
// not count) and is denied missing_witness past its deadline; revoking a hop kills every delegation
// under it; receipts verify offline against a signed checkpoint and an inclusion proof.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governanceGate, issueDelegation, issueLctCredential } from '../../../src/authz/index.js';
import { verifyDecisionReceipt } from '../../../src/authz/receipt.js';
import { signWitnessAttestation } from '../../../src/authz/witness.js';
import { AuthzService } from '../../../src/authz/server/index.js';
import { clock, client, identities, LAW, openService, request, rootHop, S, T0, type Ids } from './_fixture.js';

let ids: Ids;
let svc: AuthzService;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  ids = await identities();
  svc = await openService(ids);
  api = client(svc);
  const register = async (chain: unknown[]) => expect((await api.post('/v1/delegations', { chain })).status).toBe(201);
  await register([await rootHop(ids, ids.agent, 'd-main')]);
  await register([await rootHop(ids, ids.agent, 'd-rate', { permissions: ['read'], maxActionsPerHour: 1 })]);
  await register([await rootHop(ids, ids.agent, 'd-short', { validUntil: T0 + 100 })]);
  await register([await rootHop(ids, ids.low, 'd-low', { permissions: ['read'] })]);
});
afterAll(async () => svc.close());

const decide = async (env: unknown) => {
  const r = await api.post('/v1/decide', env);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { decision_id: string; log_index: number; record: { decision: string; denial_reason: string | null; atp_remaining: number; request_digest: string }; receipt: unknown; why: string };
};

describe('POST /v1/decide reaches every decision', () => {
  it('granted, with the ATP left', async () => {
    const r = await decide(await request(ids.agent, { delegationId: 'd-main' }));
    expect(r.record).toMatchObject({ decision: 'granted', denial_reason: null, atp_remaining: 990 });
  });

  it.each([
    ['invalid_lct', async () => request(ids.agent, { delegationId: null }, { requester: 'lct:ai:ghost' })],
    ['role_mismatch', async () => request(ids.agent, { delegationId: 'd-main', action: 'compute' })],
    ['insufficient_trust', async () => request(ids.low, { delegationId: 'd-low' })],
    ['atp_budget_exceeded', async () => request(ids.agent, { delegationId: 'd-main', atpCost: 5000 })],
    ['law_violation', async () => request(ids.agent, { delegationId: 'd-main', action: 'write', targetResource: 'data:forbidden' })],
  ])('%s', async (reason, env) => {
    const r = await decide(await env());
    expect(r.record).toMatchObject({ decision: 'denied', denial_reason: reason });
  });

  it('role_mismatch for an LCT id bound by a trusted issuer, whose citizen role the law does not know', async () => {
    const cred = await issueLctCredential(ids.issuer, { societyId: S, lctId: 'lct:ai:assistant', holder: ids.agent.did, issuedAt: T0 });
    expect((await api.post('/v1/lct-credentials', { credential: cred })).body).toMatchObject({ lct_id: 'lct:ai:assistant', holder: ids.agent.did });
    const r = await decide(await request(ids.agent, { delegationId: null }, { requester: 'lct:ai:assistant' }));
    expect(r.record).toMatchObject({ decision: 'denied', denial_reason: 'role_mismatch' });
    expect(r.why).toMatch(/knows no role role:citizen:lct:ai:assistant/);
  });

  it('rate_limit_exceeded on the second action of an hour limited to one', async () => {
    expect((await decide(await request(ids.agent, { delegationId: 'd-rate' }))).record.decision).toBe('granted');
    expect((await decide(await request(ids.agent, { delegationId: 'd-rate' }))).record).toMatchObject({ decision: 'denied', denial_reason: 'rate_limit_exceeded' });
    expect((await api.get('/v1/delegations/d-rate')).body).toMatchObject({ atpSpent: 10, actionsThisHour: 1 });
  });

  it('delegation_expired once the window has passed', async () => {
    clock.now = T0 + 200;
    try {
      expect((await decide(await request(ids.agent, { delegationId: 'd-short' }))).record).toMatchObject({ decision: 'denied', denial_reason: 'delegation_expired' });
    } finally {
      clock.now = T0 + 10;
    }
  });

  it('missing_witness: a deferred request past its deadline', async () => {
    const env = await request(ids.agent, { delegationId: 'd-main', action: 'approve' });
    const r = await decide(env);
    expect(r.record.decision).toBe('deferred');
    expect(r).toMatchObject({ pending: { witnesses_required: 2, deadline: clock.now + 60 } });
    clock.now += 61;
    try {
      const w = await api.post('/v1/witness', await signWitnessAttestation(ids.w1, r.record.request_digest, S, { now: clock.now }));
      expect(w.status).toBe(200);
      expect(w.body.decision.record).toMatchObject({ decision: 'denied', denial_reason: 'missing_witness', attempt: 1, witnesses: 0 });
      expect(w.body.state).toMatchObject({ status: 'decided', witnesses: [] });
    } finally {
      clock.now = T0 + 10;
    }
  });

  it('missing_witness also by the sweep, without any witness arriving', async () => {
    const r = await decide(await request(ids.agent, { delegationId: 'd-main', action: 'approve' }));
    clock.now += 61;
    try {
      expect(await svc.sweep()).toBe(1);
      const s = await api.get(`/v1/requests/${r.record.request_digest}`);
      expect(s.body).toMatchObject({ status: 'decided', decisions: [{ decision: 'deferred' }, { decision: 'denied', denial_reason: 'missing_witness' }] });
    } finally {
      clock.now = T0 + 10;
    }
  });
});

describe('governance gates', () => {
  it('an emergency freeze denies every request over HTTP (law_violation, check governance) until lifted', async () => {
    const state = { frozen: true };
    const gated = await AuthzService.open(':memory:', ids.svc, { society: S, law: LAW, clock: () => clock.now, trustedRoots: [ids.client.did], sweepIntervalMs: 0, gates: [governanceGate({ state })] });
    try {
      const g = client(gated);
      expect((await g.post('/v1/delegations', { chain: [await rootHop(ids, ids.agent, 'd-g')] })).status).toBe(201);
      const frozen = await g.post('/v1/decide', await request(ids.agent, { delegationId: 'd-g' }));
      expect(frozen.body).toMatchObject({ record: { decision: 'denied', denial_reason: 'law_violation', check: 'governance' }, why: 'an emergency freeze is in force' });
      state.frozen = false;
      expect((await g.post('/v1/decide', await request(ids.agent, { delegationId: 'd-g' }))).body.record.decision).toBe('granted');
    } finally {
      await gated.close();
    }
  });
});

describe('budgets are exactly-once under concurrency', () => {
  it('64 concurrent decisions against a budget for 10 grant exactly 10; the counters and the log agree', async () => {
    expect((await api.post('/v1/delegations', { chain: [await rootHop(ids, ids.agent, 'd-ten', { permissions: ['read'], atpBudget: 10 })] })).status).toBe(201);
    const envs = await Promise.all(Array.from({ length: 64 }, () => request(ids.agent, { delegationId: 'd-ten', atpCost: 1 })));
    const answers = await Promise.all(envs.map((e) => api.post('/v1/decide', e)));
    expect(answers.filter((a) => a.body.record.decision === 'granted')).toHaveLength(10);
    expect(answers.filter((a) => a.body.record.denial_reason === 'atp_budget_exceeded')).toHaveLength(54);
    expect((await api.get('/v1/delegations/d-ten')).body).toMatchObject({ atpSpent: 10, actionsThisHour: 10 });
    const logged = (await api.get('/v1/audit?limit=1000')).body.entries.filter((e: any) => e.entry.delegation_id === 'd-ten' && e.entry.decision === 'granted');
    expect(logged).toHaveLength(10);
    expect(new Set(answers.map((a) => a.body.log_index)).size).toBe(64);
  });
});

describe('witnesses: distinct allowed keys over this exact request', () => {
  it('deferred → granted by two distinct witnesses; a duplicate, a stranger and another request\'s attestation do not count', async () => {
    const a = await decide(await request(ids.agent, { delegationId: 'd-main', action: 'approve', atpCost: 7 }));
    const b = await decide(await request(ids.agent, { delegationId: 'd-main', action: 'approve', atpCost: 8 }));
    const da = a.record.request_digest;
    const db = b.record.request_digest;
    expect(a.record.decision).toBe('deferred');
    const att = (w: typeof ids.w1, d: string) => signWitnessAttestation(w, d, S, { now: clock.now });

    const first = await api.post('/v1/witness', await att(ids.w1, da));
    expect(first.status).toBe(200);
    expect(first.body.state).toMatchObject({ status: 'pending', witnesses: [ids.w1.did], witnesses_required: 2 });
    expect(first.body.decision).toBeUndefined();

    const before = svc.stateDump();
    const dup = await api.post('/v1/witness', await att(ids.w1, da));
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('ERR_CONFLICT');
    const stranger = await api.post('/v1/witness', await att(ids.w3, da));
    expect(stranger.status).toBe(403);
    expect(svc.stateDump()).toBe(before);

    // w2 over request B: counts for B only.
    expect((await api.post('/v1/witness', await att(ids.w2, db))).body.state).toMatchObject({ status: 'pending', witnesses: [ids.w2.did] });
    expect((await api.get(`/v1/requests/${da}`)).body).toMatchObject({ status: 'pending', witnesses: [ids.w1.did] });

    const second = await api.post('/v1/witness', await att(ids.w2, da));
    expect(second.body.decision.record).toMatchObject({ decision: 'granted', attempt: 1, witnesses: 2, request_digest: da });
    expect(second.body.state).toMatchObject({ status: 'decided', decisions: [{ decision: 'deferred' }, { decision: 'granted' }] });
    const late = await api.post('/v1/witness', await att(ids.w1, da));
    expect(late.status).toBe(409);
  });
});

describe('revocation', () => {
  it('revoking a hop kills every delegation under it; only a delegator above it or an operator may', async () => {
    const p = await rootHop(ids, ids.agent, 'd-parent');
    const c = await issueDelegation(ids.agent, { delegationId: 'd-child', delegate: ids.low.did, permissions: ['read'], atpBudget: 50 }, { parent: p });
    expect((await api.post('/v1/delegations', { chain: [p] })).status).toBe(201);
    const reg = await api.post('/v1/delegations', { chain: [p, c] });
    expect(reg.status).toBe(201);
    const [rootId, childHop] = reg.body.hop_ids as string[];

    const before = svc.stateDump();
    expect((await api.signedPost(ids.stranger, '/v1/delegations/d-child/revoke', {})).status).toBe(403);
    expect((await api.post('/v1/delegations/d-child/revoke', {})).status).toBe(401);
    expect((await api.signedPost(ids.op, '/v1/delegations/nope/revoke', {})).status).toBe(404);
    expect(svc.stateDump()).toBe(before);

    const r = await api.signedPost(ids.client, `/v1/delegations/${rootId}/revoke`, {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ hop_id: rootId, revoked: ['d-parent', 'd-child'] });
    expect((await api.signedPost(ids.op, '/v1/delegations/d-child/revoke', {})).body.error.code).toBe('ERR_CONFLICT');
    expect(childHop).toMatch(/^[0-9a-f]{64}$/);
    expect((await decide(await request(ids.low, { delegationId: 'd-child' }))).record).toMatchObject({ decision: 'denied', denial_reason: 'delegation_expired' });
    // A new chain through the revoked hop is refused.
    const again = await issueDelegation(ids.agent, { delegationId: 'd-child2', delegate: ids.low.did, permissions: ['read'], atpBudget: 5 }, { parent: p });
    const refused = await api.post('/v1/delegations', { chain: [p, again] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('ERR_AUTHZ_CHAIN');
  });
});

describe('receipts', () => {
  it('verify offline: the service signature, and inclusion in a signed checkpoint', async () => {
    const r = await decide(await request(ids.agent, { delegationId: 'd-main', atpCost: 1 }));
    const got = await api.get(`/v1/receipts/${r.decision_id}`);
    expect(got.body).toMatchObject({ decision_id: r.decision_id, log_index: r.log_index, record: r.record });
    const proof = await api.get(`/v1/receipts/${r.decision_id}/proof`);
    const v = await verifyDecisionReceipt(proof.body.receipt, { serviceDid: svc.did, checkpoint: proof.body.checkpoint, inclusionProof: proof.body.inclusion });
    expect(v).toMatchObject({ valid: true, included: true, reasons: [] });
    expect((await verifyDecisionReceipt(r.receipt, { serviceDid: svc.did })).valid).toBe(true);
    expect((await verifyDecisionReceipt(r.receipt, { serviceDid: ids.agent.did })).valid).toBe(false);
    const wrong = await verifyDecisionReceipt(r.receipt, { serviceDid: svc.did, checkpoint: proof.body.checkpoint, inclusionProof: { ...proof.body.inclusion, index: 0 } });
    expect(wrong).toMatchObject({ valid: false, included: false });
    const entry = await api.get(`/v1/log/entries/${r.log_index}`);
    expect(entry.body.entry).toEqual(r.record);
    expect((await api.get('/v1/receipts/00')).status).toBe(404);
  });
});
