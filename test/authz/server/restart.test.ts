// The authorization service across a clean restart on the same data dir: counters, revocations,
// LCT bindings and deferred requests survive; a deferred request is granted by witnesses arriving
// after the restart (its credential re-verified without spending a nonce); a request accepted before
// is still a replay after; log indices continue, so receipts from both lives verify against one
// checkpoint. A store and a log that disagree (files of different services) are refused.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDecisionReceipt } from '../../../src/authz/receipt.js';
import { signWitnessAttestation } from '../../../src/authz/witness.js';
import { clock, client, identities, openService, request, rootHop, S, type Ids } from './_fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-authz-restart-'));
let ids: Ids;
beforeAll(async () => {
  ids = await identities();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('AuthzService restart', () => {
  it('keeps counters, revocations and deferred requests; receipts of both lives verify', async () => {
    const data = join(dir, 'a');
    let svc = await openService(ids, data);
    let api = client(svc);
    expect((await api.post('/v1/delegations', { chain: [await rootHop(ids, ids.agent, 'd1', { atpBudget: 100 })] })).status).toBe(201);
    expect((await api.post('/v1/delegations', { chain: [await rootHop(ids, ids.agent, 'd2')] })).status).toBe(201);
    const granted = await api.post('/v1/decide', await request(ids.agent, { delegationId: 'd1', atpCost: 30 }));
    const replayed = await request(ids.agent, { delegationId: 'd1', atpCost: 1 });
    expect((await api.post('/v1/decide', replayed)).body.record.decision).toBe('granted');
    const deferred = await api.post('/v1/decide', await request(ids.agent, { delegationId: 'd1', action: 'approve', atpCost: 5 }));
    expect(deferred.body.record.decision).toBe('deferred');
    expect((await api.signedPost(ids.op, '/v1/delegations/d2/revoke', {})).status).toBe(200);
    const digest = deferred.body.record.request_digest as string;
    expect((await api.post('/v1/witness', await signWitnessAttestation(ids.w1, digest, S, { now: clock.now }))).body.state.witnesses).toEqual([ids.w1.did]);
    const dump = svc.stateDump();
    await svc.close();

    svc = await openService(ids, data);
    api = client(svc);
    try {
      expect(svc.stateDump()).toBe(dump);
      expect((await api.get('/v1/delegations/d1')).body).toMatchObject({ atpSpent: 31, actionsThisHour: 2, revoked: false });
      expect((await api.post('/v1/decide', replayed)).status).toBe(401);
      expect((await api.post('/v1/decide', await request(ids.agent, { delegationId: 'd2' }))).body.record.denial_reason).toBe('delegation_expired');
      const w2 = await api.post('/v1/witness', await signWitnessAttestation(ids.w2, digest, S, { now: clock.now }));
      expect(w2.body.decision.record).toMatchObject({ decision: 'granted', atp_remaining: 64, attempt: 1, witnesses: 2 });
      expect(w2.body.decision.log_index).toBe(granted.body.log_index + 7);
      const cp = await api.get('/v1/log/checkpoint');
      for (const r of [granted.body, w2.body.decision]) {
        const inc = await api.get(`/v1/log/proofs/inclusion?index=${r.log_index}&size=${cp.body.treeSize}`);
        const v = await verifyDecisionReceipt(r.receipt, { serviceDid: svc.did, checkpoint: cp.body.checkpoint, inclusionProof: { index: r.log_index, treeSize: cp.body.treeSize, proof: inc.body.proof } });
        expect(v).toMatchObject({ valid: true, included: true });
      }
    } finally {
      await svc.close();
    }
  });

  it('refuses a store and a log of different services', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const svc = await openService(ids, b);
    await svc.close();
    copyFileSync(join(b, 'log.db'), join(a, 'log.db'));
    rmSync(join(a, 'log.db-wal'), { force: true });
    rmSync(join(a, 'log.db-shm'), { force: true });
    await expect(openService(ids, a)).rejects.toMatchObject({ code: 'ERR_IO' });
  });
});
