// `quorumkit authz check-policy FILE [--json]` through the built CLI (dist/cli/main.js; run
// `node build.mjs` first): the example law (the upstream defaults) passes — exit 0, its two
// dead-delete warnings listed; a contradictory policy exits 1 with its error findings; bad input
// (missing file, not JSON, not a law document, a bad condition, an oversize file) exits 2 with one
// line on stderr and nothing on stdout.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLawDocument, MAX_LAW_DOCUMENT_CHARS } from '../../src/authz/index.js';
import { ROOT, runCli } from './_run.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-cli-authz-'));
const file = (name: string, body: string): string => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};
const EXAMPLE = `${ROOT}examples/authz/law.json`;
const base = defaultLawDocument('society:cli');
const clean = file('clean.json', JSON.stringify({ ...base, defaultRole: { ...base.defaultRole!, actions: ['read', 'write', 'compute', 'delete'] }, norms: [...base.norms, { id: 'ALLOW-DELETE', type: 'ALLOW', when: 'action == "delete"' }] }));
const contradictory = file('bad.json', JSON.stringify({ ...base, norms: [...base.norms, { id: 'NO-COMPUTE', type: 'LIMIT', condition: 'action != "compute"' }] }));

describe('quorumkit authz check-policy', () => {
  it('the example law (upstream defaults) checks clean: exit 0, only warnings', () => {
    const r = runCli(['authz', 'check-policy', EXAMPLE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'warning never-legal /norms/5: REQUIRE DENY-DELETE-UNWITNESSED applies only to requests no ALLOW norm permits, so it never takes effect',
      'warning never-legal /procedures/1/triggers/0: procedure PROC-DELETE: trigger action == "delete" holds only on requests no ALLOW norm permits',
      `${EXAMPLE}: 0 errors, 2 warnings`,
    ]);
    // the example file is exactly the upstream default law
    expect(JSON.parse(readFileSync(EXAMPLE, 'utf8'))).toEqual(defaultLawDocument('society:research_institute'));
  });

  it('--json: one object with the counts and findings', () => {
    const r = runCli(['authz', 'check-policy', '--json', EXAMPLE]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { file: string; errors: number; warnings: number; findings: { code: string; path: string }[] };
    expect(out).toMatchObject({ file: EXAMPLE, errors: 0, warnings: 2 });
    expect(out.findings.map((f) => `${f.code} ${f.path}`)).toEqual(['never-legal /norms/5', 'never-legal /procedures/1/triggers/0']);
  });

  it('a clean policy: no findings', () => {
    const r = runCli(['authz', 'check-policy', '--json', clean]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ file: clean, errors: 0, warnings: 0, findings: [] });
  });

  it('a contradictory policy: exit 1, the error findings on stdout, one line on stderr', () => {
    const r = runCli(['authz', 'check-policy', contradictory]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error allow-contradicts-limit /norms/2: ALLOW ALLOW-COMPUTE permits only requests that LIMIT NO-COMPUTE forbids');
    expect(r.stderr.trim().split('\n')).toEqual([`quorumkit: ${contradictory}: the policy has 1 error finding`]);
    const j = runCli(['authz', 'check-policy', '--json', contradictory]);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ errors: 1 });
  });

  it('bad input: exit 2 with one line', () => {
    const cases: [string[], RegExp][] = [
      [['authz', 'check-policy', join(dir, 'missing.json')], /law document not found/],
      [['authz', 'check-policy', dir], /law document is a directory/],
      [['authz', 'check-policy', file('garbage.json', '{"schema":')], /JSON parse error/],
      [['authz', 'check-policy', file('dup.json', '{"schema":1,"schema":2}')], /duplicate key/],
      [['authz', 'check-policy', file('shape.json', JSON.stringify({ ...base, extra: true }))], /unknown key "extra"/],
      [['authz', 'check-policy', file('cond.json', JSON.stringify({ ...base, norms: [{ id: 'EVIL', type: 'ALLOW', when: '__import__("os").system("id")' }] }))], /\(EVIL\): condition: .* at position \d+/],
      [['authz', 'check-policy', file('huge.json', ' '.repeat(3 * MAX_LAW_DOCUMENT_CHARS + 1))], /larger than/],
      [['authz', 'check-policy', '/dev/zero'], /is not a regular file/],
      [['authz', 'check-policy'], /missing required argument/],
    ];
    for (const [args, re] of cases) {
      const r = runCli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
      expect(r.stdout).toBe('');
    }
  });
});
