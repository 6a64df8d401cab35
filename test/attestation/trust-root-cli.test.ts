// --trust-root on `tee verify` and `attest verify`: evidence from the TEST PKI (quorumkit/tee/testing)
// verifies only with that PKI's root given explicitly, and then says so; without it the pinned AMD /
// Intel roots refuse it (exit 1); a trust root that is no certificate, or --trust-root without
// evidence, is exit 2 with one line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestBound, Attester, createClaim, createReport, evidenceToJson, memoryRegion, reportToJson, snapshotOf } from '../../src/attestation/index.js';
import { Identity } from '../../src/pq/identity.js';
import { createTestSnpPki, createTestTdxPki, fakeSnpEvidenceSource, FakeSnpSigner, FakeTdxQuoter } from '../../src/tee/testing/index.js';
import { runCli } from '../cli/_run.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-trust-root-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const f = (name: string, data: string | Uint8Array): string => {
  writeFileSync(join(dir, name), data);
  return join(dir, name);
};
let ark: string;
let tdxRoot: string;
beforeAll(async () => {
  const pki = await createTestSnpPki({ product: 'Genoa', rsaBits: 2048 });
  const signer = new FakeSnpSigner(pki);
  f('snp.bin', await signer.snpReport(new Uint8Array(64).fill(7), 0));
  f('vcek.pem', pki.vcekPem);
  f('chain.pem', pki.chainPem);
  ark = f('ark.pem', pki.root.pem);
  const quoter = await FakeTdxQuoter.create(await createTestTdxPki());
  f('quote.bin', await quoter.tdxQuote(new Uint8Array(64).fill(9)));
  tdxRoot = f('tdx-root.pem', quoter.pki.rootPem);
  const now = new Date();
  const region = memoryRegion({ region_id: 'w', address: 0, size: 4 });
  const report = createReport([createClaim({ region, snapshot: snapshotOf('w', new Uint8Array(4), now), nonce: 'aa'.repeat(16) })], { now, ttlSeconds: 300 });
  const bound = await attestBound(new Attester(await Identity.create('a', { level: 44 })), report, fakeSnpEvidenceSource(signer));
  f('report.json', reportToJson(bound.report));
  f('evidence.json', JSON.stringify(evidenceToJson(bound.evidence)));
});

describe('--trust-root', () => {
  it('tee verify: TEST PKI evidence verifies with its root given, and says so; refused by the pinned roots', () => {
    const snp = runCli(['tee', 'verify', join(dir, 'snp.bin'), '--cert', join(dir, 'vcek.pem'), '--chain', join(dir, 'chain.pem'), '--trust-root', ark]);
    expect(snp.code, snp.stderr).toBe(0);
    expect(snp.stdout).toMatch(/^verified: SEV-SNP report \(Genoa\), \d+ checks passed, against --trust-root \(not the pinned roots\)\n$/);
    const pinned = runCli(['tee', 'verify', join(dir, 'snp.bin'), '--cert', join(dir, 'vcek.pem'), '--chain', join(dir, 'chain.pem')]);
    expect(pinned.code).toBe(1);
    expect(pinned.stderr).toMatch(/not verified: .*not signed by any trusted root/);
    const tdx = runCli(['tee', 'verify', join(dir, 'quote.bin'), '--trust-root', tdxRoot]);
    expect(tdx.code, tdx.stderr).toBe(0);
    expect(tdx.stdout).toMatch(/^verified: TDX quote.*against --trust-root/);
    expect(runCli(['tee', 'verify', join(dir, 'quote.bin')]).code).toBe(1);
  });

  it('attest verify: the bound report verifies with --evidence and --trust-root, not without the root', () => {
    const ok = runCli(['attest', 'verify', join(dir, 'report.json'), '--evidence', join(dir, 'evidence.json'), '--trust-root', ark]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/bound to sev-snp evidence/);
    const pinned = runCli(['attest', 'verify', join(dir, 'report.json'), '--evidence', join(dir, 'evidence.json')]);
    expect(pinned.code).toBe(1);
  });

  it('a trust root that is no certificate, or --trust-root without evidence, is exit 2 with one line', () => {
    for (const [args, pattern] of [
      [['tee', 'verify', join(dir, 'quote.bin'), '--trust-root', f('junk.pem', 'not a certificate')], /--trust-root .*junk\.pem: trust root holds no PEM CERTIFICATE block/],
      [['tee', 'verify', join(dir, 'quote.bin'), '--trust-root', join(dir, 'absent.pem')], /trust root/],
      [['attest', 'verify', join(dir, 'report.json'), '--trust-root', ark], /--trust-root applies to TEE evidence/],
    ] as const) {
      const r = runCli([...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });
});
