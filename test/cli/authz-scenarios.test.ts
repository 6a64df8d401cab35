// `quorumkit authz replay | check | explain` through the built CLI: the 10 reference scenarios replay
// to their results; --law takes a law document; one decision prints on one line with exit 0 / 1;
// explain lists the checks in order; bad input exits 2 with one line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStrict } from '../../src/core/parse-strict.js';
import { describeVectors, vectorPath } from '../_vectors.js';
import { ROOT, runCli } from './_run.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-authz-cli-'));
const T0 = 1_733_011_200;
const deleg = { delegation_id: 'd', client_lct: 'lct:human:alice', agent_lct: 'lct:ai:assistant', role_lct: 'role:researcher', granted_permissions: ['read', 'compute'], atp_budget: 1000 };
const read = (o: Record<string, unknown> = {}) => ({ requester_lct: 'lct:ai:assistant', action: 'read', target_resource: 'data:t', atp_cost: 10, context: {}, delegation_id: 'd', now: T0, ...o });
const file = (name: string, v: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
  return p;
};

describeVectors('quorumkit authz replay on scenarios_orig.json', () => {
  it('prints the results in the vectors\' shape, plus timestamp, hash and final_state', () => {
    const r = runCli(['authz', 'replay', vectorPath('seeds/web4/scenarios_orig.json')]);
    expect(r.code, r.stderr).toBe(0);
    const got = parseStrict(r.stdout) as { name: string; results: Record<string, unknown>[]; final_state: object }[];
    expect(got).toHaveLength(10);
    expect(got[5]!.results).toHaveLength(11);
    expect(got[5]!.results[10]).toMatchObject({ decision: 'denied', denial_reason: 'rate_limit_exceeded', atp_remaining: 0, requires_witness: false, decision_log_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(r.stderr).toMatch(/replayed 10 scenario\(s\), 22 decision\(s\)/);
  }, 60_000);
});

describe('quorumkit authz replay / check / explain', () => {
  it('replay --law takes a law document: PROC-HIGH-VALUE defers a 600 ATP compute for two witnesses', () => {
    const s = file('law.json', [{ name: 'hv', with_credential: true, delegations: [deleg], requests: [read({ action: 'compute', atp_cost: 600 }), read()] }]);
    const stub = parseStrict(runCli(['authz', 'replay', s]).stdout) as { results: { decision: string; denial_reason: string | null }[] }[];
    expect(stub[0]!.results.map((x) => x.denial_reason ?? x.decision)).toEqual(['atp_budget_exceeded', 'granted']); // the stub's researcher: ≤ 500 per action
    const r = runCli(['authz', 'replay', s, '--law', join(ROOT, 'examples/authz/law.json')]);
    expect(r.code, r.stderr).toBe(0);
    const law = parseStrict(r.stdout) as { results: { decision: string; requires_witness: boolean }[] }[];
    expect(law[0]!.results.map((x) => [x.decision, x.requires_witness])).toEqual([['deferred', true], ['granted', false]]);
    const out = join(dir, 'out.json');
    expect(runCli(['authz', 'replay', s, '--out', out]).code).toBe(0);
  }, 60_000);

  it('check prints the last decision on one line: exit 0 granted, 1 otherwise', () => {
    const ok = runCli(['authz', 'check', file('ok.json', { name: 'ok', with_credential: true, delegations: [deleg], requests: [read()] })]);
    expect(ok).toMatchObject({ code: 0, stdout: 'granted (ATP remaining 990): every check passed\n' });
    const no = runCli(['authz', 'check', file('no.json', { name: 'no', with_credential: true, delegations: [deleg], requests: [read({ action: 'write' })] })]);
    expect(no.code).toBe(1);
    expect(no.stdout).toBe('denied (role_mismatch): delegation d does not grant "write"\n');
    expect(no.stderr.trim()).toBe('quorumkit: not granted: denied (role_mismatch)');
    const json = runCli(['authz', 'check', '--json', file('ok.json', { name: 'ok', with_credential: true, delegations: [deleg], requests: [read()] })]);
    expect(parseStrict(json.stdout)).toMatchObject({ decision: 'granted', decided_by: { check: 'grant' } });
  }, 60_000);

  it('explain lists the checks passed, in the engine\'s order, and the one that decided', () => {
    const r = runCli(['authz', 'explain', file('ex.json', [{ name: 'ex', with_credential: true, delegations: [{ ...deleg, atp_budget: 15 }], requests: [read(), read({ delegation_id: null, requester_lct: 'lct:ai:bot' })] }])]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe([
      'request 1: read data:t (10 ATP) by lct:ai:assistant under d',
      '  ✓ credential', '  ✓ delegation_valid', '  ✓ action_permitted', '  ✓ atp_budget', '  ✓ hourly_rate', '  ✓ role_permissions', '  ✓ trust', '  ✓ law', '  ✓ role_max_atp', '  ✓ witness',
      '  ✓ grant: every check passed', '  → granted (ATP remaining 5)',
      'request 2: read data:t (10 ATP) by lct:ai:bot (citizen role)',
      '  ✓ credential', '  ✓ role_permissions', '  ✓ trust', '  ✓ law', '  ✓ role_max_atp', '  … witness: 1 witness required, 0 supplied', '  → deferred (witness required)',
      '',
    ].join('\n'));
  }, 60_000);

  it('bad input: exit 2 with one line', () => {
    const cases: [string[], RegExp][] = [
      [['authz', 'replay', join(dir, 'missing.json')], /missing\.json/],
      [['authz', 'replay', file('bad.json', '[1,')], /not valid JSON/],
      [['authz', 'replay', file('shape.json', [{ name: 'x' }])], /scenario file .*with_credential/],
      [['authz', 'replay', file('s.json', []), '--law', file('law-bad.json', { schema: 'nope' })], /^quorumkit: law .*missing key/],
      [['authz', 'check', file('two.json', [{ name: 'a', with_credential: true, requests: [] }, { name: 'b', with_credential: true, requests: [] }])], /expected one scenario, got 2/],
      [['authz', 'check', file('none.json', { name: 'a', with_credential: true, requests: [] })], /no requests/],
    ];
    for (const [args, re] of cases) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(re);
    }
  }, 60_000);
});
