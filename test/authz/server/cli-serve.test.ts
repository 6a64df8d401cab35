// `quorumkit authz serve` as a real process over real sockets: bad flags are exit 2 with one line;
// 64 concurrent POST /v1/decide against a budget for 10 grant exactly 10; then the process is
// killed with SIGKILL in the middle of another 64 and restarted on the same data dir — every
// acknowledged grant is still counted, the grants never exceed the budget (not even after 64 more),
// the log's signed checkpoint holds every acknowledged decision (inclusion proofs), and the receipts
// handed out before the kill verify offline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callService } from '../../../src/http/index.js';
import { Identity } from '../../../src/pq/identity.js';
import { verifyCheckpoint } from '../../../src/log/index.js';
import { issueDelegation, signAuthorizationRequest } from '../../../src/authz/index.js';
import { verifyDecisionReceipt } from '../../../src/authz/receipt.js';
import { signWitnessAttestation } from '../../../src/authz/witness.js';
import { runCli } from '../../cli/_run.js';
import { exited, serving as serve, type Serving } from '../../cli/_serve.js';

const S = 'society:kill';
const dir = mkdtempSync(join(tmpdir(), 'qk-authz-serve-'));
const key = join(dir, 'svc.key.json');
let client: Identity;
let agent: Identity;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const r = runCli(['keys', 'new', '--name', 'authz', '--out', key, '--alg', 'ML-DSA-44', '--insecure-plaintext']);
  expect(r.code, r.stderr).toBe(0);
  [client, agent] = await Promise.all([Identity.create('client', { level: 44 }), Identity.create('agent', { level: 44 })]);
});

interface Answer { decision_id: string; log_index: number; record: { decision: string; denial_reason: string | null }; receipt: unknown }

