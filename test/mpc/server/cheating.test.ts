// Cheating detected, not trusted: a custodian whose answers are altered on the way (a proxy flips one
// byte of its ε shares or of its output shares) makes the opening inconsistent. With N = 3, K = 2 the
// evaluation fails closed — 502, no outputs released — and the audit chain records eval_cheating;
// with N = 4, K = 2 the other custodians determine the culprit, which the error and the audit name.
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../../../src/core/bytes.js';
import { parseStrict } from '../../../src/core/parse-strict.js';
import { callService, serveApp, ServiceCallError, type RunningServer } from '../../../src/http/index.js';
import { startCluster, type Cluster } from '../_cluster.js';

const SAMPLE = 'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n';

/** A proxy to `target` that flips one bit in the field `field` of /eval_beaver (or round-2) answers when `on()` says so. */
async function tamperingProxy(target: () => string, field: 'epsilon_shares' | 'outputs', on: () => boolean): Promise<RunningServer> {
  const app = new Hono();
  app.all('*', async (c) => {
    const u = new URL(c.req.url);
    const headers = new Headers(c.req.raw.headers);
    headers.delete('host');
    const body = c.req.method === 'GET' ? undefined : new Uint8Array(await c.req.arrayBuffer());
    const res = await fetch(target() + u.pathname + u.search, { method: c.req.method, headers, ...(body ? { body } : {}) });
    const text = await res.text();
    if (!on() || !res.ok || !/\/(eval_beaver|beaver_round2)$/.test(u.pathname)) return c.body(text, res.status as 200, { 'content-type': 'application/json' });
    const json = parseStrict(text) as Record<string, unknown>;
    const flip = (b64: string): string => { const b = base64Decode(b64); b[0]! ^= 1; return base64Encode(b); };
    if (field === 'epsilon_shares' && typeof json['epsilon_shares'] === 'string') json['epsilon_shares'] = flip(json['epsilon_shares']);
    if (field === 'outputs' && json['outputs'] && typeof json['outputs'] === 'object') {
      const o = json['outputs'] as Record<string, string>;
      for (const k of Object.keys(o)) o[k] = flip(o[k]!);
    }
    return c.json(json, res.status as 200);
  });
  return serveApp(app);
}

describe('a custodian returning wrong shares is caught', () => {
  let cluster: Cluster | undefined;
  let proxy: RunningServer | undefined;
  afterEach(async () => { await proxy?.close(); await cluster?.close(); cluster = proxy = undefined; });

  async function setup(n: number, field: 'epsilon_shares' | 'outputs'): Promise<{ cheat: { on: boolean }; programId: string; eval: (x: bigint) => Promise<unknown> }> {
    const cheat = { on: false };
    let realUrl = '';
    proxy = await tamperingProxy(() => realUrl, field, () => cheat.on);
    cluster = await startCluster({ n, k: 2, route: (i, u) => { if (i === 1) { realUrl = u; return proxy!.url; } return u; } });
    const client = await cluster.client();
    const { programId } = await client.install({ source: SAMPLE, policy: { budget_per_identity: 100, max_evals_per_minute: 100 }, beaverPoolSize: 10 });
    expect((await client.eval(programId, { x: 3n }))[0]!['y']).toBe(100n); // honest so far
    return { cheat, programId, eval: (x) => client.eval(programId, { x }) };
  }

  const lastEvent = async (): Promise<Record<string, unknown>> => {
    const a = await callService<{ entries: { event: string; data: Record<string, unknown> }[]; chain_valid: boolean }>(cluster!.coordinator.server.url, '/audit');
    expect(a.chain_valid).toBe(true);
    const e = a.entries.at(-1)!;
    return { event: e.event, ...e.data };
  };

  it('N = 3, K = 2: an altered ε share fails the eval closed (502, nothing released), audited without a culprit', async () => {
    const s = await setup(3, 'epsilon_shares');
    s.cheat.on = true;
    const e = (await s.eval(10n).catch((x: unknown) => x)) as ServiceCallError;
    expect(e).toBeInstanceOf(ServiceCallError);
    expect(e).toMatchObject({ status: 502, code: 'ERR_MPC_OPENING_INCONSISTENT' });
    expect(e.details['culprit']).toBeUndefined();
    expect(await lastEvent()).toMatchObject({ event: 'eval_cheating', program_id: s.programId });
    s.cheat.on = false;
    expect(await s.eval(10n)).toEqual([{ y: 289n }]);
  });

  it('N = 4, K = 2: the culprit is named in the error and the audit event', async () => {
    const s = await setup(4, 'epsilon_shares');
    s.cheat.on = true;
    const e = (await s.eval(10n).catch((x: unknown) => x)) as ServiceCallError;
    expect(e).toMatchObject({ status: 502, code: 'ERR_MPC_OPENING_INCONSISTENT' });
    expect(e.details['culprit']).toBe(1);
    expect(await lastEvent()).toMatchObject({ event: 'eval_cheating', culprit_index: 1 });
  });

  it('altered output shares are caught the same way', async () => {
    const s = await setup(4, 'outputs');
    s.cheat.on = true;
    const e = (await s.eval(0n).catch((x: unknown) => x)) as ServiceCallError;
    expect(e).toMatchObject({ status: 502, details: { culprit: 1 } });
  });
});
