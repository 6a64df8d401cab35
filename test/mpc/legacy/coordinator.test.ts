// The `--legacy` coordinator over real HTTP on loopback, against QuorumVM's coordinator API
// (quorumvm/coordinator/app.py): every endpoint's shape and status code, FastAPI's `{ detail }`
// beside our `{ error }`, HMAC approvals (QuorumVM's vectors) with duplicates not counted, the
// golden path f(x) = (x + 7)², QuorumVM's 429 reasons, pool exhaustion and replenishment, 503 below
// K custodians, exact big integers, garbage refused with no state change, and restart persistence.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../../../src/field/constants.js';
import { verifyChain } from '../../../src/mpc/audit-chain.js';
import { hmacApproval } from '../../../src/mpc/legacy-hmac.js';
import { hasVector, readVectorJson } from '../../_vectors.js';
import { legacyPackage, SAMPLE_SRC, send, startLegacyCluster, type LegacyCluster } from './_legacy-cluster.js';

let cl: LegacyCluster;
let budget = 1000;
/** A policy whose program id no other test shares. */
const policy = (o: { budget_per_identity?: number; max_evals_per_minute?: number } = {}) => ({ cost_per_eval: 1, budget_per_identity: o.budget_per_identity ?? ++budget, max_evals_per_minute: o.max_evals_per_minute ?? 1000 });
const evalX = (pid: string, x: unknown, identity = 'alice') => send(cl.coordinator.url, '/eval', { identity_id: identity, program_id: pid, inputs: { x } });

beforeAll(async () => { cl = await startLegacyCluster(); });
afterAll(async () => { await cl.close(); });

describe('legacy coordinator: the golden path', () => {
  it('f(3) = 100, f(10) = 289, f(0) = 49, then the budget answers 429 "budget" with FastAPI\'s detail', async () => {
    const pkg = await cl.installAndActivate(SAMPLE_SRC, policy({ budget_per_identity: 3 }));
    expect((await send(cl.coordinator.url, `/status/${pkg.programId}`)).body).toEqual({ program_id: pkg.programId, status: 'ACTIVE' });
    for (const [x, y] of [[3, 100], [10, 289], [0, 49]] as const) {
      const r = await evalX(pkg.programId, x, 'e2e');
      expect(r.status).toBe(200);
      expect(r.body.result).toBe(y);
      expect(r.body.request_id).toMatch(/^[0-9a-f]{32}$/);
    }
    const denied = await evalX(pkg.programId, 1, 'e2e');
    expect(denied.status).toBe(429);
    expect(denied.body.detail).toBe('budget exhausted (remaining=0, cost=1)');
    expect(denied.body.error).toMatchObject({ code: 'ERR_MPC_POLICY_DENIED', message: 'budget exhausted (remaining=0, cost=1)' });
    const audit = await send(cl.coordinator.url, '/audit');
    expect(audit.body.chain_valid).toBe(true);
    expect(verifyChain(audit.body.entries)).toBe(true);
    expect(audit.text).toMatch(/"timestamp":\d+\.\d+/); // Python floats
    const events = new Set(audit.body.entries.map((e: { event: string }) => e.event));
    for (const e of ['install', 'approve', 'activate', 'eval_ok', 'eval_denied']) expect(events).toContain(e);
    const trail = await send(cl.coordinator.url, '/v1/audit?limit=1000');
    for (const e of ['mpc.install', 'mpc.approve', 'mpc.activate', 'mpc.eval_ok', 'mpc.eval_denied']) expect(trail.text).toContain(e);
  });

  it('rate limit: max_evals_per_minute = 2 lets two through, then 429 "rate limit exceeded"; budgets are per identity', async () => {
    const pkg = await cl.installAndActivate(SAMPLE_SRC, policy({ budget_per_identity: 100, max_evals_per_minute: 2 }));
    expect((await evalX(pkg.programId, 1, 'r')).status).toBe(200);
    expect((await evalX(pkg.programId, 2, 'r')).status).toBe(200);
    const r = await evalX(pkg.programId, 3, 'r');
    expect(r.status).toBe(429);
    expect(r.body.detail).toBe('rate limit exceeded');
    expect((await evalX(pkg.programId, 3, 'someone-else')).status).toBe(200);
  });

  it('mux is a Beaver multiplication (QuorumVM computes s·a locally, which is wrong), and several outputs answer `results`', async () => {
    const pkg = await cl.installAndActivate('input s\ninput a\ninput b\nmux m = s a b\nadd n = a b\noutput m n\n', policy());
    for (const [s, want] of [[1, 11], [0, 22]] as const) {
      const r = await send(cl.coordinator.url, '/eval', { identity_id: 'm', program_id: pkg.programId, inputs: { s, a: 11, b: 22 } });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ result: want, results: { m: want, n: 33 } });
    }
  });

  it('big integers travel as exact JSON integer literals (and decimal strings); ≥ p and negatives are 400', async () => {
    const pkg = await cl.installAndActivate('input x\nconst c = 1\nadd y = x c\noutput y\n', policy());
    const r = await evalX(pkg.programId, P - 2n);
    expect(r.status).toBe(200);
    expect(r.text).toContain(`"result":${P - 1n}`);
    expect((await evalX(pkg.programId, (P - 3n).toString())).body.result).toBe(P - 2n);
    const before = (await send(cl.coordinator.url, '/audit')).body.entries.length;
    for (const bad of [P, -1, 1.5, 'x1', null]) {
      const b = await evalX(pkg.programId, bad);
      expect(b.status).toBe(400);
      expect(typeof b.body.detail).toBe('string');
      expect(b.body.error.code).toMatch(/^ERR_/);
    }
    expect((await send(cl.coordinator.url, '/audit')).body.entries.length).toBe(before);
  });
});

