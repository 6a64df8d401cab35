// verifyTdxQuote on the genuine TDX quotes of the vectors folder: each verifies at a fixed "now"
// against the pinned Intel SGX Root CA; tampering, a wrong root and a debug TD fail with reasons.
import { describe, expect, it } from 'vitest';
import { describeVectors, readVectorText } from '../../_vectors.js';
import { parseTdxQuote, verifyTdxQuote } from '../../../src/tee/tdx/index.js';
import { SAMPLE_NOW, TDX_SAMPLES, sampleBytes } from './_samples.js';

describeVectors('TDX quotes verify against the pinned Intel SGX Root CA', () => {
  it('finds every sample', () => {
    expect(TDX_SAMPLES.length).toBe(9);
  });
  for (const s of TDX_SAMPLES) {
    it(`${s.file} verifies (v${s.version}, body type ${s.bodyType})`, async () => {
      const r = await verifyTdxQuote(sampleBytes(s), { now: SAMPLE_NOW, policy: { allowDebug: s.debug } });
      expect(r.reasons).toEqual([]);
      expect(r.valid).toBe(true);
      expect(r.quote?.header.version).toBe(s.version);
      expect(r.quote?.body.bodyType).toBe(s.bodyType);
      expect(r.quote?.length).toBe(s.length);
      expect(r.checks.map((c) => c.name)).toEqual(['parse', 'quote-signature', 'qe-report-binding', 'qe-report-signature', 'pck-chain', 'policy-debug']);
    });
  }
});

/** `bytes` with bit 0 of byte `at` flipped. */
function flip(bytes: Uint8Array, at: number): Uint8Array {
  const c = bytes.slice();
  c[at]! ^= 1;
  return c;
}

describeVectors('TDX tampering fails with a reason', () => {
  for (const s of [TDX_SAMPLES[0]!, TDX_SAMPLES[2]!]) {
    const bytes = sampleBytes(s);
    const q = parseTdxQuote(bytes);
    const signed = q.signedBytes.length;

    it(`${s.file}: a flip of any signed byte (every 11th; all in the slow run) and of every REPORTDATA byte fails`, async () => {
      const rdStart = q.body.reportData.byteOffset - bytes.byteOffset;
      const positions = new Set<number>();
      // every 11th byte by default; every byte in the slow run (QK_FUZZ_RUNS set, as `npm run test:slow` does)
      const step = (process.env['QK_FUZZ_RUNS'] ?? '') === '' ? 11 : 1;
      for (let i = 0; i < signed; i += step) positions.add(i);
      for (let i = rdStart; i < rdStart + 64; i++) positions.add(i);
      let failed = 0;
      for (const at of positions) {
        const r = await verifyTdxQuote(flip(bytes, at), { now: SAMPLE_NOW });
        expect(r.valid, `flip at ${at}`).toBe(false);
        expect(r.reasons.length).toBeGreaterThan(0);
        failed++;
      }
      expect(failed).toBe(positions.size);
      console.log(`[tdx] ${s.file}: ${failed} single-byte flips of ${signed} signed bytes, all refused`);
    }, 120_000);

    it(`${s.file}: a flip in the quote signature, attestation key, QE report, its signature or QE auth data fails`, async () => {
      const sd = q.signatureData;
      const off = (v: Uint8Array): number => v.byteOffset - bytes.byteOffset;
      const cases: [string, number, string | string[]][] = [
        ['quote signature', off(sd.signature) + 5, 'quote-signature'],
        ['attestation key', off(sd.attestationKey) + 7, 'quote-signature'],
        ['QE report', off(sd.qeReport.raw) + 100, 'qe-report-signature'],
        ['QE report REPORTDATA', off(sd.qeReport.reportData) + 3, 'qe-report-binding'],
        ['QE report signature', off(sd.qeReportSignature) + 40, 'qe-report-signature'],
        ['QE auth data', off(sd.qeAuthData) + 1, 'qe-report-binding'],
        // inside the PCK leaf's PEM (line 3 of the base64): a different certificate, or no certificate
        ['PCK leaf certificate', new TextDecoder('latin1').decode(bytes).indexOf('-----BEGIN CERTIFICATE-----') + 28 + 65 * 2 + 10, ['pck-chain', 'qe-report-signature']],
      ];
      for (const [what, at, check] of cases) {
        const r = await verifyTdxQuote(flip(bytes, at), { now: SAMPLE_NOW });
        expect(r.valid, what).toBe(false);
        const targets = typeof check === 'string' ? [check] : check;
        expect(r.checks.some((c) => targets.includes(c.name) && !c.ok), what).toBe(true);
      }
    });
  }

  it('a wrong trusted root fails the PCK chain (and only the chain)', async () => {
    const bytes = sampleBytes(TDX_SAMPLES[0]!);
    const platformCa = parseTdxQuote(bytes).signatureData.pckChain[1]!;
    const r = await verifyTdxQuote(bytes, { now: SAMPLE_NOW, trustedRoot: platformCa });
    expect(r.valid).toBe(false);
    expect(r.reasons).toEqual(['pck-chain: chain root "Intel SGX Root CA" is not the trusted root']);
  });

  it('the pinned root is used when trustedRoot is the same certificate in PEM', async () => {
    const r = await verifyTdxQuote(sampleBytes(TDX_SAMPLES[1]!), { now: SAMPLE_NOW, trustedRoot: readVectorText('tee/go-tdx-guest/trusted_root.pem') });
    expect(r.valid).toBe(true);
  });

  it('a "now" outside the PCK leaf validity fails the chain', async () => {
    const r = await verifyTdxQuote(sampleBytes(TDX_SAMPLES[2]!), { now: new Date('2025-01-01T00:00:00Z') });
    expect(r.valid).toBe(false);
    expect(r.reasons[0]).toMatch(/^pck-chain: "Intel SGX PCK Certificate" is not valid at/);
  });

  it('a verified CA-to-root link is kept only for the same CA bytes: a changed PCK CA signature fails after the genuine one verified', async () => {
    const bytes = sampleBytes(TDX_SAMPLES[0]!);
    expect((await verifyTdxQuote(bytes, { now: SAMPLE_NOW })).valid).toBe(true);
    const text = new TextDecoder('latin1').decode(bytes);
    const end = text.indexOf('-----END CERTIFICATE-----', text.indexOf('-----END CERTIFICATE-----') + 1);
    // a base64 character of the PCK CA's last line (its signature), before any padding
    let at = end - 1;
    while (!/[A-Za-z0-9+/]/.test(text[at]!)) at--;
    at -= 4;
    const changed = bytes.slice();
    changed[at] = text[at] === 'A' ? 0x42 : 0x41;
    const r = await verifyTdxQuote(changed, { now: SAMPLE_NOW });
    expect(r.valid).toBe(false);
    expect(r.reasons).toEqual([expect.stringMatching(/^pck-chain: signature of "Intel SGX PCK (Platform|Processor) CA" by "Intel SGX Root CA": signature verification failed$/)]);
    expect((await verifyTdxQuote(bytes, { now: SAMPLE_NOW })).valid).toBe(true);
  });

  it('truncated or junk input is a failed parse check, not a throw', async () => {
    const bytes = sampleBytes(TDX_SAMPLES[0]!);
    for (const b of [bytes.subarray(0, 700), bytes.subarray(0, 47), new Uint8Array(0)]) {
      const r = await verifyTdxQuote(b, { now: SAMPLE_NOW });
      expect(r.valid).toBe(false);
      expect(r.quote).toBeNull();
      expect(r.reasons[0]).toMatch(/^parse: TDX quote truncated/);
    }
  });
});

