// The TEST TDX PKI and fake TD/QE against the real verifier: v4, v5 (TDX 1.0 body) and v5 (TDX 1.5
// body) quotes parse with the requested REPORTDATA and the TD's TDREPORT fields, and verify when —
// and only when — the test root is given explicitly; with the pinned Intel root the PCK chain
// fails; flipped signed bytes fail; the Intel PCS collateral samples re-signed by the test TCB
// Signing key rate the fake platform UpToDate; a TDREPORT that is not this TD's is refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { parseTdReport, parseTdxQuote, TeeMalformedEvidenceError, verifyTdxQuote, type TdxVerification } from '../../../src/tee/index.js';
import { parseCertificate, readPckTcb } from '../../../src/tee/tdx/_x509.js';
import { createTestTdxPki, FakeTdxQuoter, type TestTdxPki } from '../../../src/tee/testing/index.js';
import { describeVectors, readVectorText } from '../../_vectors.js';
import { signedValueText } from '../tdx/_test-pki.js';

const now = new Date('2026-06-01T00:00:00Z');
const rd = Uint8Array.from({ length: 64 }, (_, i) => 255 - i);
let pki: TestTdxPki;
beforeAll(async () => {
  pki = await createTestTdxPki();
});

const failed = (r: TdxVerification, name: string): boolean => !r.valid && r.checks.some((c) => c.name === name && !c.ok);
const shapes = [{ version: 4, bodyType: 2 }, { version: 5, bodyType: 2 }, { version: 5, bodyType: 3 }] as const;

