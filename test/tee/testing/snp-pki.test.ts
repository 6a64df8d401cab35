// The TEST SEV-SNP PKI and fake signer against the real verifier: for every product a generated
// report parses (v3 Milan/Genoa, v5 Turin), carries the requested REPORT_DATA, VMPL, CHIP_ID and TCB,
// and verifies when — and only when — the test ARK is given explicitly; with AMD's pinned roots it
// fails on the chain, with another product's test root too, and a flipped signed byte fails.
import { describe, expect, it } from 'vitest';
import { decodeSnpCertificates, parseSnpReport, readSnpLeafExtensions, SNP_SIGNED_BYTES, verifySnpReport, type SnpVerificationResult } from '../../../src/tee/index.js';
import { createTestSnpPki, FakeSnpSigner, type TestSnpPki } from '../../../src/tee/testing/index.js';

const now = new Date('2026-06-01T00:00:00Z');
const rd = Uint8Array.from({ length: 64 }, (_, i) => 0xa0 ^ i);
const products = ['Milan', 'Genoa', 'Turin'] as const;
const pkis = new Map<string, Promise<TestSnpPki>>();
// 2048-bit CAs keep the suite quick; one test below makes AMD's 4096-bit size and times it.
const pkiOf = (product: (typeof products)[number]): Promise<TestSnpPki> => {
  let p = pkis.get(product);
  if (p === undefined) pkis.set(product, (p = createTestSnpPki({ product, rsaBits: 2048, vlek: true })));
  return p;
};

function failedCheck(r: SnpVerificationResult, name: string): boolean {
  return !r.valid && r.checks.some((c) => c.name === name && !c.ok);
}

describe.each(products)('test SEV-SNP PKI, %s', (product) => {
  it('a fake report parses with the requested fields and verifies against the explicit test root', async () => {
    const pki = await pkiOf(product);
    const report = await new FakeSnpSigner(pki).snpReport(rd, 2);
    const p = parseSnpReport(report);
    expect(p.version).toBe(product === 'Turin' ? 5 : 3);
    expect(p.report_data).toEqual(rd);
    expect(p.vmpl).toBe(2);
    expect(p.signature_algo).toBe(1);
    expect(p.policy.debug).toBe(false);
    expect(p.signer_info.signingKey).toBe('vcek');
    expect(p.chip_id).toEqual(pki.chipId);
    expect(p.reported_tcb).toMatchObject(pki.tcb);
    expect(p.current_tcb.raw).toBe(p.reported_tcb.raw);
    expect(p.signatureOversized).toBe(false);
    const r = await verifySnpReport(report, { vcek: pki.vcekPem, chain: pki.chainPem, now, trustedRoots: [pki.root], policy: { reportData: rd } });
    expect(r.reasons).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.product).toBe(product);
  });

  it('the VCEK carries AMD extensions equal to the report (productName, SPLs, hwID; fmc on Turin) and TEST names', async () => {
    const pki = await pkiOf(product);
    const [vcek] = decodeSnpCertificates(pki.vcekPem);
    const ext = readSnpLeafExtensions(vcek!);
    expect(ext.productName).toBe(pki.productName);
    expect(ext.productName!.split('-')[0]).toBe(product);
    expect(ext.hwID).toEqual(pki.hwId);
    expect(ext.hwID!.length).toBe(product === 'Turin' ? 8 : 64);
    expect({ bootloader: ext.bootloader, tee: ext.tee, snp: ext.snp, microcode: ext.microcode, ...(ext.fmc === undefined ? {} : { fmc: ext.fmc }) }).toEqual(pki.tcb);
    expect(vcek!.commonName).toBe('SEV-VCEK');
    const [ask, ark] = decodeSnpCertificates(pki.chainPem);
    expect(ask!.commonName).toBe(`quorumkit TEST SEV-${product} — not AMD`);
    expect(ark!.commonName).toBe(`quorumkit TEST ARK-${product} — not AMD`);
    expect(ark!.cert.signatureAlgorithm.algorithmId).toBe('1.2.840.113549.1.1.10'); // RSASSA-PSS, as AMD's
  });

  it('with the default pinned AMD roots (nothing trusts the test PKI by default) it fails on the chain', async () => {
    const pki = await pkiOf(product);
    const report = await new FakeSnpSigner(pki).snpReport(rd, 0);
    const r = await verifySnpReport(report, { vcek: pki.vcekPem, chain: pki.chainPem, now });
    expect(r.valid).toBe(false);
    expect(failedCheck(r, 'ASK/ASVK signed by a trusted ARK')).toBe(true);
    expect(r.checks.find((c) => c.name === 'report signature')!.ok).toBe(true);
  });

  it('a VLEK-signed report (SIGNING_KEY 1) verifies with the ASVK chain', async () => {
    const pki = await pkiOf(product);
    const report = await new FakeSnpSigner(pki, { signingKey: 'vlek' }).snpReport(rd, 0);
    expect(parseSnpReport(report).signer_info.signingKey).toBe('vlek');
    const r = await verifySnpReport(report, { vlek: pki.vlek!.vlekPem, chain: pki.vlek!.chainPem, now, trustedRoots: [pki.root] });
    expect(r.reasons).toEqual([]);
    const ext = readSnpLeafExtensions(decodeSnpCertificates(pki.vlek!.vlekPem)[0]!);
    expect(ext.cspID).toBe('quorumkit-test-csp');
    expect(ext.hwID).toBeUndefined();
  });

  it('fails a flip of sampled signed bytes (every 11th, and all of REPORT_DATA)', async () => {
    const pki = await pkiOf(product);
    const report = await new FakeSnpSigner(pki).snpReport(rd, 0);
    const opts = { vcek: pki.vcekPem, chain: pki.chainPem, now, trustedRoots: [pki.root] };
    const offsets = new Set<number>();
    for (let o = 4 + (products.indexOf(product) % 11); o < SNP_SIGNED_BYTES; o += 11) offsets.add(o);
    for (let o = 0x50; o < 0x90; o++) offsets.add(o);
    for (const o of offsets) {
      const b = report.slice();
      b[o]! ^= 0x01;
      const r = await verifySnpReport(b, opts);
      expect(failedCheck(r, 'report signature'), `flip at 0x${o.toString(16)}`).toBe(true);
    }
    expect(offsets.size).toBeGreaterThan(100);
  }, 60_000);
});

