// Intel PCS v4 collateral samples (go-tdx-guest testdata, dated 2023 and 2026) against the genuine
// quotes whose FMSPC they describe: TCB Info 50806f000000 ↔ trustee tdx_quote_4; TCB Info v5 sample
// 90c06f000000 ↔ quote_v5_sample and trustee tdx_quote_5; the TD QE Identity ↔ every quote. CRLs
// (June 2023) against the PCK chains valid then. The TCB Signing chain that signs TCB Info and QE
// Identity is not in the vectors, so signature checks here only show that verification refuses
// collateral it cannot authenticate.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeVectors, readVectorBytes, readVectorText } from '../../_vectors.js';
import {
  INTEL_SGX_ROOT_CA_PEM, INTEL_SGX_ROOT_CA_SHA256, decodePemCertificates, matchTdxQeIdentity, matchTdxTcbLevel, parseTdxQeIdentity, parseTdxQuote,
  parseTdxTcbInfo, TdxCollateralMalformedError, verifyTdxQuote,
} from '../../../src/tee/tdx/index.js';
import { parseCertificate, readPckTcb } from '../../../src/tee/tdx/_x509.js';
import { SAMPLE_NOW, TDX_SAMPLES, sampleBytes, type TdxSample } from './_samples.js';
import { createTestTdxPki } from '../../../src/tee/testing/index.js';
import { signedValueText } from './_test-pki.js';

const TCB_2023 = 'tee/go-tdx-guest/sample_tcbInfo_response';
const TCB_V5 = 'tee/go-tdx-guest/sample_tcbinfo_response_v5';
const QE_ID = 'tee/go-tdx-guest/sample_qeIdentity_response';
const byFile = (suffix: string): TdxSample => TDX_SAMPLES.find((s) => s.file.endsWith(suffix))!;

function platform(s: TdxSample) {
  const q = parseTdxQuote(sampleBytes(s));
  return { q, pck: readPckTcb(parseCertificate(q.signatureData.pckChain[0]!, 'PCK leaf')) };
}

describe('the pinned Intel SGX Root CA', () => {
  it('embeds the certificate whose SHA-256 is the cited fingerprint', () => {
    const der = decodePemCertificates(INTEL_SGX_ROOT_CA_PEM, 'root')[0]!;
    expect(createHash('sha256').update(der).digest('hex')).toBe(INTEL_SGX_ROOT_CA_SHA256);
  });
});