describe('legacy coordinator: activation', () => {
  it('QuorumVM\'s HMAC vectors reproduce and the coordinator accepts exactly the right custodian\'s signature', async () => {
    if (hasVector('seeds/quorumvm/vectors.json')) {
      const v = readVectorJson<{ hmac: { keys: string[]; message: string; signatures: string[]; test_msg: string; test_msg_sigs: string[] } }>('seeds/quorumvm/vectors.json').hmac;
      v.keys.forEach((k, i) => {
        expect(hmacApproval(k, v.message)).toBe(v.signatures[i]);
        expect(hmacApproval(k, v.test_msg)).toBe(v.test_msg_sigs[i]);
      });
    }
    const pkg = await cl.installAndActivate(SAMPLE_SRC, policy(), { approvals: 0 });
    const a1 = await send(cl.custodians[1]!.url, '/approve', { program_id: pkg.programId });
    expect(a1.body).toEqual({ custodian_index: 1, program_id: pkg.programId, signature: hmacApproval('custodian-key-beta', pkg.programId) });
    const forged = await send(cl.coordinator.url, '/approve', { program_id: pkg.programId, custodian_index: 0, signature: 'forged-signature-value' });
    expect(forged.status).toBe(403);
    expect(forged.body.detail).toBe('Invalid signature');
    const swapped = await send(cl.coordinator.url, '/approve', { program_id: pkg.programId, custodian_index: 0, signature: a1.body.signature });
    expect(swapped.status).toBe(403);
    expect((await send(cl.coordinator.url, '/approve', { program_id: pkg.programId, custodian_index: 7, signature: a1.body.signature })).status).toBe(403);
    expect((await send(cl.coordinator.url, `/status/${pkg.programId}`)).body.status).toBe('PENDING');
  });

  it('duplicate approvals from one custodian are not counted (QuorumVM counts them); K distinct activate', async () => {
    const pkg = await cl.installAndActivate(SAMPLE_SRC, policy(), { approvals: 0 });
    const a0 = (await send(cl.custodians[0]!.url, '/approve', { program_id: pkg.programId })).body;
    for (let i = 0; i < 3; i++) {
      const r = await send(cl.coordinator.url, '/approve', { program_id: pkg.programId, custodian_index: 0, signature: a0.signature });
      expect(r.body).toEqual({ status: 'PENDING', approvals: 1, needed: 2 });
    }
    expect((await evalX(pkg.programId, 1)).status).toBe(400);
    expect((await evalX(pkg.programId, 1)).body.detail).toBe('Program not active');
    const a2 = (await send(cl.custodians[2]!.url, '/approve', { program_id: pkg.programId })).body;
    expect((await send(cl.coordinator.url, '/approve', { program_id: pkg.programId, custodian_index: 2, signature: a2.signature })).body).toEqual({ status: 'ACTIVE', approvals: 2, needed: 2 });
  });

  it('unknown programs are 404 "Program not installed" on every endpoint', async () => {
    const unknown = 'ab'.repeat(32);
    for (const r of [
      await send(cl.coordinator.url, `/status/${unknown}`),
      await send(cl.coordinator.url, `/status/not-an-id`),
      await send(cl.coordinator.url, `/beaver_pool/${unknown}`),
      await send(cl.coordinator.url, '/replenish_beaver', { program_id: unknown }),
      await send(cl.coordinator.url, '/approve', { program_id: unknown, custodian_index: 0, signature: hmacApproval('custodian-key-alpha', unknown) }),
      await evalX(unknown, 1),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.detail).toBe('Program not installed');
    }
  });
});

