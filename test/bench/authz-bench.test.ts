// bench/authz.ts: the workload's two engines agree — the quorumkit AuthorizationEngine grants exactly
// the requests cedar-wasm allows under the equivalent Cedar policy (in both request shapes), every
// denial's deciding check is one of Cedar's failing forbids, and the mix reaches every kind it
// promises — and the bench runs end to end in a quick mode (tiny time budget, small mix, temp results
// folder; no targets asserted: those are the bench's) writing every row.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchLaw, buildWorkload, CEDAR_SHAPES, cedarDecide, checkAgreement, LAWS, MIX } from '../../bench/_authz-cases.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('bench/_authz-cases.ts', () => {
  it.each(LAWS)('%s law: the engine and Cedar give the same decision and reason on every request; the mix is as promised', async (law) => {
    const w = await buildWorkload(400, law);
    const a = checkAgreement(w);
    expect(a.mismatches).toEqual([]);
    for (const shape of CEDAR_SHAPES) {
      expect(a.sameDecision[shape]).toBe(400);
      expect(a.sameReason[shape]).toBe(400);
    }
    expect(a.byKind).toEqual({
      granted: { granted: 264 },
      'action not permitted': { 'denied/action_permitted': 32 },
      'over the role max per action': { 'denied/role_max_atp': 20 },
      'over budget': { 'denied/atp_budget': 28 },
      'deferred for a witness': { 'deferred/witness': 28 },
      'granted with a witness': { granted: 16 },
      'insufficient trust': { 'denied/trust': 12 },
    });
    expect(MIX.reduce((s, m) => s + m.per100, 0)).toBe(100);
  }, 60_000);

  it('the LawOracle law is the real oracle: its norms decide requests the mix does not send', () => {
    const law = benchLaw('law-oracle');
    const req = { requesterLct: 'did:pqaid:x', action: 'compute', targetResource: 'data:x', atpCost: 700, context: {}, delegationId: null, timestamp: 0 };
    expect(law.checkLegality(req)).toMatchObject({ legal: true, witnessesRequired: 2, procedures: ['PROC-HIGH-VALUE'] });
    expect(law.checkLegality({ ...req, atpCost: 1001 }).legal).toBe(false);
    expect(law.checkLegality({ ...req, action: 'delete', atpCost: 1 }).legal).toBe(false);
    expect(law.rolePermissions('role:auditor')).toMatchObject({ trustThreshold: 0.7, requiresWitness: true, maxAtpPerAction: 10 });
  });

  it('state moves alike: after many passes both sides have spent the same ATP, and agreement still holds', async () => {
    const w = await buildWorkload(100);
    const e = w.engine();
    w.resetCedar();
    for (let pass = 0; pass < 5; pass++) {
      for (const r of w.requests) {
        const granted = e.authorize(r.request, r.options).decision === 'granted';
        for (const shape of CEDAR_SHAPES) expect(cedarDecide(r.cedar[shape])).toBe(granted);
      }
    }
    const a = w.requests.find((r) => r.kind === 'granted')!;
    const spent = e.delegation(a.request.delegationId!)!.atpSpent;
    expect(spent).toBeGreaterThan(0);
    for (const shape of CEDAR_SHAPES) expect(a.cedar[shape].state['atp_spent']).toBe(spent);
    w.resetCedar();
    expect(a.cedar.entities.state['atp_spent']).toBe(0);
  }, 60_000);
});

describe('bench/authz.ts', () => {
  it('runs and writes authz.json: both engines, durable batched logging, signed-request verification', () => {
    const out = mkdtempSync(join(tmpdir(), 'qk-bench-authz-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bench/authz.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, QK_BENCH_MAX_TIME: '0.05', QK_BENCH_AUTHZ_REQUESTS: '200', QK_BENCH_AUTHZ_BATCHES: '16,64', QK_BENCH_RESULTS_DIR: out },
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'authz.json'), 'utf8'));
    expect(doc.requests).toBe(200);
    expect(doc.agreement.sameDecision).toEqual({ entities: 200, context: 200 });
    expect(doc.agreement.sameReason).toEqual({ entities: 200, context: 200 });
    expect(doc.lawOracleAgreement.sameDecision).toEqual({ entities: 200, context: 200 });
    expect(doc.lawOracleAgreement.sameReason).toEqual({ entities: 200, context: 200 });
    const cases = doc.rows.map((x: { case: string }) => x.case);
    expect(cases).toEqual([
      'cedar-wasm statefulIsAuthorized (delegation, role as entities)',
      'cedar-wasm statefulIsAuthorized (delegation, role in context)',
      'quorumkit AuthorizationEngine.authorize',
      'cedar-wasm statefulIsAuthorized, LawOracle policies (in context)',
      'quorumkit AuthorizationEngine.authorize, LawOracle law',
      'timer (performance.now pair, no decision)',
      'authorize + AuditTrail append, batches of 16',
      'authorize + AuditTrail append, batches of 64',
      'authorize + AuditTrail recoverLater (fsync off-thread), batches of 64',
      'authorize + AuditTrail append in a worker thread, batches of 64',
      'AuditTrail append alone (records encoded beforehand), batches of 64',
      expect.stringMatching(/^ML-DSA-44 verify/),
      'verifyAuthorizationRequest (with replay guard)',
      expect.stringMatching(/^ML-DSA-65 verify/),
      'verifyAuthorizationRequest (with replay guard)',
    ]);
    for (const row of doc.rows) {
      expect(row.opsPerSec).toBeGreaterThan(0);
      if (row.case === row.baseline) expect(row.ratio).toBe(1);
    }
    for (const row of doc.rows.slice(0, 11)) {
      expect(row.decisions).toBeGreaterThan(0);
      expect(row.p50Us).toBeGreaterThan(0);
      expect(row.p99Us).toBeGreaterThanOrEqual(row.p50Us);
    }
    expect(Object.keys(doc.targets)).toEqual(['atLeastCedar', 'p50AtMost10us', 'durableAtLeast20k']);
    expect(doc.targets.atLeastCedar.against).toMatch(/^cedar-wasm/);
  }, 300_000);
});