describe.each(shapes)('fake TDX quote v$version, body type $bodyType', ({ version, bodyType }) => {
  it('parses with the requested REPORTDATA and the TDREPORT fields, and verifies against the explicit test root', async () => {
    const q = await FakeTdxQuoter.create(pki, { version, bodyType });
    const quote = await q.tdxQuote(rd);
    const p = parseTdxQuote(quote);
    expect(p.header.version).toBe(version);
    expect(p.body.bodyType).toBe(bodyType);
    expect(p.body.reportData).toEqual(rd);
    expect(p.trailingBytes).toBe(0);
    expect(p.signatureData.attestationKey).toEqual(q.attestationKey);
    expect(p.signatureData.pckChain).toHaveLength(3);
    const td = parseTdReport(await q.tdxReport0(rd));
    expect(p.body.mrTd).toEqual(td.mrTd);
    expect(p.body.rtmrs).toEqual(td.rtmrs);
    expect(p.body.mrSeam).toEqual(td.mrSeam);
    if (bodyType === 3) expect(p.body.mrServiceTd).toEqual(td.servTdHash);
    const r = await verifyTdxQuote(quote, { now, trustedRoot: pki.rootPem, policy: { reportData: rd, mrTd: [td.mrTd] } });
    expect(r.reasons).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('with the pinned Intel root (nothing trusts the test PKI by default) the PCK chain fails', async () => {
    const q = await FakeTdxQuoter.create(pki, { version, bodyType });
    const r = await verifyTdxQuote(await q.tdxQuote(rd), { now });
    expect(failed(r, 'pck-chain')).toBe(true);
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatch(/is not the trusted root/);
  });

  it('fails a flip of sampled signed bytes (every 13th, and all of REPORTDATA)', async () => {
    const q = await FakeTdxQuoter.create(pki, { version, bodyType });
    const quote = await q.tdxQuote(rd);
    const p = parseTdxQuote(quote);
    const end = p.signedBytes.length;
    const rdAt = end - (bodyType === 3 ? 64 + 64 : 64);
    const offsets = new Set<number>();
    for (let o = 4; o < end; o += 13) offsets.add(o);
    for (let o = rdAt; o < rdAt + 64; o++) offsets.add(o);
    for (const o of offsets) {
      const b = quote.slice();
      b[o]! ^= 0x01;
      const r = await verifyTdxQuote(b, { now, trustedRoot: pki.rootPem });
      expect(r.valid, `flip at ${o}`).toBe(false);
      // bytes 4–7 are the TEE type, 48–53 the v5 body descriptor: flips there are parse failures
      expect(failed(r, 'quote-signature') || failed(r, 'parse'), `flip at ${o}`).toBe(true);
    }
    expect(offsets.size).toBeGreaterThan(100);
  }, 60_000);
});

describe('FakeTdxQuoter', () => {
  it('a changed QE report, QE report signature or QE auth data fails its check', async () => {
    const q = await FakeTdxQuoter.create(pki);
    const quote = await q.tdxQuote(rd);
    const p = parseTdxQuote(quote);
    const qeAt = p.signedBytes.length + 4 + 64 + 64 + 6;
    const flip = async (o: number): Promise<TdxVerification> => {
      const b = quote.slice();
      b[o]! ^= 0x80;
      return verifyTdxQuote(b, { now, trustedRoot: pki.rootPem });
    };
    expect(failed(await flip(qeAt + 320), 'qe-report-binding')).toBe(true);
    expect(failed(await flip(qeAt + 10), 'qe-report-signature')).toBe(true);
    expect(failed(await flip(qeAt + 384 + 5), 'qe-report-signature')).toBe(true);
    expect(failed(await flip(qeAt + 384 + 64 + 2 + 3), 'qe-report-binding')).toBe(true); // QE auth data
  });

  it('a debug TD is refused by the default policy; TD fields come from the options', async () => {
    const attrs = new Uint8Array(8);
    attrs[0] = 1;
    const rtmr3 = new Uint8Array(48).fill(0x33);
    const q = await FakeTdxQuoter.create(pki, { td: { tdAttributes: attrs, rtmrs: [new Uint8Array(48), new Uint8Array(48), new Uint8Array(48), rtmr3] } });
    const quote = await q.tdxQuote(rd);
    expect(parseTdxQuote(quote).body.rtmrs[3]).toEqual(rtmr3);
    expect(failed(await verifyTdxQuote(quote, { now, trustedRoot: pki.rootPem }), 'policy-debug')).toBe(true);
    expect((await verifyTdxQuote(quote, { now, trustedRoot: pki.rootPem, policy: { allowDebug: true, rtmrs: [undefined, undefined, undefined, rtmr3] } })).valid).toBe(true);
  });

  it('tdxReport0 gives a 1024-byte TDREPORT with REPORTDATA at 0x80; tdxQuoteFromReport refuses another TD\'s report', async () => {
    const a = await FakeTdxQuoter.create(pki, { secret: new Uint8Array(32).fill(1) });
    const b = await FakeTdxQuoter.create(pki, { secret: new Uint8Array(32).fill(2) });
    const report = await a.tdxReport0(rd);
    expect(report).toHaveLength(1024);
    expect(report.subarray(0x80, 0xc0)).toEqual(rd);
    expect(parseTdxQuote(await a.tdxQuoteFromReport(report)).body.reportData).toEqual(rd);
    await expect(b.tdxQuoteFromReport(report)).rejects.toThrow(InvalidArgumentError);
    const forged = report.slice();
    forged[0x80]! ^= 1;
    await expect(a.tdxQuoteFromReport(forged)).rejects.toThrow('TDREPORT MAC does not verify');
    await expect(a.tdxQuoteFromReport(report.subarray(0, 100))).rejects.toThrow(TeeMalformedEvidenceError);
    // refused reports changed nothing: the quoter still quotes its own report, with the same TD body
    const again = parseTdxQuote(await a.tdxQuoteFromReport(report));
    expect(again.body.reportData).toEqual(rd);
    expect(again.signatureData.attestationKey).toEqual(a.attestationKey);
  });

  it('the PCK carries the SGX extensions of the platform; bad options are TypeError / RangeError', async () => {
    const leaf = parseTdxQuote(await (await FakeTdxQuoter.create(pki)).tdxQuote(rd)).signatureData.pckChain[0]!;
    const tcb = readPckTcb(parseCertificate(leaf, 'PCK'));
    expect(Buffer.from(tcb.fmspc).toString('hex')).toBe('50806f000000');
    expect(tcb.cpuSvnComponents).toEqual(pki.platform.cpuSvnComponents);
    expect(tcb.pceSvn).toBe(11);
    await expect(FakeTdxQuoter.create(pki, { version: 3 as 4 })).rejects.toThrow(RangeError);
    await expect(FakeTdxQuoter.create(pki, { version: 4, bodyType: 3 })).rejects.toThrow(RangeError);
    await expect(FakeTdxQuoter.create(pki, { td: { mrTd: new Uint8Array(47) } })).rejects.toThrow(RangeError);
    await expect(FakeTdxQuoter.create(pki, { td: { bogus: 1 } as never })).rejects.toThrow(TypeError);
    await expect(FakeTdxQuoter.create({} as TestTdxPki)).rejects.toThrow(TypeError);
    await expect((await FakeTdxQuoter.create(pki)).tdxQuote(new Uint8Array(32))).rejects.toThrow(/reportData/);
    await expect(createTestTdxPki({ platform: { fmspc: new Uint8Array(5) } })).rejects.toThrow(/fmspc/);
    await expect(createTestTdxPki({ platform: { cpuSvnComponents: [1, 2] } })).rejects.toThrow(TypeError);
    await expect(createTestTdxPki({ notBefore: new Date('2030-01-01'), notAfter: new Date('2029-01-01') })).rejects.toThrow(RangeError);
    await expect(pki.signCollateral('a"b', '{}')).rejects.toThrow(TypeError);
  });
});

describeVectors('fake TDX quotes with collateral signed by the test TCB Signing key', () => {
  it('the Intel PCS TCB Info and QE Identity samples, re-signed, rate the fake platform UpToDate', async () => {
    const quote = await (await FakeTdxQuoter.create(pki)).tdxQuote(rd);
    const at = new Date('2023-06-20T00:00:00Z'); // inside the samples' issueDate–nextUpdate
    const tcbInfo = await pki.signCollateral('tcbInfo', signedValueText(readVectorText('tee/go-tdx-guest/sample_tcbInfo_response'), 'tcbInfo'));
    const qeIdentity = await pki.signCollateral('enclaveIdentity', signedValueText(readVectorText('tee/go-tdx-guest/sample_qeIdentity_response'), 'enclaveIdentity'));
    const r = await verifyTdxQuote(quote, { now: at, trustedRoot: pki.rootPem, collateral: { tcbInfo, qeIdentity, tcbSigningChain: pki.tcbSigningChainPem } });
    expect(r.reasons).toEqual([]);
    expect(r).toMatchObject({ valid: true, tcbStatus: 'UpToDate', qeIdentityStatus: 'UpToDate' });
    const unsigned = await verifyTdxQuote(quote, { now: at, trustedRoot: pki.rootPem, collateral: { tcbInfo: tcbInfo.replace('"UpToDate"', '"Revoked"'), tcbSigningChain: pki.tcbSigningChainPem } });
    expect(failed(unsigned, 'tcb-info')).toBe(true);
  });
});
