// The `--legacy` custodian over real HTTP on loopback, against QuorumVM's custodian API
// (quorumvm/custodian/app.py): /health, /install, /approve, /eval_share (plain evaluation),
// /install_beaver (per-node FIFO pools), /eval_beaver with /beaver_round2 and with QuorumVM's P2P
// exchange (/beaver_shares, /beaver_resolve_p2p, checked beyond K), the resharing endpoints and
// DELETE /reshare_retire/{id}; errors carry FastAPI's `detail` and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconstruct, split } from '../../../src/field/index.js';
import { P } from '../../../src/field/constants.js';
import { dealTriples } from '../../../src/mpc/engine/index.js';
import { unpackElements } from '../../../src/field/index.js';
import { hmacApproval } from '../../../src/mpc/legacy-hmac.js';
import { legacyPackage, SAMPLE_SRC, send, startLegacyCluster, type LegacyCluster } from './_legacy-cluster.js';

let cl: LegacyCluster;
let n = 0;
const fresh = (src = SAMPLE_SRC) => legacyPackage(src, { budget_per_identity: 5000 + ++n });
const url = (i: number) => cl.custodians[i]!.url;

async function installAll(pkg: { json: unknown }, secret = 42n): Promise<void> {
  const shares = split(secret, { k: 2, n: 3 });
  for (let i = 0; i < 3; i++) expect((await send(url(i), '/install', { program_package: pkg.json, share_x: Number(shares[i]!.x), share_y: shares[i]!.y })).body).toEqual({ status: 'installed', custodian: i });
}

/** Deals `count` pool entries of the node `y` to the three custodians, in QuorumVM's shape. */
async function dealTo(programId: string, count: number, node = 'y'): Promise<void> {
  const d = dealTriples(count, { k: 2, n: 3 });
  for (let i = 0; i < 3; i++) {
    const [a, b, c] = [unpackElements(d[i]!.a), unpackElements(d[i]!.b), unpackElements(d[i]!.c)];
    const x = d[i]!.x;
    const r = await send(url(i), '/install_beaver', { program_id: programId, triple_shares: { [node]: a.map((_, e) => ({ a: [x, a[e]!], b: [x, b[e]!], c: [x, c[e]!] })) } });
    expect(r.body).toEqual({ status: 'beaver_installed', custodian: i, triples_installed: count });
  }
}

beforeAll(async () => { cl = await startLegacyCluster(); });
afterAll(async () => { await cl.close(); });

