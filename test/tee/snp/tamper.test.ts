// What must not verify: a flipped byte anywhere in the signed region 0x000–0x29F (AMD SEV-SNP ABI
// spec Table 22), a flipped signature byte, another chip's VCEK, a wrong product's chain or roots,
// an expired VLEK, and truncated input (a typed error, not a result).
import { describe, expect, it } from 'vitest';
import { TeeMalformedCertificateError, TeeMalformedEvidenceError } from '../../../src/tee/errors.js';
import { SNP_SIGNED_BYTES } from '../../../src/tee/snp/report.js';
import { ARK_GENOA_PEM, ARK_MILAN_PEM } from '../../../src/tee/snp/roots.js';
import { verifySnpReport, type SnpVerificationResult } from '../../../src/tee/snp/verify.js';
import { describeVectors, readVectorBytes } from '../../_vectors.js';
import { SNP_SAMPLES, type SnpSample } from './_samples.js';

function optionsOf(s: SnpSample) {
  return { [s.kind]: readVectorBytes(s.leaf), chain: readVectorBytes(s.chain), now: s.now, policy: { allowDebug: s.debug === true } };
}

function failed(r: SnpVerificationResult, check: string): boolean {
  return !r.valid && r.checks.some((c) => c.name === check && !c.ok);
}

