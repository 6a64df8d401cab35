// The fake SEV-SNP device beyond SNP_GET_REPORT: SNP_GET_EXT_REPORT's certificate table holds the
// VCEK (or VLEK), ASK (or ASVK) and ARK under AMD's GUIDs; SNP_GET_DERIVED_KEY is deterministic in
// (secret, request, selected guest fields) and refuses what the firmware refuses; the report writer
// round-trips through the parser; bad arguments are typed errors and change nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { decodeSnpTcb, parseCertTable, parseSnpReport, SNP_REPORT_BYTES, verifySnpReport } from '../../../src/tee/index.js';
import {
  createTestSnpPki, decodeSnpKeyRequest, encodeSnpTcb, FakeSnpSigner, signSnpReport, SNP_DERIVED_KEY_BYTES, SNP_KEY_REQ_BYTES, SNP_TEST_CPUID, writeSnpReport,
  type SnpDerivedKeyRequest, type TestSnpPki,
} from '../../../src/tee/testing/index.js';

const now = new Date('2026-06-01T00:00:00Z');
const rd = new Uint8Array(64).fill(0x42);
let milan: TestSnpPki;
let turin: TestSnpPki;
beforeAll(async () => {
  [milan, turin] = await Promise.all([createTestSnpPki({ product: 'Milan', rsaBits: 2048, vlek: true }), createTestSnpPki({ product: 'Turin', rsaBits: 2048 })]);
});

const req = (over: Partial<SnpDerivedKeyRequest> = {}): SnpDerivedKeyRequest => ({ rootKeySelect: 0, guestFieldSelect: 0b1000n, vmpl: 0, guestSvn: 1, tcbVersion: 0n, ...over });

describe('FakeSnpSigner.snpExtReport', () => {
  it('returns the report and a certificate table of VCEK, ASK, ARK (DER) that verifies', async () => {
    const { report, certs } = await new FakeSnpSigner(milan).snpExtReport(rd, 1);
    const entries = parseCertTable(certs);
    expect(entries.map((e) => e.name)).toEqual(['vcek', 'ask', 'ark']);
    expect(entries[0]!.bytes).toEqual(milan.vcekDer);
    expect(entries[1]!.bytes).toEqual(milan.askDer);
    expect(entries[2]!.bytes).toEqual(milan.arkDer);
    expect(parseSnpReport(report).vmpl).toBe(1);
    const r = await verifySnpReport(report, { vcek: entries[0]!.bytes, chain: milan.chainPem, now, trustedRoots: [milan.root] });
    expect(r.valid).toBe(true);
  });

  it('with the VLEK: VLEK, the ASVK under the ASK GUID, ARK', async () => {
    const { certs } = await new FakeSnpSigner(milan, { signingKey: 'vlek' }).snpExtReport(rd, 0);
    const entries = parseCertTable(certs);
    expect(entries.map((e) => e.name)).toEqual(['vlek', 'ask', 'ark']);
    expect(entries[1]!.bytes).toEqual(milan.vlek!.asvkDer);
  });

  it('each report has a fresh REPORT_ID; the signed bytes otherwise depend only on the inputs', async () => {
    const s = new FakeSnpSigner(milan);
    const a = parseSnpReport(await s.snpReport(rd, 0));
    const b = parseSnpReport(await s.snpReport(rd, 0));
    expect(a.report_id).not.toEqual(b.report_id);
    expect(a.measurement).toEqual(b.measurement);
    expect(a.measurement).toEqual(s.measurement);
    expect(a.report_id_ma.every((x) => x === 0xff)).toBe(true);
  });

  it('refuses a wrong REPORT_DATA size or VMPL, and a VLEK signer without a VLEK', async () => {
    const s = new FakeSnpSigner(milan);
    await expect(s.snpReport(new Uint8Array(63), 0)).rejects.toThrow(/reportData/);
    await expect(s.snpReport(rd, 4)).rejects.toThrow(RangeError);
    expect(() => new FakeSnpSigner(turin, { signingKey: 'vlek' })).toThrow(RangeError);
    expect(() => new FakeSnpSigner(milan, { guest: { measurement: new Uint8Array(47) } })).toThrow(/measurement/);
    expect(() => new FakeSnpSigner(milan, { guest: { policy: -1n } })).toThrow(TypeError);
    expect(() => new FakeSnpSigner({} as TestSnpPki)).toThrow(TypeError);
  });
});