describe('legacy custodian', () => {
  it('/health, /approve (HMAC of the program id with its key) and /eval_share (plain evaluation, as QuorumVM)', async () => {
    expect((await send(url(1), '/health')).body).toEqual({ custodian: 1, status: 'ok' });
    const pkg = fresh();
    await installAll(pkg);
    expect((await send(url(2), '/approve', { program_id: pkg.programId })).body).toEqual({ custodian_index: 2, program_id: pkg.programId, signature: hmacApproval('custodian-key-gamma', pkg.programId) });
    for (let i = 0; i < 3; i++) {
      const r = await send(url(i), '/eval_share', { program_id: pkg.programId, request_id: 'degrade-test', input_shares: { x: { x: i + 1, y: '5' } } });
      expect(r.body).toEqual({ x: i + 1, y: '144', request_id: 'degrade-test' });
    }
    const multi = fresh('input a\ninput b\nadd s = a b\nmul m = a b\noutput s m\n');
    await installAll(multi);
    expect((await send(url(0), '/eval_share', { program_id: multi.programId, request_id: 'r', input_shares: { a: { x: 1, y: 3 }, b: { x: 1, y: 4 } } })).body).toEqual({ x: 1, y: '7', request_id: 'r', outputs: { s: '7', m: '12' } });
    const missing = await send(url(0), '/approve', { program_id: 'cd'.repeat(32) });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('Program not installed on this custodian');
  });

  it('/eval_beaver + /beaver_round2: one FIFO entry per eval, opened by the caller; an empty pool is 409', async () => {
    const pkg = fresh();
    await installAll(pkg);
    await dealTo(pkg.programId, 1);
    const xs = split(5n, { k: 2, n: 3 });
    const pending: { epsilon_share: string; delta_share: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await send(url(i), '/eval_beaver', { program_id: pkg.programId, request_id: 'rq1', input_shares: { x: { x: i + 1, y: xs[i]!.y.toString() } } });
      expect(r.body.status).toBe('mul_pending');
      expect(r.body.request_id).toBe('rq1');
      expect(r.body.mul_requests).toHaveLength(1);
      expect(r.body.mul_requests[0].node_id).toBe('y');
      pending.push(r.body.mul_requests[0]);
    }
    const open = (f: 'epsilon_share' | 'delta_share') => reconstruct([0, 1].map((i) => ({ x: BigInt(i + 1), y: BigInt(pending[i]![f]) })));
    const resolutions = [{ node_id: 'y', epsilon: open('epsilon_share').toString(), delta: open('delta_share').toString() }];
    const done: { x: number; y: string }[] = [];
    for (let i = 0; i < 3; i++) done.push((await send(url(i), '/beaver_round2', { program_id: pkg.programId, request_id: 'rq1', resolutions })).body);
    expect(done[0]).toMatchObject({ status: 'done', x: 1, request_id: 'rq1' });
    expect(reconstruct(done.slice(1).map((d) => ({ x: BigInt(d.x), y: BigInt(d.y) })))).toBe(144n);
    const again = await send(url(0), '/beaver_round2', { program_id: pkg.programId, request_id: 'rq1', resolutions });
    expect(again.status).toBe(404);
    expect(again.body.detail).toBe('No active executor for this request_id');
    const empty = await send(url(0), '/eval_beaver', { program_id: pkg.programId, request_id: 'rq2', input_shares: { x: { x: 1, y: '1' } } });
    expect(empty.status).toBe(409);
  });

  it("QuorumVM's P2P exchange: /beaver_shares then /beaver_resolve_p2p opens ε, δ among the custodians; a lying peer is caught", async () => {
    const pkg = fresh();
    await installAll(pkg);
    await dealTo(pkg.programId, 2);
    const run = async (rid: string, lie: boolean): Promise<unknown[]> => {
      const xs = split(10n, { k: 2, n: 3 });
      const mine: { node_id: string; epsilon_share: string; delta_share: string }[][] = [];
      for (let i = 0; i < 3; i++) mine.push((await send(url(i), '/eval_beaver', { program_id: pkg.programId, request_id: rid, input_shares: { x: { x: i + 1, y: xs[i]!.y } } })).body.mul_requests);
      for (let s = 0; s < 3; s++) {
        for (let r = 0; r < 3; r++) {
          if (r === s) continue;
          const shares = mine[s]!.map((m: { node_id: string; epsilon_share: string; delta_share: string }) => ({ ...m, epsilon_share: lie && s === 2 ? ((BigInt(m.epsilon_share) + 1n) % P).toString() : m.epsilon_share }));
          expect((await send(url(r), '/beaver_shares', { request_id: rid, from_custodian: s + 1, shares })).body).toEqual({ status: 'received', custodian: r });
        }
      }
      const out: Awaited<ReturnType<typeof send>>[] = [];
      for (let i = 0; i < 3; i++) out.push(await send(url(i), '/beaver_resolve_p2p', { program_id: pkg.programId, request_id: rid, mul_node_ids: ['y'] }));
      return out;
    };
    const honest = (await run('p2p-1', false)) as { body: { status: string; x: number; y: string } }[];
    expect(honest.every((r) => r.body.status === 'done')).toBe(true);
    expect(reconstruct(honest.slice(0, 2).map((r) => ({ x: BigInt(r.body.x), y: BigInt(r.body.y) })))).toBe(289n);
    const lied = (await run('p2p-2', true)) as { status: number; body: { detail: string } }[];
    expect(lied[0]!.status).toBe(502);
    expect(lied[0]!.body.detail).toMatch(/inconsistent/);
  });

  it('/install_beaver refuses nodes that are no multiplication, shares at another x, and garbage — changing nothing', async () => {
    const pkg = fresh();
    await installAll(pkg);
    for (const body of [
      { program_id: pkg.programId, triple_shares: { t: [{ a: [1, 1], b: [1, 1], c: [1, 1] }] } },
      { program_id: pkg.programId, triple_shares: { y: [{ a: [2, 1], b: [2, 1], c: [2, 1] }] } },
      { program_id: pkg.programId, triple_shares: { y: [{ a: [1, P], b: [1, 1], c: [1, 1] }] } },
      { program_id: pkg.programId, triple_shares: { y: [{ a: [1], b: [1, 1], c: [1, 1] }] } },
      'garbage',
    ]) {
      const r = await send(url(0), '/install_beaver', body);
      expect(r.status).toBe(400);
      expect(r.body.detail).toBe(r.body.error.message);
    }
    expect((await send(url(0), '/eval_beaver', { program_id: pkg.programId, request_id: 'none', input_shares: { x: { x: 1, y: 1 } } })).status).toBe(409);
  });

  it('resharing: generate → apply refreshes the shares of the same secret; lagrange_partial; set_share; retire', async () => {
    const pkg = fresh();
    await installAll(pkg, 123456789n);
    const shareOf = async (i: number) => BigInt((await send(url(i), '/reshare_lagrange_partial', { program_id: pkg.programId, target_x: i + 1, participant_x_coords: [i + 1] })).body.partial);
    const before = await Promise.all([0, 1, 2].map(shareOf));
    const gen = await Promise.all([0, 1, 2].map((i) => send(url(i), '/reshare_generate', { program_id: pkg.programId, target_x_coords: [1, 2, 3], k: 2 })));
    for (const [i, g] of gen.entries()) {
      expect(g.body.custodian).toBe(i);
      expect(Object.keys(g.body.sub_shares).sort()).toEqual(['1', '2', '3']);
    }
    for (let t = 0; t < 3; t++) {
      const r = await send(url(t), '/reshare_apply', { program_id: pkg.programId, sub_shares: gen.map((g) => g.body.sub_shares[String(t + 1)]) });
      expect(r.body).toEqual({ custodian: t, status: 'reshared', x: t + 1 });
    }
    const after = await Promise.all([0, 1, 2].map(shareOf));
    expect(after).not.toEqual(before);
    expect(reconstruct([{ x: 1n, y: after[0]! }, { x: 3n, y: after[2]! }])).toBe(123456789n);
    expect(reconstruct([{ x: 1n, y: before[0]! }, { x: 3n, y: after[2]! }])).not.toBe(123456789n);
    const partials = await Promise.all([0, 1].map((i) => send(url(i), '/reshare_lagrange_partial', { program_id: pkg.programId, target_x: 4, participant_x_coords: [1, 2] })));
    const y4 = (BigInt(partials[0]!.body.partial) + BigInt(partials[1]!.body.partial)) % P;
    expect(reconstruct([{ x: 4n, y: y4 }, { x: 1n, y: after[0]! }])).toBe(123456789n);
    expect((await send(url(2), '/reshare_set_share', { program_id: pkg.programId, share_x: 3, share_y: after[2]!.toString(), program_package: pkg.json })).body).toEqual({ custodian: 2, status: 'share_set', x: 3 });
    expect((await send(url(2), `/reshare_retire/${pkg.programId}`, undefined, 'DELETE')).body).toEqual({ custodian: 2, status: 'retired', program_id: pkg.programId });
    expect((await send(url(2), `/reshare_retire/${pkg.programId}`, undefined, 'DELETE')).body.status).toBe('not_found');
    const gone = await send(url(2), '/reshare_generate', { program_id: pkg.programId, target_x_coords: [1], k: 1 });
    expect(gone.status).toBe(404);
    expect(gone.body.detail).toBe('No secret share for this program');
    expect((await send(url(2), '/eval_share', { program_id: pkg.programId, request_id: 'r', input_shares: { x: { x: 3, y: 1 } } })).status).toBe(404);
    expect((await send(url(0), '/reshare_generate', { program_id: pkg.programId, target_x_coords: [1, 1], k: 2 })).status).toBe(400);
    expect((await send(url(0), '/reshare_lagrange_partial', { program_id: pkg.programId, target_x: 4, participant_x_coords: [2, 3] })).status).toBe(400);
  });

  it('garbage bodies and out-of-range integers are 400/422 with detail, and the share is unchanged', async () => {
    const pkg = fresh();
    await installAll(pkg);
    const read = () => send(url(0), '/reshare_lagrange_partial', { program_id: pkg.programId, target_x: 1, participant_x_coords: [1] });
    const before = (await read()).body.partial;
    for (const [path, body] of [
      ['/install', { program_package: pkg.json, share_x: 1, share_y: P }],
      ['/install', { program_package: pkg.json, share_x: 0, share_y: 1 }],
      ['/install', { program_package: pkg.json, share_x: 1, share_y: -5 }],
      ['/reshare_apply', { program_id: pkg.programId, sub_shares: [P + 1n] }],
      ['/reshare_apply', `{"program_id":"${pkg.programId}","sub_shares":[1],"sub_shares":[2]}`],
      ['/eval_share', { program_id: pkg.programId, request_id: 'r', input_shares: { x: 5 } }],
      ['/beaver_shares', { request_id: 'nope', from_custodian: 1, shares: [] }],
    ] as const) {
      const r = await send(url(0), path, body);
      expect([400, 404, 422]).toContain(r.status);
      expect(typeof r.body.detail).toBe('string');
    }
    expect((await read()).body.partial).toBe(before);
  });
});
