// AMD VCEK/VLEK extensions (AMD pub. 57230) read from genuine certificates, the Turin
// VCEK's 8-byte hwID and FMC SPL, its chain to the pinned Turin ARK, and Azure HCL input.
import { expect, it } from 'vitest';
import { decodeSnpCertificates, readSnpLeafExtensions } from '../../../src/tee/snp/certs.js';
import { decodeTrustAnchors, verifySnpChain } from '../../../src/tee/snp/chain.js';
import { AMD_SNP_INTERMEDIATES } from '../../../src/tee/snp/intermediates.js';
import { AMD_SNP_ROOTS } from '../../../src/tee/snp/roots.js';
import { verifySnpReport } from '../../../src/tee/snp/verify.js';
import { describeVectors, readVectorBytes, readVectorText } from '../../_vectors.js';

describeVectors('SEV-SNP certificates', () => {
  it('reads the Milan VCEK extensions: productName, TCB SPLs, 64-byte hwID', () => {
    const [vcek] = decodeSnpCertificates(readVectorBytes('tee/virtee-sev/vcek_milan.der'));
    const ext = readSnpLeafExtensions(vcek!);
    expect(ext.productName).toBe('Milan-B0');
    expect(ext).toMatchObject({ bootloader: 3, tee: 0, snp: 8, microcode: 115 });
    expect(ext.hwID?.length).toBe(64);
    expect(ext.fmc).toBeUndefined();
  });

  it('reads the Turin VCEK: 8-byte hwID and an FMC SPL, and chains it to the pinned ARK-Turin', async () => {
    const [vcek] = decodeSnpCertificates(readVectorBytes('tee/virtee-sev/vcek_turin.der'));
    const ext = readSnpLeafExtensions(vcek!);
    expect(ext.productName?.startsWith('Turin')).toBe(true);
    expect(ext.hwID?.length).toBe(8);
    expect(typeof ext.fmc).toBe('number');
    const chain = await verifySnpChain(vcek!, decodeSnpCertificates(readVectorText('tee/go-sev-guest/ask_ark_turin_vcek.pem')), decodeTrustAnchors(AMD_SNP_ROOTS), new Date('2026-06-01T00:00:00Z'));
    expect(chain.checks.every((c) => c.ok)).toBe(true);
    expect(chain.root?.product).toBe('Turin');
  });

  it('refuses a DER certificate followed by other bytes', () => {
    const der = readVectorBytes('tee/virtee-sev/vcek_milan.der');
    const longer = new Uint8Array(der.length + 1);
    longer.set(der);
    expect(() => decodeSnpCertificates(longer)).toThrow(expect.objectContaining({ code: 'ERR_TEE_MALFORMED_CERTIFICATE' }));
  });

  it('has no hwID in the VLEK', () => {
    const [vlek] = decodeSnpCertificates(readVectorBytes('tee/trustee/snp_test-vlek.der'));
    expect(readSnpLeafExtensions(vlek!).hwID).toBeUndefined();
    expect(vlek!.commonName).toBe('SEV-VLEK');
  });

  it('pins ARKs byte-identical to the ARKs of the AMD bundles', () => {
    const anchors = decodeTrustAnchors(AMD_SNP_ROOTS);
    for (const [product, file] of [['Milan', 'ask_ark_milan.pem'], ['Genoa', 'ask_ark_genoa.pem'], ['Turin', 'ask_ark_turin_vcek.pem']] as const) {
      const ark = decodeSnpCertificates(readVectorText(`tee/go-sev-guest/${file}`))[1]!;
      expect(anchors.find((a) => a.product === product)!.cert.der).toEqual(ark.der);
    }
  });

  it('bundles ASKs and ASVKs byte-identical to the AMD bundles, each signed by its pinned ARK', async () => {
    const anchors = decodeTrustAnchors(AMD_SNP_ROOTS);
    const files = ['ask_ark_milan.pem', 'ask_ark_genoa.pem', 'ask_ark_turin_vcek.pem', 'ask_ark_milan_vlek.pem', 'ask_ark_genoa_vlek.pem', 'ask_ark_turin_vlek.pem'];
    expect(AMD_SNP_INTERMEDIATES.length).toBe(files.length);
    for (const [i, file] of files.entries()) {
      const [ask, ark] = decodeSnpCertificates(readVectorText(`tee/go-sev-guest/${file}`));
      const bundled = decodeSnpCertificates(AMD_SNP_INTERMEDIATES[i]!)[0]!;
      expect(bundled.der, file).toEqual(ask!.der);
      const anchor = anchors.find((a) => a.cert.commonName === ark!.commonName)!;
      expect(await bundled.cert.verify(anchor.cert.cert), file).toBe(true);
    }
  });

  it('verifies an Azure HCL report directly, with the VCEK bundle as leaf and chain', async () => {
    const r = await verifySnpReport(readVectorBytes('tee/trustee/az-snp-vtpm_hcl-report.bin'), { vcek: readVectorText('tee/trustee/az-snp-vtpm_vcek.pem'), now: new Date('2026-06-01T00:00:00Z') });
    expect(r.reasons).toEqual([]);
    expect(r.product).toBe('Milan');
  });
});