describe('FakeSnpSigner.snpDerivedKey (a FAKE key)', () => {
  const secret = new Uint8Array(32).fill(9);

  it('is 32 bytes, deterministic per secret and request, and changes with every selected input', async () => {
    const a = new FakeSnpSigner(milan, { secret });
    const b = new FakeSnpSigner(milan, { secret });
    const k = await a.snpDerivedKey(req());
    expect(k).toHaveLength(SNP_DERIVED_KEY_BYTES);
    expect(await b.snpDerivedKey(req())).toEqual(k);
    expect(await new FakeSnpSigner(milan, { secret: new Uint8Array(32) }).snpDerivedKey(req())).not.toEqual(k);
    const variants = [req({ rootKeySelect: 1 }), req({ vmpl: 1 }), req({ guestFieldSelect: 0b1001n }), req({ keySelect: 1 }), req({ guestSvn: 0, guestFieldSelect: 0b11000n })];
    const keys = await Promise.all(variants.map((v) => a.snpDerivedKey(v)));
    for (const key of keys) expect(key).not.toEqual(k);
    // a selected measurement changes the key; an unselected one does not
    const other = new FakeSnpSigner(milan, { secret, guest: { measurement: new Uint8Array(48).fill(1) } });
    expect(await other.snpDerivedKey(req())).not.toEqual(k);
    expect(await other.snpDerivedKey(req({ guestFieldSelect: 0n }))).toEqual(await a.snpDerivedKey(req({ guestFieldSelect: 0n })));
  });

  it('refuses what the firmware refuses (InvalidArgumentError) and wrong types', async () => {
    const s = new FakeSnpSigner(milan, { secret });
    const tcbUp = encodeSnpTcb({ ...milan.tcb, snp: milan.tcb.snp + 1 }, false);
    await expect(s.snpDerivedKey(req({ guestFieldSelect: 1n << 7n }))).rejects.toThrow(InvalidArgumentError);
    await expect(s.snpDerivedKey(req({ vmpl: 4 }))).rejects.toThrow(InvalidArgumentError);
    await expect(s.snpDerivedKey(req({ guestSvn: 2 }))).rejects.toThrow("GUEST_SVN above the guest's");
    await expect(s.snpDerivedKey(req({ tcbVersion: tcbUp }))).rejects.toThrow('TCB_VERSION above the current TCB');
    await expect(s.snpDerivedKey(req({ tcbVersion: 1n << 16n }))).rejects.toThrow(InvalidArgumentError); // a reserved TCB byte
    await expect(new FakeSnpSigner(turin).snpDerivedKey(req({ keySelect: 2 }))).rejects.toThrow(/VLEK/);
    await expect(s.snpDerivedKey(req({ tcbVersion: encodeSnpTcb(milan.tcb, false) }))).resolves.toHaveLength(32);
    await expect(s.snpDerivedKey(req({ rootKeySelect: 2 as 0 }))).rejects.toThrow(RangeError);
    await expect(s.snpDerivedKey(req({ guestFieldSelect: 1 as unknown as bigint }))).rejects.toThrow(TypeError);
    await expect(s.snpDerivedKey({ ...req(), extra: 1 } as never)).rejects.toThrow(TypeError);
    // the refusals changed nothing: the signer derives what a fresh one with the same secret derives
    expect(await s.snpDerivedKey(req())).toEqual(await new FakeSnpSigner(milan, { secret }).snpDerivedKey(req()));
  });

  it('decodeSnpKeyRequest reads struct snp_derived_key_req and refuses reserved bits', async () => {
    const b = new Uint8Array(SNP_KEY_REQ_BYTES);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, 0b011, true);
    dv.setBigUint64(8, 0x28n, true);
    dv.setUint32(16, 2, true);
    dv.setUint32(20, 1, true);
    dv.setBigUint64(24, 0x1234n, true);
    expect(decodeSnpKeyRequest(b)).toEqual({ rootKeySelect: 1, keySelect: 1, guestFieldSelect: 0x28n, vmpl: 2, guestSvn: 1, tcbVersion: 0x1234n });
    dv.setUint32(0, 0b111, true);
    expect(() => decodeSnpKeyRequest(b)).toThrow(InvalidArgumentError);
    dv.setUint32(0, 1 << 5, true);
    expect(() => decodeSnpKeyRequest(b)).toThrow(InvalidArgumentError);
    expect(() => decodeSnpKeyRequest(new Uint8Array(31))).toThrow(/bytes/);
  });
});