describe('legacy coordinator: Beaver pool', () => {
  it('install answers QuorumVM\'s shape; an exhausted pool is 409 until /replenish_beaver; /beaver_pool tracks it', async () => {
    const p = policy();
    const pkg = legacyPackage(SAMPLE_SRC, p);
    await cl.installAndActivate(SAMPLE_SRC, p, { install: { beaver_pool_size: 1 } });
    const again = await send(cl.coordinator.url, '/install', { program_package: pkg.json, generate_beaver: false });
    expect(again.body).toEqual({ status: 'installed', program_id: pkg.programId, beaver_ready: true, beaver_pool: 1 });
    expect((await send(cl.coordinator.url, `/beaver_pool/${pkg.programId}`)).body).toEqual({ program_id: pkg.programId, pool_remaining: 1, beaver_ready: true });
    expect((await evalX(pkg.programId, 3)).body.result).toBe(100);
    const empty = await evalX(pkg.programId, 3);
    expect(empty.status).toBe(409);
    expect(empty.body.detail).toBe('Beaver triple pool exhausted — replenish via POST /replenish_beaver');
    expect((await send(cl.coordinator.url, `/beaver_pool/${pkg.programId}`)).body).toEqual({ program_id: pkg.programId, pool_remaining: 0, beaver_ready: false });
    expect((await send(cl.coordinator.url, '/replenish_beaver', { program_id: pkg.programId, pool_size: 2 })).body).toEqual({ status: 'replenished', program_id: pkg.programId, pool_remaining: 2 });
    expect((await evalX(pkg.programId, 10)).body.result).toBe(289);
    const audit = (await send(cl.coordinator.url, '/audit')).body.entries.map((e: { event: string }) => e.event);
    expect(audit).toContain('replenish_beaver');
  });

  it('a program without multiplications needs no triples: install answers beaver_ready, replenish no_mul_nodes', async () => {
    const src = 'input x\nconst c = 5\nadd y = x c\noutput y\n';
    const pkg = legacyPackage(src, policy());
    const r = await send(cl.coordinator.url, '/install', { program_package: pkg.json });
    expect(r.body).toEqual({ status: 'installed', program_id: pkg.programId, beaver_ready: true, beaver_pool: 0 });
    expect((await send(cl.coordinator.url, '/replenish_beaver', { program_id: pkg.programId })).body).toEqual({ status: 'no_mul_nodes', program_id: pkg.programId });
  });

  it('install without triples (generate_beaver: false) answers beaver_ready false and evals 409', async () => {
    const p = policy();
    const pkg = await cl.installAndActivate(SAMPLE_SRC, p, { install: { generate_beaver: false } });
    expect((await send(cl.coordinator.url, `/beaver_pool/${pkg.programId}`)).body).toMatchObject({ pool_remaining: 0, beaver_ready: false });
    expect((await evalX(pkg.programId, 1)).status).toBe(409);
  });
});