describeVectors('TDX policy', () => {
  it('a debug TD is refused by default and accepted only with allowDebug', async () => {
    const debugTd = sampleBytes(TDX_SAMPLES[3]!);
    const r = await verifyTdxQuote(debugTd, { now: SAMPLE_NOW });
    expect(r.valid).toBe(false);
    expect(r.reasons).toEqual(['policy-debug: TD has the DEBUG attribute']);
    expect((await verifyTdxQuote(debugTd, { now: SAMPLE_NOW, policy: { allowDebug: true } })).valid).toBe(true);
  });

  it('MRTD, RTMRs and REPORTDATA are compared with the policy', async () => {
    const bytes = sampleBytes(TDX_SAMPLES[1]!);
    const { body } = parseTdxQuote(bytes);
    const good = await verifyTdxQuote(bytes, { now: SAMPLE_NOW, policy: { mrTd: [new Uint8Array(48), body.mrTd], rtmrs: [body.rtmrs[0], undefined, body.rtmrs[2]], reportData: body.reportData } });
    expect(good.reasons).toEqual([]);
    expect(good.checks.map((c) => c.name)).toContain('policy-rtmr2');
    const other = new Uint8Array(48).fill(1);
    const bad = await verifyTdxQuote(bytes, { now: SAMPLE_NOW, policy: { mrTd: [other], rtmrs: [undefined, other], reportData: new Uint8Array(64).fill(7) } });
    expect(bad.reasons).toEqual([
      expect.stringMatching(/^policy-mrtd: MRTD [0-9a-f]{96} is not allowed$/),
      'policy-rtmr1: RTMR1 differs from the policy',
      'policy-reportdata: REPORTDATA differs from the policy',
    ]);
  });

  it('wrong argument types and unknown options are TypeErrors', async () => {
    const bytes = sampleBytes(TDX_SAMPLES[1]!);
    await expect(verifyTdxQuote(bytes, {} as never)).rejects.toThrow(TypeError);
    await expect(verifyTdxQuote(bytes, { now: SAMPLE_NOW, nonce: 1 } as never)).rejects.toThrow(/unknown key "nonce"/);
    await expect(verifyTdxQuote(bytes, { now: SAMPLE_NOW, policy: { reportData: new Uint8Array(63) } })).rejects.toThrow(TypeError);
    await expect(verifyTdxQuote('x' as never, { now: SAMPLE_NOW })).rejects.toThrow(TypeError);
  });
});
