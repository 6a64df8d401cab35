// The evaluation hot path over real HTTP on loopback: the client's packed batch API (evalPacked)
// agrees with eval() and refuses malformed vectors before any request; a custodian's evaluation
// rounds refuse a replayed request (in-memory round nonces), a triple range used before (409,
// durable), a range outside its lot (400) and an unknown lot (404), and read only the range given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Encode } from '../../../src/core/bytes.js';
import { canonicalize } from '../../../src/core/canonical-json.js';
import { packElements, unpackElements } from '../../../src/field/index.js';
import { P } from '../../../src/field/constants.js';
import { callService, signRequest } from '../../../src/http/index.js';
import { boxAad } from '../../../src/mpc/channel/aad.js';
import { seal } from '../../../src/mpc/channel/seal.js';
import { shareAt } from '../../../src/mpc/client/share.js';
import { startCluster, type Cluster } from '../_cluster.js';

const SQUARE = 'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n';

describe('evaluation hot path', () => {
  let cluster: Cluster;
  let programId: string;
  beforeAll(async () => {
    cluster = await startCluster();
    const client = await cluster.client();
    ({ programId } = await client.install({ source: SQUARE, policy: { budget_per_identity: 1000, max_evals_per_minute: 1000 }, beaverPoolSize: 20 }));
  });
  afterAll(async () => { await cluster.close(); });

  it('evalPacked takes and returns packed vectors, equal to eval()', async () => {
    const client = await cluster.client();
    const xs = [3n, 10n, 0n, P - 7n, 123456789012345678901234567890n];
    const out = await client.evalPacked(programId, { x: packElements(xs) });
    expect(Object.keys(out)).toEqual(['y']);
    expect(unpackElements(out['y']!)).toEqual(xs.map((x) => ((x + 7n) ** 2n) % P));
    expect((await client.eval(programId, xs.map((x) => ({ x })))).map((o) => o['y'])).toEqual(unpackElements(out['y']!));
  });

  it('evalPacked refuses missing, unpacked and non-canonical inputs without spending anything', async () => {
    const client = await cluster.client();
    const before = cluster.coordinator.svc.beaverPool(programId).pool_remaining;
    await expect(client.evalPacked(programId, {})).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(client.evalPacked(programId, { x: new Uint8Array(15) })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    const notCanonical = packElements([1n]);
    notCanonical.fill(0xff);
    await expect(client.evalPacked(programId, { x: notCanonical })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(cluster.coordinator.svc.beaverPool(programId).pool_remaining).toBe(before);
  });

  it('a box that is not strict base64 is refused with 400 at the coordinator, before anything is charged or allocated', async () => {
    const before = cluster.coordinator.svc.beaverPool(programId).pool_remaining;
    const audit = cluster.coordinator.svc.audit().entries.length;
    for (const box of ['not base64!', 'QUJD', 'QUI', 'QUI=\n']) {
      const body = { program_id: programId, request_id: 'bad-box-0001', batch: 1, inputs: { 0: box, 1: 'QUJD', 2: 'QUJD' } };
      const err = await callService(cluster.coordinator.server.url, '/eval', { body, signer: cluster.owner, audience: cluster.coordinator.svc.did }).catch((e: unknown) => e);
      expect(err, box).toMatchObject({ status: 400, code: 'ERR_INVALID_ARGUMENT' });
      // well-formed base64, not a box: the custodians refuse it, and so does the coordinator (not charged)
      if (box === 'QUJD') expect((err as Error).message).toContain('custodian(s) 0, 1, 2 refused the sealed inputs');
    }
    expect(cluster.coordinator.svc.beaverPool(programId).pool_remaining).toBe(before - 1); // the range it was given is skipped
    expect(cluster.coordinator.svc.audit().entries.length).toBe(audit + 1); // the one eval_failed
  });

  it("a custodian's rounds refuse replays, reused triples, ranges outside the lot and unknown lots", async () => {
    const lot = await cluster.dealer.svc.deal(programId, 4);
    const custodian = cluster.custodians[0]!;
    const client = await cluster.client();
    const c = client.custodians.find((x) => x.index === 0)!;
    const call = async (requestId: string, triples: { lot_id: string; offset: number; count: number }[], replayOf?: { headers: Record<string, string>; body: string }): Promise<{ status: number; json: { error?: { code: string } }; sent: { headers: Record<string, string>; body: string } }> => {
      let sent = replayOf;
      if (sent === undefined) {
        const [share] = shareAt(packElements([5n, 0n]), 2, [c.x, c.x + 1n]);
        const box = base64Encode(await seal(c.kemPublicKey, share!, boxAad('eval-input', programId, c.did, requestId, '1')));
        const body = canonicalize({ program_id: programId, request_id: requestId, batch: 1, inputs: box, triples });
        const headers = { 'content-type': 'application/json', ...(await signRequest(cluster.coordinator.identity, { method: 'POST', path: '/eval_beaver', body: new TextEncoder().encode(body), audience: c.did })) };
        sent = { headers, body };
      }
      const res = await fetch(`${custodian.server.url}/eval_beaver`, { method: 'POST', headers: sent.headers, body: sent.body });
      return { status: res.status, json: (await res.json()) as { error?: { code: string } }, sent };
    };
    const first = await call('replay-test-0001', [{ lot_id: lot.lot_id, offset: 0, count: 1 }]);
    expect(first.status).toBe(200);
    expect((first.json as { status?: string }).status).toBe('mul_pending');
    const replay = await call('replay-test-0001', [], first.sent);
    expect(replay.status).toBe(401);
    const reused = await call('replay-test-0002', [{ lot_id: lot.lot_id, offset: 0, count: 1 }]);
    expect([reused.status, reused.json.error?.code]).toEqual([409, 'ERR_MPC_TRIPLE_REUSED']);
    const outside = await call('replay-test-0003', [{ lot_id: lot.lot_id, offset: 4, count: 1 }]);
    expect(outside.status).toBe(400);
    const unknown = await call('replay-test-0004', [{ lot_id: 'ab'.repeat(16), offset: 0, count: 1 }]);
    expect(unknown.status).toBe(404);
    // Only the first triple was used: three remain of the test's lot, the refusals took none.
    const fresh = await call('replay-test-0005', [{ lot_id: lot.lot_id, offset: 1, count: 1 }]);
    expect(fresh.status).toBe(200);
  });
});