describeVectors('SEV-SNP tampering and wrong evidence fail', () => {
  const gcp = SNP_SAMPLES.find((s) => s.report.endsWith('sev-gcp.bin'))!;
  const vlek = SNP_SAMPLES.find((s) => s.kind === 'vlek')!;

  it('fails a flip of every 7th signed byte and of every report_data byte, in every sample', async () => {
    let flips = 0;
    for (const s of SNP_SAMPLES) {
      const bytes = readVectorBytes(s.report);
      const opts = optionsOf(s);
      const offsets = new Set<number>();
      // a different phase per sample, so together the samples cover more than one residue class
      for (let o = SNP_SAMPLES.indexOf(s) % 7; o < SNP_SIGNED_BYTES; o += 7) offsets.add(o);
      for (let o = 0x50; o < 0x90; o++) offsets.add(o);
      for (const o of offsets) {
        const b = bytes.slice();
        b[o]! ^= 0x01;
        flips++;
        let r: SnpVerificationResult;
        try {
          r = await verifySnpReport(b, opts);
        } catch (err) {
          // the version word: a flip there makes an unsupported version, refused as malformed
          expect(err).toBeInstanceOf(TeeMalformedEvidenceError);
          expect(o).toBeLessThan(4);
          continue;
        }
        expect(failed(r, 'report signature'), `flip at 0x${o.toString(16)} of ${s.report}`).toBe(true);
        // SIGNATURE_ALGO (0x34) flipped names the algorithm; every other flip says only that it failed
        if (o < 0x34 || o >= 0x38) expect(r.reasons).toContain('report signature: signature verification failed');
      }
    }
    expect(flips).toBeGreaterThan(1300);
  }, 120_000);

  it('fails a flip of every one of the 672 signed bytes of the v5 GCP report', async () => {
    const bytes = readVectorBytes(gcp.report);
    const opts = optionsOf(gcp);
    let failedFlips = 0;
    for (let o = 0; o < SNP_SIGNED_BYTES; o++) {
      const b = bytes.slice();
      b[o]! ^= 0x40;
      try {
        const r = await verifySnpReport(b, opts);
        if (failed(r, 'report signature')) failedFlips++;
      } catch (err) {
        if (err instanceof TeeMalformedEvidenceError && o < 4) failedFlips++;
      }
    }
    expect(failedFlips).toBe(SNP_SIGNED_BYTES);
  }, 120_000);

  it('fails a flip in r, in s and in the zero high bytes of r', async () => {
    const bytes = readVectorBytes(gcp.report);
    for (const o of [0x2a0, 0x2a0 + 47, 0x2a0 + 60, 0x2e8, 0x2e8 + 20, 0x2e8 + 71]) {
      const b = bytes.slice();
      b[o]! ^= 0x80;
      const r = await verifySnpReport(b, optionsOf(gcp));
      expect(failed(r, 'report signature'), `flip at 0x${o.toString(16)}`).toBe(true);
    }
  });

  it('fails another chip\'s VCEK (the Azure Milan one) on the signature, TCB and hwID', async () => {
    const r = await verifySnpReport(readVectorBytes(gcp.report), { ...optionsOf(gcp), vcek: readVectorBytes('tee/trustee/az-snp-vtpm_vcek.pem') });
    expect(failed(r, 'leaf TCB equals reported_tcb')).toBe(true);
    expect(failed(r, 'report signature')).toBe(true);
    expect(failed(r, 'hwID equals chip_id')).toBe(true);
  });

  it('fails a Milan report given the Genoa chain, saying the leaf\'s issuer is missing', async () => {
    const r = await verifySnpReport(readVectorBytes(gcp.report), { ...optionsOf(gcp), chain: readVectorBytes('tee/go-sev-guest/ask_ark_genoa.pem') });
    expect(failed(r, 'leaf signed by ASK/ASVK')).toBe(true);
    expect(r.reasons.join('\n')).toMatch(/no certificate named "SEV-Milan"/);
  });

  it('fails a Milan chain when only the Genoa root is trusted (wrong CPU family\'s roots)', async () => {
    const r = await verifySnpReport(readVectorBytes(gcp.report), { ...optionsOf(gcp), trustedRoots: [{ product: 'Genoa', pem: ARK_GENOA_PEM }] });
    expect(failed(r, 'ASK/ASVK signed by a trusted ARK')).toBe(true);
    expect(r.reasons.join('\n')).toMatch(/SEV-Milan .* is not signed by any trusted root \(ARK-Genoa\)/);
  });

  it('fails a chain that holds only an ARK, without falling back to the bundled ASKs', async () => {
    const r = await verifySnpReport(readVectorBytes(gcp.report), { ...optionsOf(gcp), chain: ARK_MILAN_PEM });
    expect(failed(r, 'leaf signed by ASK/ASVK')).toBe(true);
  });

  it('checks the leaf\'s signature every call and keeps a verified ASK ← ARK link only for the same bytes', async () => {
    // a base64 character of the first PEM block's last line (its signature), before any padding
    const changeSignature = (pem: Uint8Array): Uint8Array => {
      const text = new TextDecoder('latin1').decode(pem);
      let at = text.indexOf('-----END CERTIFICATE-----') - 1;
      while (!/[A-Za-z0-9+/]/.test(text[at]!)) at--;
      at -= 4;
      const out = pem.slice();
      out[at] = text[at] === 'A' ? 0x42 : 0x41;
      return out;
    };
    const report = readVectorBytes(gcp.report);
    const opts = optionsOf(gcp);
    expect((await verifySnpReport(report, opts)).valid).toBe(true);
    const badLeaf = await verifySnpReport(report, { ...opts, vcek: changeSignature(readVectorBytes(gcp.leaf)) });
    expect(failed(badLeaf, 'leaf signed by ASK/ASVK')).toBe(true);
    const badAsk = await verifySnpReport(report, { ...opts, chain: changeSignature(readVectorBytes(gcp.chain)) });
    expect(badAsk.checks.find((c) => c.name === 'leaf signed by ASK/ASVK')?.ok).toBe(true);
    expect(failed(badAsk, 'ASK/ASVK signed by a trusted ARK')).toBe(true);
    expect((await verifySnpReport(report, opts)).valid).toBe(true);
  });

  it('verifies every sample with no chain given, through the bundled ASKs and ASVKs', async () => {
    for (const s of SNP_SAMPLES) {
      const { chain: _drop, ...rest } = optionsOf(s);
      const r = await verifySnpReport(readVectorBytes(s.report), rest);
      expect(r.reasons, s.report).toEqual([]);
    }
  });

  it('fails the expired VLEK after 2025-12-10 and passes it before', async () => {
    const bytes = readVectorBytes(vlek.report);
    const before = await verifySnpReport(bytes, { ...optionsOf(vlek), now: new Date('2025-12-09T00:00:00Z') });
    expect(before.valid).toBe(true);
    const after = await verifySnpReport(bytes, { ...optionsOf(vlek), now: new Date('2025-12-11T00:00:00Z') });
    expect(failed(after, 'certificates valid at now')).toBe(true);
    expect(after.reasons.join('\n')).toMatch(/SEV-VLEK valid 2024-12-10.* – 2025-12-10.*, not at 2025-12-11/);
  });

  it('fails a VLEK-signed report given as VCEK, and refuses VLEKs when only VCEKs are allowed', async () => {
    const bytes = readVectorBytes(vlek.report);
    const asVcek = await verifySnpReport(bytes, { vcek: readVectorBytes(vlek.leaf), chain: readVectorBytes(vlek.chain), now: vlek.now });
    expect(failed(asVcek, 'signing key')).toBe(true);
    const onlyVcek = await verifySnpReport(bytes, { ...optionsOf(vlek), policy: { allowedSigners: ['vcek'] } });
    expect(failed(onlyVcek, 'policy: signer')).toBe(true);
  });

  it('refuses truncated and extended reports with ERR_TEE_MALFORMED_EVIDENCE', async () => {
    const bytes = readVectorBytes(gcp.report);
    for (const n of [0, 100, SNP_SIGNED_BYTES, bytes.length - 1]) {
      await expect(verifySnpReport(bytes.slice(0, n), optionsOf(gcp))).rejects.toMatchObject({ code: 'ERR_TEE_MALFORMED_EVIDENCE', status: 400 });
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    await expect(verifySnpReport(longer, optionsOf(gcp))).rejects.toBeInstanceOf(TeeMalformedEvidenceError);
  });

  it('refuses an undecodable leaf or chain with ERR_TEE_MALFORMED_CERTIFICATE', async () => {
    const bytes = readVectorBytes(gcp.report);
    await expect(verifySnpReport(bytes, { ...optionsOf(gcp), vcek: new Uint8Array([0x30, 0x03, 1, 2, 3]) })).rejects.toBeInstanceOf(TeeMalformedCertificateError);
    await expect(verifySnpReport(bytes, { ...optionsOf(gcp), chain: 'no pem here' })).rejects.toMatchObject({ code: 'ERR_TEE_MALFORMED_CERTIFICATE' });
  });
});

describe('verifySnpReport arguments', () => {
  const report = new Uint8Array(0x4a0);
  it('refuses missing or doubled leaves, a missing now and unknown options with TypeError', async () => {
    await expect(verifySnpReport(report, { now: new Date() })).rejects.toBeInstanceOf(TypeError);
    await expect(verifySnpReport(report, { vcek: 'x', vlek: 'y', now: new Date() })).rejects.toBeInstanceOf(TypeError);
    await expect(verifySnpReport(report, { vcek: 'x' } as never)).rejects.toBeInstanceOf(TypeError);
    await expect(verifySnpReport(report, { vcek: 'x', now: new Date(), extra: 1 } as never)).rejects.toThrow(/unknown key "extra"/);
    await expect(verifySnpReport(report, { vcek: 'x', now: new Date(), policy: { reportData: new Uint8Array(3) } })).rejects.toBeInstanceOf(RangeError);
    await expect(verifySnpReport(report, { vcek: 'x', now: new Date(), trustedRoots: [null] } as never)).rejects.toThrow(/trustedRoots\[0\]/);
    await expect(verifySnpReport(report, { vcek: 'x', now: new Date('nope') })).rejects.toBeInstanceOf(TypeError);
  });
});
