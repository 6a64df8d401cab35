// Every status-code path of the default-mode coordinator over real HTTP on loopback, and proof that
// a refused request changes nothing (status, pool, spending via a later eval, audit chain re-read):
// 404 unknown program, 400 not active, 429 budget and rate limit (QuorumVM's reasons), 409 pool
// exhausted, 503 fewer than K custodians, 401 unsigned or wrongly signed, 403 not an owner, 400
// malformed JSON / wrong types / bad ids / batch out of range / sealed inputs no custodian can open
// (not charged), 413 oversize bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callService, ServiceCallError } from '../../../src/http/index.js';
import { Identity } from '../../../src/pq/identity.js';
import { P } from '../../../src/field/constants.js';
import { startCluster, type Cluster } from '../_cluster.js';

const SAMPLE = 'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n';
const failure = (p: Promise<unknown>, what = '') => p.then((v) => { throw new Error(`expected a failure ${what}: got ${JSON.stringify(v)}`); }, (e: ServiceCallError) => e);

describe('coordinator status codes (default mode)', () => {
  let cluster: Cluster;
  let url: string;
  let did: string;
  beforeAll(async () => {
    cluster = await startCluster();
    url = cluster.coordinator.server.url;
    did = cluster.coordinator.svc.did;
  });
  afterAll(async () => { await cluster.close(); });

  const audit = async () => (await callService<{ entries: unknown[]; chain_valid: boolean }>(url, '/audit'));

  it('404 for an unknown program on /status, /beaver_pool, /programs and /eval', async () => {
    const unknown = 'ab'.repeat(32);
    for (const path of [`/status/${unknown}`, `/beaver_pool/${unknown}`, `/programs/${unknown}`, '/status/not-an-id']) {
      expect((await failure(callService(url, path))).status, path).toBe(404);
    }
    const client = await cluster.client();
    const e = await failure(client.eval(unknown, { x: 1n }));
    expect(e).toMatchObject({ status: 404, code: 'ERR_MPC_PROGRAM_NOT_FOUND' });
  });

  it('relaying one custodian\'s approval twice leaves the program PENDING, and eval answers 400', async () => {
    const owner = cluster.owner;
    const { MpcClient } = await import('../../../src/mpc/client/index.js');
    const { buildPackage, compileDsl, packageToJson } = await import('../../../src/mpc/compiler.js');
    const { canonicalizePython } = await import('../../../src/core/canonical-python.js');
    const pkg = buildPackage(compileDsl(SAMPLE), { version: 'half-approved' });
    const text = canonicalizePython({ program_package: packageToJson(pkg) });
    for (const c of cluster.custodians) await callService(c.server.url, '/install', { bodyText: text, signer: owner, audience: c.svc.did });
    await callService(url, '/install', { bodyText: text, signer: owner, audience: did });
    const c0 = cluster.custodians[0]!;
    const a = await callService<{ custodian_index: number; signature: unknown }>(c0.server.url, '/approve', { body: { program_id: pkg.programId }, signer: owner, audience: c0.svc.did });
    for (let i = 0; i < 2; i++) {
      const r = await callService<{ status: string; approvals: number }>(url, '/approve', { body: { program_id: pkg.programId, custodian_index: 0, signature: a.signature }, signer: owner, audience: did });
      expect(r).toMatchObject({ status: 'PENDING', approvals: 1 });
    }
    // custodian 0's approval presented as custodian 1's: 403
    const forged = await failure(callService(url, '/approve', { body: { program_id: pkg.programId, custodian_index: 1, signature: a.signature }, signer: owner, audience: did }));
    expect(forged).toMatchObject({ status: 403, code: 'ERR_MPC_APPROVAL_INVALID' });
    const client = await MpcClient.connect({ coordinatorUrl: url, signer: owner });
    expect(await failure(client.eval(pkg.programId, { x: 1n }))).toMatchObject({ status: 400, code: 'ERR_MPC_PROGRAM_NOT_ACTIVE' });
    expect((await callService<{ status: string }>(url, `/status/${pkg.programId}`)).status).toBe('PENDING');
  });

  it('429 when the budget is spent (QuorumVM\'s "budget exhausted" reason), per identity, with no state change', async () => {
    const client = await cluster.client();
    const { programId } = await client.install({ source: SAMPLE, policy: { budget_per_identity: 2, max_evals_per_minute: 100 }, version: 'budget' });
    await client.eval(programId, [{ x: 1n }, { x: 2n }]);
    const before = (await audit()).entries.length;
    const e = await failure(client.eval(programId, { x: 3n }));
    expect(e).toMatchObject({ status: 429, code: 'ERR_MPC_POLICY_DENIED' });
    expect(e.message).toContain('budget exhausted (remaining=0, cost=1)');
    const after = await audit();
    expect(after.entries.length).toBe(before + 1); // only the eval_denied event
    expect(after.chain_valid).toBe(true);
    const pool = await callService<{ pool_remaining: number }>(url, `/beaver_pool/${programId}`);
    expect(pool.pool_remaining).toBe(3); // 5 dealt, 2 used, none taken by the refusal
    const bob = await cluster.client(await Identity.create('bob'));
    expect((await bob.eval(programId, { x: 3n }))[0]!['y']).toBe(100n); // another identity is not blocked
  });

  it('429 "rate limit exceeded" beyond max_evals_per_minute', async () => {
    const client = await cluster.client();
    const { programId } = await client.install({ source: SAMPLE, policy: { budget_per_identity: 100, max_evals_per_minute: 2 }, version: 'rate' });
    await client.eval(programId, { x: 1n });
    await client.eval(programId, { x: 2n });
    const e = await failure(client.eval(programId, { x: 3n }));
    expect(e).toMatchObject({ status: 429, message: 'rate limit exceeded' });
  });

  it('409 when the triple pool is exhausted, until /replenish_beaver', async () => {
    const client = await cluster.client();
    const { programId } = await client.install({ source: SAMPLE, policy: { budget_per_identity: 100, max_evals_per_minute: 100 }, version: 'pool', beaverPoolSize: 1 });
    await client.eval(programId, { x: 1n });
    expect(await failure(client.eval(programId, { x: 2n }))).toMatchObject({ status: 409, code: 'ERR_MPC_POOL_EXHAUSTED' });
    const r = await callService<{ status: string; pool_remaining: number }>(url, '/replenish_beaver', { body: { program_id: programId, pool_size: 2 }, signer: cluster.owner, audience: did });
    expect(r).toMatchObject({ status: 'replenished', pool_remaining: 2 });
    expect((await client.eval(programId, { x: 3n }))[0]!['y']).toBe(100n);
  });

  it('401 unsigned or signed for another audience, 403 install by a non-owner; nothing installed', async () => {
    const body = { program_id: 'ab'.repeat(32), request_id: 'abcdefgh12345678', batch: 1, inputs: {} };
    expect(await failure(callService(url, '/eval', { body }), 'unsigned')).toMatchObject({ status: 401 });
    expect(await failure(callService(url, '/eval', { body, signer: cluster.owner, audience: 'did:pqaid:someone-else' }), 'audience')).toMatchObject({ status: 401 });
    const { buildPackage, compileDsl, packageToJson } = await import('../../../src/mpc/compiler.js');
    const { canonicalizePython } = await import('../../../src/core/canonical-python.js');
    const pkg = buildPackage(compileDsl(SAMPLE), { policy: { budget_per_identity: 77 } }); // the version is not part of the id
    const mallory = await Identity.create('mallory');
    expect(await failure(callService(url, '/install', { bodyText: canonicalizePython({ program_package: packageToJson(pkg) }), signer: mallory, audience: did }))).toMatchObject({ status: 403 });
    expect((await failure(callService(url, `/status/${pkg.programId}`))).status).toBe(404);
  });

  it('400 for malformed JSON, wrong types, bad ids, batches out of range and a tampered package; 413 oversize', async () => {
    const sign = (path: string, bodyText: string) => callService(url, path, { bodyText, signer: cluster.owner, audience: did });
    for (const text of ['{', '{"program_id":1}', '[]', '{"program_id":"zz","request_id":"abcdefgh","batch":1,"inputs":{}}',
      `{"program_id":"${'ab'.repeat(32)}","request_id":"abcdefgh","batch":0,"inputs":{}}`,
      `{"program_id":"${'ab'.repeat(32)}","request_id":"abcdefgh","batch":${(P).toString()},"inputs":{}}`,
      `{"program_id":"${'ab'.repeat(32)}","request_id":"abcdefgh","batch":1,"inputs":{"x":"AAAA"}}`]) {
      expect((await failure(sign('/eval', text), text)).status, text).toBe(400);
    }
    const { buildPackage, compileDsl, packageToJson } = await import('../../../src/mpc/compiler.js');
    const { canonicalizePython } = await import('../../../src/core/canonical-python.js');
    const json = packageToJson(buildPackage(compileDsl(SAMPLE), { policy: { budget_per_identity: 78 } }));
    const tampered = { ...json, policy_manifest: { ...json.policy_manifest, budget_per_identity: 1_000_000 } };
    expect(await failure(sign('/install', canonicalizePython({ program_package: tampered })))).toMatchObject({ status: 400, code: 'ERR_PROGRAM_ID_MISMATCH' });
    // A malformed program (an operation reading a node defined nowhere) is refused before any id check.
    const badIr = { ...json, ir: { ...json.ir, nodes: [...json.ir.nodes.slice(0, 3), { id: 'y', type: 'mul', op: 'mul', inputs: ['t', 'nowhere'] }] } };
    expect(await failure(sign('/install', canonicalizePython({ program_package: badIr })))).toMatchObject({ status: 400, code: 'ERR_INVALID_IR' });
    expect((await failure(callService(url, `/status/${json.program_id}`))).status).toBe(404);
    // 413 from the declared size alone: the server answers before reading a byte of the body. (Uploading
    // the 129 MiB made the answer race the server's close of a body it will not drain past 64 MiB.)
    const { request } = await import('node:http');
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(new URL('/replenish_beaver', url), { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(129 * 1024 * 1024) } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => { resolve({ status: res.statusCode!, body }); req.destroy(); });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/ERR_PAYLOAD_TOO_LARGE/);
  });

  it('400 for sealed inputs no custodian can open (valid base64, garbage box): not charged, no triple taken from the budget', async () => {
    const client = await cluster.client();
    const { programId } = await client.install({ source: SAMPLE, policy: { budget_per_identity: 2, max_evals_per_minute: 99 }, version: 'garbage-box' });
    const garbage = Buffer.from(new Uint8Array(1200).fill(7)).toString('base64');
    const body = (rid: string) => ({ program_id: programId, request_id: rid, batch: 1, inputs: { 0: garbage, 1: garbage, 2: garbage } });
    for (const rid of ['garbage-box-0001', 'garbage-box-0002', 'garbage-box-0003']) {
      const e = await failure(callService(url, '/eval', { body: body(rid), signer: cluster.owner, audience: did }));
      expect(e, `${rid}: ${e.message}`).toMatchObject({ status: 400, code: 'ERR_INVALID_ARGUMENT' });
      expect(e.message).toContain('refused the sealed inputs');
    }
    // the budget of 2 is whole: two evaluations succeed, the third is refused
    expect((await client.eval(programId, [{ x: 3n }, { x: 10n }])).map((o) => o['y'])).toEqual([100n, 289n]);
    expect(await failure(client.eval(programId, { x: 0n }))).toMatchObject({ status: 429 });
  });

  it('the client refuses inputs outside [0, p) before sending anything', async () => {
    const client = await cluster.client();
    const { programId } = await client.install({ source: SAMPLE, policy: { budget_per_identity: 10, max_evals_per_minute: 100 }, version: 'range' });
    const before = (await audit()).entries.length;
    await expect(client.eval(programId, { x: P })).rejects.toMatchObject({ code: 'ERR_FIELD_NOT_CANONICAL' });
    await expect(client.eval(programId, { x: -1n })).rejects.toMatchObject({ code: 'ERR_FIELD_NOT_CANONICAL' });
    expect((await audit()).entries.length).toBe(before);
  });

  it('503 with fewer than K custodians reachable; an eval with K left succeeds', async () => {
    const client = await cluster.client();
    const { programId } = await client.install({ source: SAMPLE, policy: { budget_per_identity: 10, max_evals_per_minute: 100 }, version: 'degrade' });
    await cluster.custodians[2]!.server.close();
    expect((await client.eval(programId, { x: 3n }))[0]!['y']).toBe(100n);
    await cluster.custodians[1]!.server.close();
    expect(await failure(client.eval(programId, { x: 3n }))).toMatchObject({ status: 503, code: 'ERR_MPC_CUSTODIANS_UNAVAILABLE' });
  });
});