describe('writeSnpReport / signSnpReport / encodeSnpTcb', () => {
  it('encodeSnpTcb is the inverse of decodeSnpTcb in both layouts', () => {
    expect(encodeSnpTcb({ bootloader: 2, tee: 3, snp: 21, microcode: 211 }, false)).toBe(0xd315000000000302n);
    const t = { fmc: 1, bootloader: 2, tee: 3, snp: 4, microcode: 5 };
    expect(decodeSnpTcb(encodeSnpTcb(t, true), true)).toMatchObject(t);
  });

  it('writes v2 (no CPUID), v3 and v5 layouts the parser reads back', async () => {
    const base = {
      guestSvn: 7, policy: 0x30000n, familyId: new Uint8Array(16).fill(1), imageId: new Uint8Array(16).fill(2), vmpl: 3, currentTcb: milan.tcb, platformInfo: 3n,
      signingKey: 0 as const, reportData: rd, measurement: new Uint8Array(48).fill(3), hostData: new Uint8Array(32).fill(4), idKeyDigest: new Uint8Array(48), authorKeyDigest: new Uint8Array(48),
      reportId: new Uint8Array(32), reportIdMa: new Uint8Array(32), reportedTcb: milan.tcb, cpuid: SNP_TEST_CPUID.Milan, chipId: milan.chipId, committedTcb: milan.tcb,
      currentVersion: { major: 1, minor: 2, build: 3 }, launchTcb: milan.tcb,
    };
    const v2 = parseSnpReport(writeSnpReport({ ...base, version: 2 }));
    expect(v2.cpuid).toBeUndefined();
    expect(v2.host_data).toEqual(base.hostData);
    expect(v2.current_version).toEqual({ major: 1, minor: 2, build: 3 });
    const v5 = parseSnpReport(writeSnpReport({ ...base, version: 5, cpuid: SNP_TEST_CPUID.Turin, launchMitVector: 5n, currentMitVector: 6n }));
    expect(v5).toMatchObject({ version: 5, launch_mit_vector: 5n, current_mit_vector: 6n, guest_svn: 7, vmpl: 3 });
    expect(v5.platform_info.raw).toBe(3n);
    const signed = await signSnpReport(writeSnpReport({ ...base, version: 3 }), milan.vcekPrivateKey);
    expect((await verifySnpReport(signed, { vcek: milan.vcekPem, chain: milan.chainPem, now, trustedRoots: [milan.root] })).valid).toBe(true);
  });

  it('refuses wrong field sizes', async () => {
    expect(() => writeSnpReport({ chipId: new Uint8Array(8) } as never)).toThrow(RangeError);
    await expect(signSnpReport(new Uint8Array(SNP_REPORT_BYTES - 1), milan.vcekPrivateKey)).rejects.toThrow(RangeError);
  });
});
