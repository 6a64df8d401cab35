// The relying party's policy on genuine reports: measurement allow-list, minimum TCB (reported_tcb,
// AMD SEV-SNP ABI spec, TCB_VERSION structure), expected report_data, and the shape checks of the policy itself.
import { expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { parseSnpReport } from '../../../src/tee/snp/report.js';
import { verifySnpReport } from '../../../src/tee/snp/verify.js';
import { describeVectors, readVectorBytes } from '../../_vectors.js';
import { SNP_SAMPLES } from './_samples.js';

describeVectors('SEV-SNP policy', () => {
  const s = SNP_SAMPLES.find((x) => x.report.endsWith('sev-gcp-reportdata.bin'))!;
  const bytes = (): Uint8Array => readVectorBytes(s.report);
  const base = () => ({ vcek: readVectorBytes(s.leaf), chain: readVectorBytes(s.chain), now: s.now });
  const report = parseSnpReport(readVectorBytes(s.report));

  it('accepts a measurement on the allow-list (bytes or hex) and refuses one that is not', async () => {
    const other = new Uint8Array(48).fill(7);
    expect((await verifySnpReport(bytes(), { ...base(), policy: { measurements: [other, toHex(report.measurement)] } })).valid).toBe(true);
    const r = await verifySnpReport(bytes(), { ...base(), policy: { measurements: [other] } });
    expect(r.valid).toBe(false);
    expect(r.reasons).toEqual(['policy: measurement: measurement is not among the 1 allowed']);
  });

  it('accepts the reported TCB as a minimum and refuses one a step above it', async () => {
    const t = report.reported_tcb;
    const at = { bootloader: t.bootloader, tee: t.tee, snp: t.snp, microcode: t.microcode };
    expect((await verifySnpReport(bytes(), { ...base(), policy: { minimumTcb: at } })).valid).toBe(true);
    const r = await verifySnpReport(bytes(), { ...base(), policy: { minimumTcb: { ...at, snp: t.snp + 1 } } });
    expect(r.reasons).toEqual([`policy: minimum TCB: reported TCB bl 4 tee 0 snp 27 uc 222 is below the minimum in snp`]);
    // an FMC minimum on a pre-Turin report cannot be met
    expect((await verifySnpReport(bytes(), { ...base(), policy: { minimumTcb: { fmc: 0 } } })).valid).toBe(false);
  });

  it('accepts the report_data the report carries and refuses any other', async () => {
    expect((await verifySnpReport(bytes(), { ...base(), policy: { reportData: report.report_data } })).valid).toBe(true);
    const wrong = report.report_data.slice();
    wrong[63]! ^= 1;
    const r = await verifySnpReport(bytes(), { ...base(), policy: { reportData: wrong } });
    expect(r.reasons).toEqual(['policy: report_data: report_data differs from the expected value']);
  });

  it('refuses malformed policies before looking at the evidence', async () => {
    await expect(verifySnpReport(bytes(), { ...base(), policy: { measurements: ['zz'] } })).rejects.toMatchObject({ code: 'ERR_ENCODING' });
    await expect(verifySnpReport(bytes(), { ...base(), policy: { measurements: [new Uint8Array(32)] } })).rejects.toBeInstanceOf(RangeError);
    await expect(verifySnpReport(bytes(), { ...base(), policy: { minimumTcb: { snp: 256 } } })).rejects.toBeInstanceOf(RangeError);
    await expect(verifySnpReport(bytes(), { ...base(), policy: { minimumTcb: { spl: 1 } } as never })).rejects.toBeInstanceOf(TypeError);
    await expect(verifySnpReport(bytes(), { ...base(), policy: { allowedSigners: ['ask'] } as never })).rejects.toBeInstanceOf(TypeError);
  });
});