describe('quorumkit authz serve', () => {
  it.each([
    [['--port', '70000'], /--port expects 0\.\.65535/],
    [['--trusted-root', 'alice'], /--trusted-root expects a did:pqaid/],
    [['--witness-timeout', '0'], /--witness-timeout expects whole seconds/],
    [['--data-dir', key], /is not a directory/],
    [['--law', key], /^quorumkit: law .*svc\.key\.json: /],
    [['--attestation-role', 'role:researcher'], /--attestation-role expects ROLE=SECONDS/],
    [['--attestation-role', 'role:researcher=0'], /--attestation-role expects whole seconds/],
  ])('%j is exit 2 with one line', (args, pattern) => {
    const r = runCli(['authz', 'serve', '--key', key, ...(args.includes('--data-dir') ? [] : ['--data-dir', join(dir, 'bad')]), ...args]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });

  it('--attestation-role makes a role require fresh attestation (GET /v1/service says which)', async () => {
    const s = await serve(['authz', 'serve', '--data-dir', ':memory:', '--key', key, '--attestation-role', 'role:researcher=60', 'role:operator=300']);
    try {
      expect((await callService<{ attestation_roles: Record<string, number> }>(s.url, '/v1/service')).attestation_roles).toEqual({ 'role:researcher': 60, 'role:operator': 300 });
    } finally {
      s.child.kill('SIGTERM');
      await exited(s.child);
    }
  }, 60_000);

  it('64 concurrent decisions against a budget for 10 grant exactly 10, and none more across a SIGKILL and restart', async () => {
    const data = join(dir, 'data');
    let a = await serving(data);
    const info = await callService<{ did: string; log_origin: string }>(a.url, '/v1/service');
    const now = () => Math.floor(Date.now() / 1000);
    const register = async (url: string, id: string) => {
      const hop = await issueDelegation(client, { societyId: S, delegationId: id, delegate: agent.did, roleLct: 'role:researcher', permissions: ['read'], atpBudget: 10, maxActionsPerHour: 1000, validFrom: now() - 60 });
      await callService(url, '/v1/delegations', { body: { chain: [hop] } });
    };
    /** Sends n requests at once; `onAnswers` runs once `after` of them were answered. */
    const burst = async (url: string, id: string, n: number, after = 0, onAnswers?: () => void): Promise<(Answer | null)[]> => {
      const envs = await Promise.all(Array.from({ length: n }, () => signAuthorizationRequest(agent, S, { action: 'read', targetResource: 'data:x', atpCost: 1, delegationId: id })));
      let answered = 0;
      return Promise.all(envs.map(async (env) => {
        try {
          const res = await fetch(`${url}/v1/decide`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(env) });
          const body = (await res.json()) as Answer;
          if (++answered === after) onAnswers?.();
          return res.status === 200 ? body : null;
        } catch {
          return null; // the server was killed under this request: not acknowledged
        }
      }));
    };
    const granted = (xs: (Answer | null)[]) => xs.filter((x): x is Answer => x?.record.decision === 'granted');

    // 1. 64 at once against a budget for 10.
    await register(a.url, 'd-64');
    const t0 = performance.now();
    const round1 = await burst(a.url, 'd-64', 64);
    const ms = performance.now() - t0;
    expect(granted(round1)).toHaveLength(10);
    expect(round1.filter((x) => x?.record.denial_reason === 'atp_budget_exceeded')).toHaveLength(54);
    console.log(`authz serve: 64 concurrent POST /v1/decide in ${ms.toFixed(0)} ms (${(64_000 / ms).toFixed(0)} decisions/s over HTTP, durable), exactly 10 granted`);

    // 2. Kill -9 under load.
    await register(a.url, 'd-kill');
    const killed = a;
    const round2 = await burst(a.url, 'd-kill', 64, 1, () => killed.child.kill('SIGKILL'));
    await exited(killed.child);
    const acked = granted(round2);
    a = await serving(data);
    try {
      const d = await callService<{ atpSpent: number; actionsThisHour: number }>(a.url, '/v1/delegations/d-kill');
      console.log(`authz serve: SIGKILL mid-burst — ${round2.filter(Boolean).length} of 64 answered, ${acked.length} acknowledged grants, ${d.atpSpent} grants durable`);
      expect(d.atpSpent).toBeGreaterThanOrEqual(acked.length);
      expect(d.atpSpent).toBeLessThanOrEqual(10);
      expect(d.actionsThisHour).toBe(d.atpSpent);
      expect((await callService<{ atpSpent: number }>(a.url, '/v1/delegations/d-64')).atpSpent).toBe(10);

      // 3. 64 more after the restart: the budget still ends at exactly 10.
      const round3 = await burst(a.url, 'd-kill', 64);
      expect(granted(round3)).toHaveLength(10 - d.atpSpent);
      expect((await callService<{ atpSpent: number }>(a.url, '/v1/delegations/d-kill')).atpSpent).toBe(10);

      // 4. The log: a signed checkpoint; every acknowledged decision is in it; receipts verify offline.
      const cp = await callService<{ treeSize: number; checkpoint: unknown }>(a.url, '/v1/log/checkpoint');
      expect((await verifyCheckpoint(cp.checkpoint, { trusted: [info.did], origin: info.log_origin })).valid).toBe(true);
      const logged = await callService<{ entries: { entry: { type: string; delegation_id?: string; decision?: string } }[] }>(a.url, '/v1/audit?limit=1000');
      const grantsLogged = logged.entries.filter((e) => e.entry.type === 'authz.decision' && e.entry.delegation_id === 'd-kill' && e.entry.decision === 'granted');
      expect(grantsLogged).toHaveLength(10);
      for (const r of [...acked, ...granted(round1).slice(0, 3)]) {
        const p = await callService<{ receipt: unknown; checkpoint: unknown; inclusion: { index: number; treeSize: number; proof: string[] } }>(a.url, `/v1/receipts/${r.decision_id}/proof`);
        const v = await verifyDecisionReceipt(r.receipt, { serviceDid: info.did, checkpoint: p.checkpoint, inclusionProof: p.inclusion });
        expect(v.reasons).toEqual([]);
        expect(v).toMatchObject({ valid: true, included: true });
      }
    } finally {
      a.child.kill('SIGTERM');
      expect(await exited(a.child)).toBe(0);
    }
  }, 120_000);

  it('under the stub law a citizen read waits for a witness: granted by an allowed one, else denied missing_witness by the sweep', async () => {
    const w = await Identity.create('witness', { level: 44 });
    const a = await serve(['authz', 'serve', '--data-dir', join(dir, 'data-w'), '--key', key, '--society', S, '--witness', w.did, '--witness-timeout', '1']);
    try {
      const read = async () => (await callService<Answer & { record: { request_digest: string } }>(a.url, '/v1/decide', { body: await signAuthorizationRequest(agent, S, { action: 'read', targetResource: 'data:x', atpCost: 1 }) })).record;
      const one = await read();
      const two = await read();
      expect([one.decision, two.decision]).toEqual(['deferred', 'deferred']);
      const r = await callService<{ decision: Answer }>(a.url, '/v1/witness', { body: await signWitnessAttestation(w, one.request_digest, S) });
      expect(r.decision.record).toMatchObject({ decision: 'granted' });
      let state: { status: string; decisions: { denial_reason: string | null }[] } | undefined;
      for (let i = 0; i < 100 && state?.status !== 'decided'; i++) {
        await new Promise((res) => setTimeout(res, 100));
        state = await callService(a.url, `/v1/requests/${two.request_digest}`);
      }
      expect(state).toMatchObject({ status: 'decided', decisions: [{ denial_reason: null }, { denial_reason: 'missing_witness' }] });
    } finally {
      a.child.kill('SIGTERM');
      await exited(a.child);
    }
  }, 60_000);
});

/** Starts `authz serve` on `dataDir`; resolves once it prints its URL. */
function serving(dataDir: string): Promise<Serving> {
  return serve(['authz', 'serve', '--data-dir', dataDir, '--key', key, '--society', S, '--trusted-root', client.did]);
}