describeVectors('TDX collateral', () => {
  it('the embedded root is byte-identical to go-tdx-guest trusted_root.pem', () => {
    expect(decodePemCertificates(readVectorText('tee/go-tdx-guest/trusted_root.pem'), 'root')).toEqual(decodePemCertificates(INTEL_SGX_ROOT_CA_PEM, 'root'));
  });

  it('parses both TCB Info samples and the QE Identity with their signed bytes', () => {
    const a = parseTdxTcbInfo(readVectorText(TCB_2023));
    expect(Buffer.from(a.value.fmspc).toString('hex')).toBe('50806f000000');
    expect(a.value.tcbLevels.map((l) => l.tcbStatus)).toEqual(['UpToDate', 'OutOfDate']);
    expect(a.signature.length).toBe(64);
    expect(new TextDecoder().decode(a.signedBytes)).toMatch(/^\{"id":"TDX".*\}$/);
    expect(Buffer.from(parseTdxTcbInfo(readVectorText(TCB_V5)).value.fmspc).toString('hex')).toBe('90c06f000000');
    const q = parseTdxQeIdentity(readVectorText(QE_ID));
    expect(q.value.id).toBe('TD_QE');
    expect(q.value.tcbLevels[0]!.isvSvn).toBe(4);
  });

  it('trustee tdx_quote_4 (FMSPC 50806f000000) is UpToDate under the 2023 TCB Info', () => {
    const { q, pck } = platform(byFile('tdx_quote_4.dat'));
    const m = matchTdxTcbLevel(parseTdxTcbInfo(readVectorText(TCB_2023)).value, pck, q.body);
    expect(m).toEqual({ ok: true, status: 'UpToDate', tcbDate: '2023-02-15T00:00:00Z', advisoryIds: [] });
  });

  it('quote_v5_sample (FMSPC 90c06f000000, TDX module TDX_01 ISVSVN 11) is UpToDate under the v5 TCB Info sample', () => {
    const { q, pck } = platform(byFile('quote_v5_sample.dat'));
    expect(matchTdxTcbLevel(parseTdxTcbInfo(readVectorText(TCB_V5)).value, pck, q.body)).toEqual({ ok: true, status: 'UpToDate', tcbDate: expect.any(String), advisoryIds: [] });
  });

  it('trustee tdx_quote_5 (same FMSPC) is below every level: its SGX components 1,1,… are older than the lowest (2,2,…)', () => {
    const { q, pck } = platform(byFile('tdx_quote_5.dat'));
    expect(pck.cpuSvnComponents.slice(0, 2)).toEqual([1, 1]);
    expect(matchTdxTcbLevel(parseTdxTcbInfo(readVectorText(TCB_V5)).value, pck, q.body)).toEqual({ ok: false, reason: 'no TCB Info level matches the platform TCB (status unknown)' });
  });

  it('an older TDX module ISVSVN makes the v5 sample OutOfDate through its module identity', () => {
    const { q, pck } = platform(byFile('quote_v5_sample.dat'));
    const teeTcbSvn = q.body.teeTcbSvn.slice();
    teeTcbSvn[0] = 4;
    const m = matchTdxTcbLevel(parseTdxTcbInfo(readVectorText(TCB_V5)).value, pck, { ...q.body, teeTcbSvn });
    expect(m).toEqual({ ok: true, status: 'OutOfDate', tcbDate: '2024-03-13T00:00:00Z', advisoryIds: ['INTEL-SA-01036', 'INTEL-SA-01099'] });
  });

  it('a quote from another FMSPC does not match (cos-113, 00806f050000)', () => {
    const { q, pck } = platform(byFile('cos-113-tdx-quote.dat'));
    expect(matchTdxTcbLevel(parseTdxTcbInfo(readVectorText(TCB_2023)).value, pck, q.body)).toEqual({ ok: false, reason: "TCB Info FMSPC differs from the PCK certificate's" });
  });

  it('the TD QE Identity gives every quote\'s QE a status', () => {
    const id = parseTdxQeIdentity(readVectorText(QE_ID)).value;
    for (const s of TDX_SAMPLES) {
      const m = matchTdxQeIdentity(id, parseTdxQuote(sampleBytes(s)).signatureData.qeReport);
      expect(m, s.file).toMatchObject({ ok: true, status: 'UpToDate' });
    }
  });

  it('collateral without its TCB Signing chain is refused, not trusted', async () => {
    const r = await verifyTdxQuote(sampleBytes(byFile('tdx_quote_4.dat')), { now: SAMPLE_NOW, policy: { allowDebug: true }, collateral: { tcbInfo: readVectorText(TCB_2023), qeIdentity: readVectorText(QE_ID) } });
    expect(r.valid).toBe(false);
    expect(r.reasons).toEqual(['tcb-info: TCB Info: collateral.tcbSigningChain is required to verify it', 'qe-identity: QE Identity: collateral.tcbSigningChain is required to verify it']);
  });

  it('a TCB Signing chain that is not Intel\'s (the PCK chain) fails the collateral signature', async () => {
    const bytes = sampleBytes(byFile('tdx_quote_4.dat'));
    const pem = new TextDecoder().decode(bytes.subarray(bytes.length - 3000)).slice(new TextDecoder().decode(bytes.subarray(bytes.length - 3000)).indexOf('-----BEGIN'));
    const r = await verifyTdxQuote(bytes, { now: new Date('2023-06-20T00:00:00Z'), policy: { allowDebug: true }, collateral: { tcbInfo: readVectorText(TCB_2023), tcbSigningChain: pem } });
    expect(r.reasons).toEqual(['tcb-info: TCB Info: signature verification failed']);
  });

  it('malformed collateral is ERR_TDX_COLLATERAL_MALFORMED', () => {
    const text = readVectorText(TCB_2023);
    for (const bad of [text.replace('"version":3', '"version":3,"version":3'), text.replace('"fmspc":"50806f000000"', '"fmspc":"50806f00"'), text.slice(0, -2), `${text.slice(0, -1)},"x":1}`, '{}', text.replace('UpToDate', 'Fine')]) {
      expect(() => parseTdxTcbInfo(bad)).toThrow(TdxCollateralMalformedError);
    }
    expect(() => parseTdxQeIdentity(readVectorText(QE_ID).replace('"TD_QE"', '"QE"'))).toThrow(TdxCollateralMalformedError);
  });

  describe('CRLs (June 2023)', () => {
    const now = new Date('2023-06-20T00:00:00Z');
    const collateral = { pckCrl: readVectorBytes('tee/go-tdx-guest/pckcrl'), rootCrl: readVectorBytes('tee/go-tdx-guest/rootcrl.der') };
    for (const f of ['tdx_prod_quote_SPR_E4.dat', 'tdx-v4-edgeless.dat']) {
      it(`${f}: neither the PCK leaf nor its CA is revoked`, async () => {
        const r = await verifyTdxQuote(sampleBytes(byFile(f)), { now, collateral });
        expect(r.reasons).toEqual([]);
        expect(r.checks.filter((c) => c.name.endsWith('-crl')).map((c) => [c.name, c.ok])).toEqual([['root-crl', true], ['pck-crl', true]]);
      });
    }
    it('a CRL past its nextUpdate or with a flipped byte fails', async () => {
      const bytes = sampleBytes(byFile('tdx_prod_quote_SPR_E4.dat'));
      const stale = await verifyTdxQuote(bytes, { now: SAMPLE_NOW, collateral });
      expect(stale.reasons).toEqual([expect.stringMatching(/^root-crl: CRL of "Intel SGX Root CA" expired/), expect.stringMatching(/^pck-crl: CRL of "Intel SGX PCK Platform CA" expired/)]);
      const pckCrl = collateral.pckCrl.slice();
      pckCrl[100]! ^= 1;
      const flipped = await verifyTdxQuote(bytes, { now, collateral: { pckCrl } });
      expect(flipped.valid).toBe(false);
      expect(flipped.reasons[0]).toMatch(/^pck-crl: /);
    });
  });
});