describe('legacy coordinator: garbage is refused and changes nothing', () => {
  it('non-JSON, duplicate keys, wrong types and unknown members are 400 with detail, and the audit chain is unchanged', async () => {
    const pkg = await cl.installAndActivate(SAMPLE_SRC, policy({ budget_per_identity: 1 }));
    const before = (await send(cl.coordinator.url, '/audit')).text;
    const bad: [string, unknown][] = [
      ['/eval', 'not json'],
      ['/eval', `{"identity_id":"a","identity_id":"b","program_id":"${pkg.programId}","inputs":{"x":1}}`],
      ['/eval', { identity_id: 5, program_id: pkg.programId, inputs: { x: 1 } }],
      ['/eval', { identity_id: 'a', program_id: pkg.programId, inputs: { x: 1 }, extra: 1 }],
      ['/eval', { identity_id: 'a', program_id: pkg.programId, inputs: { y: 1 } }],
      ['/install', { program_package: { program_id: pkg.programId } }],
      ['/install', { program_package: { ...(pkg.json as object), program_id: 'ab'.repeat(32) } }],
      ['/approve', { program_id: pkg.programId, custodian_index: '0', signature: 'x' }],
      ['/replenish_beaver', { program_id: pkg.programId, pool_size: 0 }],
    ];
    for (const [path, body] of bad) {
      const r = await send(cl.coordinator.url, path, body);
      expect([400, 422]).toContain(r.status);
      expect(r.body.detail).toBe(r.body.error.message);
    }
    expect((await send(cl.coordinator.url, '/audit')).text).toBe(before);
    expect((await evalX(pkg.programId, 0)).body.result).toBe(49); // the one budgeted eval was not spent
  });
});

describe('legacy coordinator: degradation', () => {
  it('an eval needs K custodians: one down still answers, two down is 503 "Only 1/2 custodians responded"', async () => {
    const c = await startLegacyCluster();
    try {
      const pkg = await c.installAndActivate(SAMPLE_SRC, policy());
      await c.custodians[2]!.server.close();
      expect((await send(c.coordinator.url, '/eval', { identity_id: 'd', program_id: pkg.programId, inputs: { x: 5 } })).body.result).toBe(144);
      await c.custodians[1]!.server.close();
      const r = await send(c.coordinator.url, '/eval', { identity_id: 'd', program_id: pkg.programId, inputs: { x: 5 } });
      expect(r.status).toBe(503);
      expect(r.body.detail).toBe('Only 1/2 custodians responded');
    } finally {
      await c.coordinator.server.close();
      await c.coordinator.svc.close();
      for (const cu of c.custodians) await cu.svc.close();
      await c.custodians[0]!.server.close();
    }
  });
});

describe('legacy coordinator: restarts', () => {
  it('packages, approvals, budgets, pools and the audit chain survive a restart; no triple is used twice', async () => {
    const root = mkdtempSync(join(tmpdir(), 'qk-legacy-restart-'));
    const dirs = { coordinator: join(root, 'co'), custodians: [0, 1, 2].map((i) => join(root, `c${i}`)) };
    try {
      let c = await startLegacyCluster({ dirs });
      const pkg = await c.installAndActivate(SAMPLE_SRC, policy({ budget_per_identity: 3 }), { install: { beaver_pool_size: 2 } });
      expect((await send(c.coordinator.url, '/eval', { identity_id: 'p', program_id: pkg.programId, inputs: { x: 3 } })).body.result).toBe(100);
      await c.close();
      c = await startLegacyCluster({ dirs });
      try {
        expect((await send(c.coordinator.url, `/status/${pkg.programId}`)).body.status).toBe('ACTIVE');
        expect((await send(c.coordinator.url, `/beaver_pool/${pkg.programId}`)).body.pool_remaining).toBe(1);
        expect((await send(c.coordinator.url, '/eval', { identity_id: 'p', program_id: pkg.programId, inputs: { x: 10 } })).body.result).toBe(289);
        expect((await send(c.coordinator.url, '/eval', { identity_id: 'p', program_id: pkg.programId, inputs: { x: 0 } })).status).toBe(409);
        const eps = (await send(c.custodians[0]!.url, '/eval_beaver', { program_id: pkg.programId, request_id: 'after-restart', input_shares: { x: { x: 1, y: '1' } } }));
        expect(eps.status).toBe(409); // both pool entries are marked used on the custodian too
        const audit = (await send(c.coordinator.url, '/audit')).body;
        expect(audit.chain_valid).toBe(true);
        expect(audit.entries.filter((e: { event: string }) => e.event === 'eval_ok')).toHaveLength(2);
      } finally {
        await c.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
