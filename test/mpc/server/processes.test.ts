// The MPC services as real processes (the CLI): a custodian SIGKILLed mid-batch does not stop the
// evaluation (K remain); after SIGKILL and restart of every service nothing acknowledged is lost —
// packages, activation, secret shares, triples, budgets, the audit chain — and no triple is reused:
// 50 concurrent evaluations consume 50 distinct triples, and the custodians' durable reservations
// refuse a range handed out twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callService } from '../../../src/http/index.js';
import { MpcClient } from '../../../src/mpc/client/index.js';
import { startProcessCluster, type ProcessCluster } from '../_processes.js';

const SAMPLE = 'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n';
const SCORING = 'input x1\ninput x2\ninput x3\nsecret w1\nsecret w2\nsecret w3\nconst b = 7\ndot s = x1 w1 x2 w2 x3 w3\nadd score = s b\noutput score\n';

describe('MPC services as processes', () => {
  let c: ProcessCluster;
  let client: MpcClient;
  let sample: string;
  let scoring: string;
  beforeAll(async () => {
    c = await startProcessCluster();
    client = await MpcClient.connect({ coordinatorUrl: c.coordinatorUrl, signer: c.owner, trustedCustodians: c.custodianDids });
    sample = (await client.install({ source: SAMPLE, policy: { budget_per_identity: 10_000, max_evals_per_minute: 100_000 }, beaverPoolSize: 2000 })).programId;
    scoring = (await client.install({ source: SCORING, secrets: { w1: 3n, w2: 5n, w3: 11n }, policy: { budget_per_identity: 3, max_evals_per_minute: 100 } })).programId;
  }, 120_000);
  afterAll(async () => { await c?.close(); });

  it('50 concurrent evaluations all succeed and consume exactly 50 triples', async () => {
    const before = (await callService<{ pool_remaining: number }>(c.coordinatorUrl, `/beaver_pool/${sample}`)).pool_remaining;
    const xs = Array.from({ length: 50 }, (_, i) => BigInt(i));
    const outs = await Promise.all(xs.map((x) => client.eval(sample, { x })));
    expect(outs.map((o) => o[0]!['y'])).toEqual(xs.map((x) => (x + 7n) ** 2n));
    const after = (await callService<{ pool_remaining: number }>(c.coordinatorUrl, `/beaver_pool/${sample}`)).pool_remaining;
    expect(before - after).toBe(50);
    for (const u of c.custodianUrls) {
      const r = await callService<{ triples_unused: number }>(u, `/beaver_pool/${sample}`);
      expect(r.triples_unused).toBe(after);
    }
  }, 60_000);

  it('a custodian SIGKILLed during a batch: the evaluation still succeeds with the K left', async () => {
    const batch = Array.from({ length: 500 }, (_, i) => ({ x: BigInt(i) }));
    const running = client.eval(sample, batch);
    await new Promise((r) => setTimeout(r, 5));
    await c.kill('custodian-2', 'SIGKILL');
    const out = await running;
    expect(out.map((o) => o['y'])).toEqual(batch.map((s) => (s.x + 7n) ** 2n));
    expect((await client.eval(sample, { x: 3n }))[0]!['y']).toBe(100n);
    await c.start('custodian-2');
  }, 60_000);

  it('after SIGKILL and restart of every service, state is intact and no triple is reused', async () => {
    const spentBefore = await client.eval(scoring, { x1: 1n, x2: 1n, x3: 1n }); // 1 of 3 budget
    expect(spentBefore[0]!['score']).toBe(26n);
    const audit = await callService<{ entries: unknown[] }>(c.coordinatorUrl, '/audit');
    const pool = (await callService<{ pool_remaining: number }>(c.coordinatorUrl, `/beaver_pool/${sample}`)).pool_remaining;
    for (const name of ['coordinator', 'dealer', 'custodian-0', 'custodian-1', 'custodian-2']) await c.kill(name, 'SIGKILL');
    for (const name of ['custodian-0', 'custodian-1', 'custodian-2', 'dealer', 'coordinator']) await c.start(name);
    const again = await MpcClient.connect({ coordinatorUrl: c.coordinatorUrl, signer: c.owner, trustedCustodians: c.custodianDids });
    expect((await callService<{ status: string }>(c.coordinatorUrl, `/status/${scoring}`)).status).toBe('ACTIVE');
    const a2 = await callService<{ entries: unknown[]; chain_valid: boolean }>(c.coordinatorUrl, '/audit');
    expect(a2.chain_valid).toBe(true);
    expect(a2.entries.length).toBe(audit.entries.length);
    expect((await callService<{ pool_remaining: number }>(c.coordinatorUrl, `/beaver_pool/${sample}`)).pool_remaining).toBe(pool);
    // the secret weights survived at the custodians; the budget spent before the crash still counts
    expect((await again.eval(scoring, [{ x1: 2n, x2: 0n, x3: 0n }, { x1: 0n, x2: 0n, x3: 1n }])).map((o) => o['score'])).toEqual([13n, 18n]);
    await expect(again.eval(scoring, { x1: 1n, x2: 1n, x3: 1n })).rejects.toMatchObject({ status: 429 });
    expect((await again.eval(sample, { x: 10n }))[0]!['y']).toBe(289n);
  }, 120_000);
});
