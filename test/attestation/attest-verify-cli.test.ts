// `quorumkit attest verify`: a signed report verifies (exit 0) inside its window; expired, tampered,
// signed by a did not trusted, or drifted is exit 1 with the reason; with genuine TEE evidence the
// report and the evidence verify and the binding alone fails (exit 1, --json shows all three);
// a malformed report, evidence or policy, a missing file or a bad flag is exit 2 with one line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/core/canonical-json.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { Identity } from '../../src/pq/identity.js';
import { Attester, createClaim, createReport, evidenceToJson, hashBytes, memoryRegion, reportToJson, snapshotOf, type AttestationReport } from '../../src/attestation/index.js';
import { describeVectors } from '../_vectors.js';
import { readVectorBytes } from '../tee/_tee-vectors.js';
import { runCli } from '../cli/_run.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-attest-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const issued = new Date('2026-06-01T00:00:00Z');
const inside = '2026-06-01T00:01:00Z';
let report: AttestationReport;
let signer: Identity;
const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

beforeAll(async () => {
  signer = await Identity.create('attester', { level: 44 });
  const bytes = new Uint8Array(64).fill(7);
  const region = memoryRegion({ region_id: 'weights', address: 0, size: 64 });
  const claim = createClaim({ region, snapshot: snapshotOf('weights', bytes, issued), expectedHash: hashBytes(bytes), nonce: 'ab'.repeat(16) });
  report = await new Attester(signer).sign(createReport([claim], { now: issued, ttlSeconds: 300 }));
  file('report.json', reportToJson(report));
});

function expectLine(r: { code: number | null; stderr: string }, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describe('quorumkit attest verify', () => {
  it('a signed report verifies inside its window', () => {
    const r = runCli(['attest', 'verify', join(dir, 'report.json'), '--now', inside]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`verified: report ${report.report_id}, 1 claim(s), signed by ${signer.did}\n`);
    const j = runCli(['attest', 'verify', join(dir, 'report.json'), '--now', inside, '--trusted', signer.did, '--json']);
    expect(j.code, j.stderr).toBe(0);
    expect(parseStrict(j.stdout)).toMatchObject({ valid: true, signatureValid: true, notExpired: true, drifts: [], report_id: report.report_id });
  });

  it('expired, untrusted, tampered or drifted is exit 1 with the reason', async () => {
    expectLine(runCli(['attest', 'verify', join(dir, 'report.json'), '--now', '2026-06-01T00:06:00Z']), 1, /^quorumkit: not verified: report expired\n$/);
    const other = await Identity.create('other', { level: 44 });
    expectLine(runCli(['attest', 'verify', join(dir, 'report.json'), '--now', inside, '--trusted', other.did]), 1, /not verified: invalid ML-DSA signature/);
    const tampered = { ...report, platform: 'amd-sev-snp' };
    expectLine(runCli(['attest', 'verify', file('tampered.json', canonicalize(tampered)), '--now', inside]), 1, /invalid ML-DSA signature/);
    const region = memoryRegion({ region_id: 'weights', address: 0, size: 4 });
    const drifted = await new Attester(signer).sign(createReport([createClaim({ region, snapshot: snapshotOf('weights', new Uint8Array(4), issued), expectedHash: 'ee'.repeat(32) })], { now: issued }));
    expectLine(runCli(['attest', 'verify', file('drifted.json', reportToJson(drifted)), '--now', inside]), 1, /memory drift detected in 1 region\(s\): weights/);
  });

  it.each([
    ['a missing report', () => [join(dir, 'none.json')], /report not found/],
    ['a report that is not JSON', () => [file('bad.json', '{"report_id":')], /not valid JSON/],
    ['a malformed report', () => [file('bad2.json', '{"report_id":"x","claims":[],"extra":1}')], /report .*unknown field "extra"/],
    ['--policy without --evidence', () => [join(dir, 'report.json'), '--policy', join(dir, 'report.json')], /--policy applies to TEE evidence/],
    ['a bad --now', () => [join(dir, 'report.json'), '--now', '2026-13-01T00:00:00Z'], /--now: .*month out of range/],
    ['a bad --trusted', () => [join(dir, 'report.json'), '--trusted', 'alice'], /--trusted expects dids/],
    ['malformed evidence', () => [join(dir, 'report.json'), '--evidence', file('ev-bad.json', '{"kind":"tdx","quote":"@@"}')], /evidence .*quote" expected padded standard base64/],
  ])('%s is exit 2', (_what, args, pattern) => {
    expectLine(runCli(['attest', 'verify', ...args()]), 2, pattern);
  });
});

describeVectors('quorumkit attest verify --evidence with genuine evidence', () => {
  it('SEV-SNP: report and evidence verify, the binding does not (exit 1); a policy it fails adds its reason', () => {
    const ev = file('snp.json', canonicalize(evidenceToJson({ kind: 'sev-snp', report: readVectorBytes('tee/teekit/sev-gcp.bin'), vcek: readVectorBytes('tee/teekit/sev-gcp-vcek.pem') })));
    const r = runCli(['attest', 'verify', join(dir, 'report.json'), '--evidence', ev, '--now', inside, '--json']);
    expectLine(r, 1, /^quorumkit: not verified: binding: the evidence's user data is not SHA3-512/);
    expect(parseStrict(r.stdout)).toMatchObject({ valid: false, bound: false, report: { valid: true }, evidence: { valid: true, reasons: [] } });
    const p = file('policy.json', JSON.stringify({ 'sev-snp': { report_data: '11'.repeat(64) } }));
    expectLine(runCli(['attest', 'verify', join(dir, 'report.json'), '--evidence', ev, '--policy', p, '--now', inside]), 1, /policy: report_data: report_data differs.*; binding:/);
  });

  it('TDX: the same', () => {
    const ev = file('tdx.json', canonicalize(evidenceToJson({ kind: 'tdx', quote: readVectorBytes('tee/go-tdx-guest/tdx_prod_quote_SPR_E4.dat') })));
    expectLine(runCli(['attest', 'verify', join(dir, 'report.json'), '--evidence', ev, '--now', inside]), 1, /^quorumkit: not verified: binding:/);
  });
});
