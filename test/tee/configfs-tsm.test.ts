// configfs-tsm against a fake kernel tree in a temp dir (test/tee/_fake-tsm.ts): the request's
// 64 bytes reach the provider, outblob and the SNP certificate table come back (the genuine VCEK
// and chain from the vectors, as a table), privlevel is written, a concurrent writer (generation
// moved) is a ConflictError, a missing tree an IoError, bad input InvalidArgumentError — and the
// report directory is removed every time. The certificate table round-trips and refuses garbage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCertTable, parseCertTable, SNP_CERT_GUIDS } from '../../src/tee/cert-table.js';
import { tsmReport } from '../../src/tee/node/configfs-tsm.js';
import { fakeTsm } from './_fake-tsm.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-tsm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The table and configfs mechanics only carry bytes: a certificate-sized and a report-sized pattern stand in
// (the genuine report and VCEK go through this path in test/attestation/evidence-sources.test.ts).
const vcek = Uint8Array.from({ length: 1360 }, (_, i) => (i * 7 + 3) & 0xff);
const genuine = Uint8Array.from({ length: 1184 }, (_, i) => (i * 13 + 1) & 0xff);

describe('SEV-SNP certificate table', () => {
  it('round-trips, names AMD GUIDs, and refuses malformed tables', () => {
    const ask = new Uint8Array([1, 2, 3]);
    const blob = buildCertTable([{ guid: 'vcek', bytes: vcek }, { guid: 'ask', bytes: ask }, { guid: '01234567-89ab-cdef-0123-456789abcdef', bytes: new Uint8Array([9]) }]);
    const t = parseCertTable(blob);
    expect(t.map((e) => [e.name, e.guid, e.bytes.length])).toEqual([['vcek', SNP_CERT_GUIDS.vcek, vcek.length], ['ask', SNP_CERT_GUIDS.ask, 3], ['', '01234567-89ab-cdef-0123-456789abcdef', 1]]);
    expect(t[0]!.bytes).toEqual(vcek);
    // the GUID's wire bytes are its text's (RFC 4122 order)
    expect(Array.from(blob.subarray(0, 4))).toEqual([0x63, 0xda, 0x75, 0x8d]);
    const bad = (b: Uint8Array) => expect(() => parseCertTable(b)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    bad(blob.subarray(0, 30)); // no terminator
    const outside = blob.slice(); new DataView(outside.buffer).setUint32(20, 1 << 30, true); bad(outside);
    const intoTable = blob.slice(); new DataView(intoTable.buffer).setUint32(16, 0, true); bad(intoTable);
    const dirtyEnd = blob.slice(); dirtyEnd[3 * 24 + 20] = 1; bad(dirtyEnd);
    bad(new Uint8Array(0));
    expect(parseCertTable(new Uint8Array(24))).toEqual([]);
  });
});

describe('configfs-tsm', () => {
  const certs = buildCertTable([{ guid: 'vcek', bytes: vcek }]);
  const respond = (inblob: Uint8Array) => {
    const out = genuine.slice();
    out.fill(0, 0x50, 0x90);
    out.set(inblob, 0x50); // as the firmware does: the request's user data in REPORT_DATA
    return { outblob: out, auxblob: certs };
  };

  it('requests a report: the user data reaches REPORT_DATA, outblob and the certificates come back, the directory is removed', () => {
    const root = join(dir, 'ok');
    const fs = fakeTsm(root, 'sev_guest', respond);
    const data = Uint8Array.from({ length: 64 }, (_, i) => i);
    const r = tsmReport(data, { root, fs, privlevel: 2 });
    expect(r.provider).toBe('sev_guest');
    expect(r.outblob.length).toBe(1184);
    expect(r.outblob.subarray(0x50, 0x90)).toEqual(data);
    expect(r.certificates.map((c) => c.name)).toEqual(['vcek']);
    expect(r.certificates[0]!.bytes).toEqual(vcek);
    expect(r.generation).toBe(2); // privlevel, then inblob
    expect(fs.live()).toEqual([]);
  });

  it('a concurrent writer is a ConflictError; a missing tree an IoError; bad input InvalidArgumentError', () => {
    const root = join(dir, 'race');
    const fs = fakeTsm(root, 'tdx_guest', respond);
    fs.onOutblobRead = (d) => fs.bump(d);
    expect(() => tsmReport(new Uint8Array(64), { root, fs })).toThrow(expect.objectContaining({ code: 'ERR_CONFLICT' }));
    expect(fs.live()).toEqual([]);
    expect(() => tsmReport(new Uint8Array(64), { root: join(dir, 'absent') })).toThrow(expect.objectContaining({ code: 'ERR_IO', message: expect.stringContaining('configfs-tsm is not available') }));
    expect(() => tsmReport(new Uint8Array(65), { root, fs })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => tsmReport(new Uint8Array(64), { root, fs, privlevel: 4 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    const tdx = fakeTsm(join(dir, 'tdx'), 'tdx_guest', () => ({ outblob: new Uint8Array([1, 2, 3]) }));
    expect(tsmReport(new Uint8Array(0), { root: join(dir, 'tdx'), fs: tdx })).toMatchObject({ provider: 'tdx_guest', auxblob: null, certificates: [] });
  });
});
