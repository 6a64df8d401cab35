// TDREPORT_STRUCT parsing (Intel TDX Module ABI, TDREPORT_STRUCT): every field at its offset, read
// back from a report written field by field by the fake TD; strict size and report type, typed
// errors (the fuzz run is test/fuzz/tdreport.test.ts).
import { describe, expect, it } from 'vitest';
import { parseTdReport, TDX_TDREPORT_BYTES, TDX_TDREPORT_REPORTDATA_OFFSET, TeeMalformedEvidenceError } from '../../../src/tee/index.js';
import { writeTdReport, type TdReportFields } from '../../../src/tee/testing/index.js';

const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);
const fields: TdReportFields = {
  cpuSvn: fill(16, 1), reportData: Uint8Array.from({ length: 64 }, (_, i) => i), teeTcbSvn: fill(16, 2), mrSeam: fill(48, 3), mrSignerSeam: fill(48, 4),
  seamAttributes: fill(8, 5), teeTcbSvn2: fill(16, 6), tdAttributes: fill(8, 7), xfam: fill(8, 8), mrTd: fill(48, 9), mrConfigId: fill(48, 10), mrOwner: fill(48, 11),
  mrOwnerConfig: fill(48, 12), rtmrs: [fill(48, 13), fill(48, 14), fill(48, 15), fill(48, 16)], servTdHash: fill(48, 17),
};
const macKey = (): Promise<CryptoKey> => globalThis.crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
const sha384 = async (b: Uint8Array): Promise<Uint8Array> => new Uint8Array(await globalThis.crypto.subtle.digest('SHA-384', new Uint8Array(b)));

describe('parseTdReport', () => {
  it('reads every field at its ABI offset; REPORTDATA at 0x80; the hashes are SHA-384 of TEE_TCB_INFO and TDINFO', async () => {
    const bytes = await writeTdReport(fields, await macKey());
    expect(bytes).toHaveLength(TDX_TDREPORT_BYTES);
    expect(bytes.subarray(TDX_TDREPORT_REPORTDATA_OFFSET, TDX_TDREPORT_REPORTDATA_OFFSET + 64)).toEqual(fields.reportData);
    const r = parseTdReport(bytes);
    expect(r.reportType).toEqual({ type: 0x81, subtype: 0, version: 1 });
    expect(r.cpuSvn).toEqual(fields.cpuSvn);
    expect(r.reportData).toEqual(fields.reportData);
    const { cpuSvn: _c, reportData: _r, ...measurements } = fields;
    expect(r).toMatchObject(measurements);
    expect(r.teeTcbInfoValid).toEqual(fill(8, 0xff));
    // TEE_TCB_INFO at 0x100 (TEE_TCB_SVN at +8), TDINFO at 0x200 (MRTD at +16, RTMR0 at +208, SERVTD_HASH at +400)
    expect(bytes.subarray(0x108, 0x118)).toEqual(fields.teeTcbSvn);
    expect(bytes.subarray(0x210, 0x240)).toEqual(fields.mrTd);
    expect(bytes.subarray(0x2d0, 0x300)).toEqual(fields.rtmrs[0]);
    expect(bytes.subarray(0x390, 0x3c0)).toEqual(fields.servTdHash);
    expect(r.teeTcbInfo).toHaveLength(239);
    expect(r.tdInfo).toHaveLength(512);
    expect(r.teeTcbInfoHash).toEqual(await sha384(r.teeTcbInfo));
    expect(r.teeInfoHash).toEqual(await sha384(r.tdInfo));
    expect(r.reportMacStruct).toEqual(bytes.subarray(0, 256));
    // the reserved bytes after TEE_TCB_INFO and TDINFO stay zero, and the parser copies
    expect(bytes.subarray(0x1ef, 0x200).every((x) => x === 0) && bytes.subarray(0x3c0).every((x) => x === 0)).toBe(true);
    bytes[0x80]! ^= 1;
    expect(r.reportData[0]).toBe(0);
  });

  it('is strict on size and report type, lax on reserved bytes', async () => {
    const bytes = await writeTdReport(fields, await macKey());
    expect(() => parseTdReport(bytes.subarray(0, 1023))).toThrow(TeeMalformedEvidenceError);
    expect(() => parseTdReport(new Uint8Array(1025))).toThrow('TDREPORT expected 1024 bytes, got 1025');
    const sgx = bytes.slice();
    sgx[0] = 0;
    expect(() => parseTdReport(sgx)).toThrow('TDREPORT type 0x0 is not TDX (0x81)');
    const reserved = bytes.slice();
    reserved[0x3ff] = 0xee;
    expect(parseTdReport(reserved).reportData).toEqual(fields.reportData);
    expect(() => parseTdReport('x' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('writeTdReport refuses wrong field sizes', async () => {
    await expect(writeTdReport({ ...fields, mrTd: fill(47, 0) }, await macKey())).rejects.toThrow(RangeError);
    await expect(writeTdReport({ ...fields, rtmrs: [fill(48, 0)] as never }, await macKey())).rejects.toThrow(RangeError);
  });

});