describe('test SEV-SNP PKI across products and options', () => {
  it("another product's test root does not verify (wrong family)", async () => {
    const milan = await pkiOf('Milan');
    const genoa = await pkiOf('Genoa');
    const report = await new FakeSnpSigner(genoa).snpReport(rd, 0);
    const r = await verifySnpReport(report, { vcek: genoa.vcekPem, chain: genoa.chainPem, now, trustedRoots: [milan.root] });
    expect(failedCheck(r, 'ASK/ASVK signed by a trusted ARK')).toBe(true);
    // Genoa's leaf with Milan's chain: the ASK does not sign it
    const r2 = await verifySnpReport(report, { vcek: genoa.vcekPem, chain: milan.chainPem, now, trustedRoots: [milan.root, genoa.root] });
    expect(failedCheck(r2, 'leaf signed by ASK/ASVK')).toBe(true);
  });

  it('a look-alike test PKI (same names, other keys: cache false) is not trusted through the first one\'s root', async () => {
    const real = await pkiOf('Milan');
    const fake = await createTestSnpPki({ product: 'Milan', rsaBits: 2048, cache: false });
    expect(fake.arkPem).not.toBe(real.arkPem);
    const report = await new FakeSnpSigner(fake).snpReport(rd, 0);
    const r = await verifySnpReport(report, { vcek: fake.vcekPem, chain: fake.chainPem, now, trustedRoots: [real.root] });
    expect(failedCheck(r, 'ASK/ASVK signed by a trusted ARK')).toBe(true);
    // its own ASK, offered with the real ARK's bundle, does not sign the leaf either
    const r2 = await verifySnpReport(report, { vcek: fake.vcekPem, chain: real.chainPem, now, trustedRoots: [real.root] });
    expect(failedCheck(r2, 'leaf signed by ASK/ASVK')).toBe(true);
    await expect(createTestSnpPki({ product: 'Milan', cache: 1 as unknown as boolean })).rejects.toThrow(TypeError);
  });

  it('the CA layer is made once per product and size in a process; each PKI gets its own VCEK and chip id', async () => {
    const a = await pkiOf('Milan');
    const b = await createTestSnpPki({ product: 'Milan', rsaBits: 2048 });
    expect(b.arkPem).toBe(a.arkPem);
    expect(b.vcekPem).not.toBe(a.vcekPem);
    expect(b.chipId).not.toEqual(a.chipId);
    expect(b.vlek).toBeUndefined();
    // A report of one chip does not verify with another chip's VCEK, though the chain is the same.
    const r = await verifySnpReport(await new FakeSnpSigner(a).snpReport(rd, 0), { vcek: b.vcekPem, chain: b.chainPem, now, trustedRoots: [b.root] });
    expect(failedCheck(r, 'report signature') && failedCheck(r, 'hwID equals chip_id')).toBe(true);
  });

  it('given chip id, TCB and validity are used; certificates outside their validity fail', async () => {
    const chipId = new Uint8Array(8).fill(7);
    const pki = await createTestSnpPki({ product: 'Turin', rsaBits: 2048, chipId, tcb: { bootloader: 9, tee: 1, snp: 2, microcode: 77, fmc: 4 }, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z') });
    const report = await new FakeSnpSigner(pki, { guest: { guestSvn: 3 } }).snpReport(rd, 0);
    const p = parseSnpReport(report);
    expect(p.chip_id.subarray(0, 8)).toEqual(chipId);
    expect(p.chip_id.subarray(8).every((x) => x === 0)).toBe(true);
    expect(p.reported_tcb).toMatchObject({ bootloader: 9, tee: 1, snp: 2, microcode: 77, fmc: 4 });
    expect(p.guest_svn).toBe(3);
    const opts = { vcek: pki.vcekPem, chain: pki.chainPem, trustedRoots: [pki.root] };
    expect((await verifySnpReport(report, { ...opts, now })).valid).toBe(true);
    expect(failedCheck(await verifySnpReport(report, { ...opts, now: new Date('2028-01-01T00:00:00Z') }), 'certificates valid at now')).toBe(true);
  });

  it('a debug guest policy is refused by the default verifier policy and accepted with allowDebug', async () => {
    const pki = await pkiOf('Genoa');
    const report = await new FakeSnpSigner(pki, { guest: { policy: 0x30000n | (1n << 19n) } }).snpReport(rd, 0);
    const opts = { vcek: pki.vcekPem, chain: pki.chainPem, now, trustedRoots: [pki.root] };
    expect(failedCheck(await verifySnpReport(report, opts), 'policy: debug')).toBe(true);
    expect((await verifySnpReport(report, { ...opts, policy: { allowDebug: true } })).valid).toBe(true);
  });

  it("AMD's 4096-bit ARK/ASK size works (time printed)", async () => {
    const t = performance.now();
    const pki = await createTestSnpPki({ product: 'Genoa' });
    const ms = performance.now() - t;
    console.log(`[test-pki] createTestSnpPki Genoa, 4096-bit ARK+ASK+ASVK: ${ms.toFixed(0)} ms (cached per process after the first)`);
    const t2 = performance.now();
    await createTestSnpPki({ product: 'Genoa' });
    console.log(`[test-pki] the same again (CA layer cached): ${(performance.now() - t2).toFixed(1)} ms`);
    const report = await new FakeSnpSigner(pki).snpReport(rd, 0);
    expect((await verifySnpReport(report, { vcek: pki.vcekPem, chain: pki.chainPem, now, trustedRoots: [pki.root] })).valid).toBe(true);
  }, 120_000);

  it('refuses bad options with TypeError / RangeError', async () => {
    await expect(createTestSnpPki({ product: 'Naples' as 'Milan' })).rejects.toThrow(RangeError);
    await expect(createTestSnpPki({ product: 'Milan', rsaBits: 1024 as 2048 })).rejects.toThrow(RangeError);
    await expect(createTestSnpPki({ product: 'Milan', chipId: new Uint8Array(8) })).rejects.toThrow(/chipId/);
    await expect(createTestSnpPki({ product: 'Milan', tcb: { bootloader: 1, tee: 1, snp: 1, microcode: 1, fmc: 1 } })).rejects.toThrow(/Turin only/);
    await expect(createTestSnpPki({ product: 'Milan', tcb: { bootloader: 256, tee: 1, snp: 1, microcode: 1 } })).rejects.toThrow(RangeError);
    await expect(createTestSnpPki({ product: 'Milan', notBefore: new Date('2030-01-01'), notAfter: new Date('2029-01-01') })).rejects.toThrow(RangeError);
    await expect(createTestSnpPki({ product: 'Milan', extra: 1 } as never)).rejects.toThrow(TypeError);
  });
});
