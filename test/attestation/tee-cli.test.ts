// `quorumkit tee verify` on the genuine samples of $QUORUMKIT_VECTORS/tee: every SEV-SNP report (raw
// and Azure HCL-wrapped) and every TDX quote (v4, v5, base64 text) verifies (exit 0) at a "now"
// inside its certificates; --json prints the parsed fields and every check; a flipped signed byte,
// a policy the sample does not meet, or an expired certificate is exit 1 with the reason on one
// line; garbage, a missing file, a bad --now, a bad policy or a missing --cert is exit 2.
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseStrict } from '../../src/core/parse-strict.js';
import { describeVectors, vectorPath } from '../_vectors.js';
import { SNP_SAMPLES } from '../tee/snp/_samples.js';
import { SAMPLE_NOW, TDX_SAMPLES } from '../tee/tdx/_samples.js';
import { readVectorBytes } from '../tee/_tee-vectors.js';
import { runCli } from '../cli/_run.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-tee-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const debugPolicy = join(dir, 'debug.json');
writeFileSync(debugPolicy, JSON.stringify({ 'sev-snp': { allow_debug: true }, tdx: { allow_debug: true } }));
const v = (rel: string): string => vectorPath(rel);

function expectLine(r: { code: number | null; stderr: string }, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describeVectors('quorumkit tee verify: genuine SEV-SNP reports', () => {
  for (const s of SNP_SAMPLES) {
    it(`${s.report} (${s.kind.toUpperCase()}, ${s.product}) verifies`, () => {
      const r = runCli(['tee', 'verify', v(s.report), '--cert', v(s.leaf), '--chain', v(s.chain), '--now', s.now.toISOString(), ...(s.debug ? ['--policy', debugPolicy] : [])]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^verified: SEV-SNP report \\(${s.product}\\), \\d+ checks passed\\n$`));
    });
  }

  it('Azure HCL reports (Milan, Genoa) verify, the kind read from the bytes', () => {
    const milan = runCli(['tee', 'verify', v('tee/trustee/az-snp-vtpm_hcl-report.bin'), '--cert', v('tee/trustee/az-snp-vtpm_vcek.pem'), '--now', '2026-06-01T00:00:00Z']);
    expect(milan.code, milan.stderr).toBe(0);
    expect(milan.stdout).toMatch(/^verified: SEV-SNP report \(Azure HCL\) \(Milan\)/);
    const genoa = runCli(['tee', 'verify', v('tee/trustee/az-snp-vtpm_genoa-hcl-report.bin'), '--cert', v('tee/trustee/az-snp-vtpm_vcek-genoa.pem'), '--chain', v('tee/go-sev-guest/ask_ark_genoa.pem'), '--now', '2026-06-01T00:00:00Z', '--json']);
    expect(genoa.code, genoa.stderr).toBe(0);
    const out = parseStrict(genoa.stdout) as { kind: string; valid: boolean; product: string; fields: { version: number; cpuid: { family: number } }; checks: { name: string; ok: boolean }[] };
    expect(out).toMatchObject({ kind: 'sev-snp-hcl', valid: true, product: 'Genoa', fields: { version: 3, cpuid: { family: 0x19 } } });
    expect(out.checks.every((c) => c.ok)).toBe(true);
    expect(out.checks.map((c) => c.name)).toContain('hwID equals chip_id');
  });

  it('a flipped signed byte is exit 1 with the reason; so is the expired VLEK at today', () => {
    const s = SNP_SAMPLES[6]!; // teekit sev-gcp.bin
    const bytes = readVectorBytes(s.report);
    bytes[0x90]! ^= 1; // MEASUREMENT
    writeFileSync(join(dir, 'flipped.bin'), bytes);
    expectLine(runCli(['tee', 'verify', join(dir, 'flipped.bin'), '--cert', v(s.leaf), '--now', s.now.toISOString()]), 1, /^quorumkit: not verified: report signature: signature verification failed/);
    const vlek = SNP_SAMPLES[3]!;
    expectLine(runCli(['tee', 'verify', v(vlek.report), '--cert', v(vlek.leaf), '--chain', v(vlek.chain), '--now', '2026-06-01T00:00:00Z']), 1, /not verified: .*SEV-VLEK valid 2024-12-10.* not at 2026-06-01/);
  });

  it('a debug guest without allow_debug, and a policy the report does not meet, are exit 1 (--json still prints)', () => {
    const s = SNP_SAMPLES[0]!; // go-sev-guest: debug allowed by its guest policy
    expectLine(runCli(['tee', 'verify', v(s.report), '--cert', v(s.leaf), '--now', s.now.toISOString()]), 1, /policy: debug: guest policy allows debugging/);
    const p = join(dir, 'measure.json');
    writeFileSync(p, JSON.stringify({ 'sev-snp': { measurements: ['00'.repeat(48)] } }));
    const t = SNP_SAMPLES[6]!;
    const r = runCli(['tee', 'verify', v(t.report), '--cert', v(t.leaf), '--now', t.now.toISOString(), '--policy', p, '--json']);
    expectLine(r, 1, /policy: measurement/);
    expect(parseStrict(r.stdout)).toMatchObject({ valid: false, reasons: [expect.stringMatching(/^policy: measurement/)] });
  });
});

describeVectors('quorumkit tee verify: genuine TDX quotes', () => {
  for (const s of TDX_SAMPLES) {
    it(`${s.file} (v${s.version}) verifies`, () => {
      const r = runCli(['tee', 'verify', v(s.file), '--now', SAMPLE_NOW.toISOString(), ...(s.debug ? ['--policy', debugPolicy] : [])]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('verified: TDX quote, 6 checks passed\n');
    });
  }

  it('--json prints the quote fields and the checks', () => {
    const r = runCli(['tee', 'verify', v('tee/go-tdx-guest/quote_v5_sample.dat'), '--now', SAMPLE_NOW.toISOString(), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = parseStrict(r.stdout) as { kind: string; fields: { header: { version: number }; body: { bodyType: number; mrTd: string } }; checks: { name: string }[] };
    expect(out).toMatchObject({ kind: 'tdx', valid: true, fields: { header: { version: 5 }, body: { bodyType: 3 } } });
    expect(out.fields.body.mrTd).toMatch(/^[0-9a-f]{96}$/);
    expect(out.checks.map((c) => c.name)).toEqual(['parse', 'quote-signature', 'qe-report-binding', 'qe-report-signature', 'pck-chain', 'policy-debug']);
  });

  it('--collateral DIR: the June 2023 CRLs verify then, and are stale later (exit 1)', () => {
    const c = join(dir, 'collateral');
    mkdirSync(c);
    copyFileSync(v('tee/go-tdx-guest/pckcrl'), join(c, 'pck.crl'));
    copyFileSync(v('tee/go-tdx-guest/rootcrl.der'), join(c, 'root.crl'));
    const quote = v('tee/go-tdx-guest/tdx_prod_quote_SPR_E4.dat');
    const ok = runCli(['tee', 'verify', quote, '--collateral', c, '--now', '2023-06-20T00:00:00Z', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((parseStrict(ok.stdout) as { checks: { name: string }[] }).checks.map((x) => x.name)).toEqual(expect.arrayContaining(['root-crl', 'pck-crl']));
    expectLine(runCli(['tee', 'verify', quote, '--collateral', c, '--now', SAMPLE_NOW.toISOString()]), 1, /not verified: root-crl: .*expired/);
    writeFileSync(join(c, 'tcbinfo.json'), '{}');
    expectLine(runCli(['tee', 'verify', quote, '--collateral', c]), 2, /unexpected file "tcbinfo.json"/);
  });

  it('a flipped byte in the quote body is exit 1', () => {
    const bytes = readVectorBytes('tee/trustee/tdx_quote_6.dat');
    bytes[200]! ^= 1;
    writeFileSync(join(dir, 'quote-flipped.dat'), bytes);
    expectLine(runCli(['tee', 'verify', join(dir, 'quote-flipped.dat'), '--now', SAMPLE_NOW.toISOString()]), 1, /not verified: quote-signature: signature verification failed/);
  });
});

describeVectors('quorumkit tee verify: unusable input is exit 2 with one line', () => {
  it.each([
    ['garbage', () => { writeFileSync(join(dir, 'garbage.bin'), 'not evidence at all, just text!'); return [join(dir, 'garbage.bin')]; }, /not TEE evidence/],
    ['a missing file', () => [join(dir, 'nope.bin')], /evidence file not found/],
    ['an empty file', () => { writeFileSync(join(dir, 'empty.bin'), ''); return [join(dir, 'empty.bin')]; }, /is empty/],
    ['a bad --now', () => [v('tee/go-tdx-guest/quote_v5_sample.dat'), '--now', 'yesterday'], /--now: timestamp "yesterday" is not RFC 3339/],
    ['SEV-SNP without --cert', () => [v('tee/teekit/sev-gcp.bin')], /needs --cert/],
    ['a certificate that is not one', () => [v('tee/teekit/sev-gcp.bin'), '--cert', v('tee/go-tdx-guest/nonce.dat')], /certificate|vcek/i],
    ['--cert with a TDX quote', () => [v('tee/go-tdx-guest/quote_v5_sample.dat'), '--cert', v('tee/teekit/sev-gcp-vcek.pem')], /apply to SEV-SNP/],
    ['--collateral with SEV-SNP', () => [v('tee/teekit/sev-gcp.bin'), '--cert', v('tee/teekit/sev-gcp-vcek.pem'), '--collateral', dir], /applies to TDX/],
    ['a malformed policy', () => { writeFileSync(join(dir, 'bad-policy.json'), '{"tdx":{"allow_debug":1}}'); return [v('tee/go-tdx-guest/quote_v5_sample.dat'), '--policy', join(dir, 'bad-policy.json')]; }, /policy file .*allow_debug" expected true or false/],
    ['an Azure TDX HCL report (a TDREPORT, not a quote)', () => [v('tee/trustee/az-tdx-vtpm_hcl-report.bin'), '--cert', v('tee/teekit/sev-gcp-vcek.pem')], /HCL report type 4 is not SEV-SNP/],
    ['a truncated quote', () => { writeFileSync(join(dir, 'short.dat'), readVectorBytes('tee/go-tdx-guest/quote_v5_sample.dat').subarray(0, 700)); return [join(dir, 'short.dat')]; }, /./],
  ])('%s', (_what, args, pattern) => {
    const r = runCli(['tee', 'verify', ...args()]);
    if (_what === 'a truncated quote') {
      // a quote that ends early parses as far as it goes: a verification failure with the reason
      expectLine(r, 1, /not verified: parse: /);
      return;
    }
    expectLine(r, 2, pattern);
  });
});