describeVectors('TDX collateral signatures (a test TCB-signing PKI re-signs the Intel samples)', () => {
  const bytes = (): Uint8Array => sampleBytes(byFile('tdx_quote_4.dat'));
  const now = new Date('2023-06-20T00:00:00Z');

  it('a correctly signed TCB Info and QE Identity give their statuses; only the PCK chain (Intel root ≠ test root) fails', async () => {
    const pki = await createTestTdxPki();
    const tcbInfo = await pki.signCollateral('tcbInfo', signedValueText(readVectorText(TCB_2023), 'tcbInfo'));
    const qeIdentity = await pki.signCollateral('enclaveIdentity', signedValueText(readVectorText(QE_ID), 'enclaveIdentity'));
    const r = await verifyTdxQuote(bytes(), { now, trustedRoot: pki.rootPem, policy: { allowDebug: true }, collateral: { tcbInfo, qeIdentity, tcbSigningChain: pki.tcbSigningChainPem } });
    expect(r.reasons).toEqual(['pck-chain: chain root "Intel SGX Root CA" is not the trusted root']);
    expect(r.checks.find((c) => c.name === 'tcb-info')).toEqual({ name: 'tcb-info', ok: true, detail: 'UpToDate' });
    expect(r.checks.find((c) => c.name === 'qe-identity')).toEqual({ name: 'qe-identity', ok: true, detail: 'UpToDate' });
    expect([r.tcbStatus, r.qeIdentityStatus]).toEqual(['UpToDate', 'UpToDate']);
  });

  it('a changed signed document, a stale one, or a refused status fails', async () => {
    const pki = await createTestTdxPki();
    const value = signedValueText(readVectorText(TCB_2023), 'tcbInfo');
    const signed = await pki.signCollateral('tcbInfo', value);
    const opts = { trustedRoot: pki.rootPem, policy: { allowDebug: true } };
    const changed = signed.replace('"tcbEvaluationDataNumber":15', '"tcbEvaluationDataNumber":16');
    const r1 = await verifyTdxQuote(bytes(), { ...opts, now, collateral: { tcbInfo: changed, tcbSigningChain: pki.tcbSigningChainPem } });
    expect(r1.checks.find((c) => c.name === 'tcb-info')?.detail).toBe('TCB Info: signature verification failed');
    const r2 = await verifyTdxQuote(bytes(), { ...opts, now: new Date('2023-08-01T00:00:00Z'), collateral: { tcbInfo: signed, tcbSigningChain: pki.tcbSigningChainPem } });
    expect(r2.checks.find((c) => c.name === 'tcb-info')?.detail).toMatch(/^TCB Info: stale: nextUpdate 2023-07-18/);
    const outOfDate = await pki.signCollateral('tcbInfo', value.replace('"tcbStatus":"UpToDate"', '"tcbStatus":"Revoked"'));
    const r3 = await verifyTdxQuote(bytes(), { ...opts, now, collateral: { tcbInfo: outOfDate, tcbSigningChain: pki.tcbSigningChainPem } });
    expect(r3.checks.find((c) => c.name === 'tcb-info')).toEqual({ name: 'tcb-info', ok: false, detail: 'TCB status Revoked is not accepted' });
    expect(r3.tcbStatus).toBe('Revoked');
  });
});
