// The guest-device path without hardware: the native addon (native/) is built (native/build.mjs
// --if-stale) and a child Node runs it under LD_PRELOAD=fake-guest-shim.so (compiled here), whose
// intercepted ioctls reach the fake device server in this process (_fake-guest-server.ts). Checked:
// report data and VMPL round-trip; the full bound path (Attester → addon → device signing with the
// TEST PKI → verifyBoundReport valid only with that root given); the SNP_GET_EXT_REPORT certificate-buffer retry (two requests,
// the second with the size the "driver" asked for) and the certificate table into SNP evidence that
// verifies against AMD's roots; derived-key fields reach the device; TDX report0; every errno and
// firmware/VMM code → its typed error; bad arguments → InvalidArgumentError with no request made;
// the event loop keeps running during an ioctl; QUORUMKIT_NATIVE_ADDON=off → "native addon
// unavailable". Without a compiler (or addon) this file skips with one line, except with CI=true.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/bytes.js';
import { parseStrict } from '../../../src/core/parse-strict.js';
import { parseEvidence, parseReport, verifyBoundReport, verifyEvidence } from '../../../src/attestation/index.js';
import { buildCertTable, parseCertTable } from '../../../src/tee/cert-table.js';
import { createTestSnpPki, FakeSnpSigner } from '../../../src/tee/testing/index.js';
import { GUEST_ABI_SIZES, nativeAddonStatus, SEV_GUEST_DEVICE, sevGuestDevicePath, snpGetReport, TDX_GUEST_DEVICE, tdxGuestDevicePath, TeeDeviceAbsentError, TeeDeviceError } from '../../../src/tee/node/index.js';
import { parseSnpReport, verifySnpReport } from '../../../src/tee/snp/index.js';
import { decodePemCertificates } from '../../../src/tee/tdx/pem.js';
import { readVectorBytes } from '../_tee-vectors.js';
import { itVectors } from '../../_vectors.js';
import { fakeSnpReport, fakeTdReport } from './_fake-evidence.js';
import { EIO, FakeGuestFailure, startFakeGuest, type FakeGuestHandler, type FakeGuestServer } from './_fake-guest-server.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const ADDON = join(ROOT, 'native/build/Release/quorumkit_native.node');
const dir = mkdtempSync(join(tmpdir(), 'qk-fake-guest-'));
const SHIM = join(dir, 'fake-guest-shim.so');
const SEV = join(dir, 'sev-guest');
const TDX = join(dir, 'tdx_guest');
writeFileSync(SEV, '');
writeFileSync(TDX, '');

/** Compiles the shim; the reason it is unavailable, or null. */
function buildShim(): string | null {
  try {
    execFileSync('cc', ['-shared', '-fPIC', '-O1', '-Wall', '-Werror', '-o', SHIM, join(HERE, 'fake-guest-shim.c'), '-ldl', '-lpthread'], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `cannot compile the fake-device shim: ${String((e as Error).message).split('\n')[0]}`;
  }
}
/** Builds the addon when missing or stale (unless deliberately switched off); the reason it is unavailable, or null. */
function buildAddon(): string | null {
  if (process.env.QUORUMKIT_NATIVE_ADDON === 'off') return 'QUORUMKIT_NATIVE_ADDON=off (addon deliberately absent)';
  execFileSync(process.execPath, [join(ROOT, 'native/build.mjs'), '--if-stale'], { stdio: 'ignore' });
  return existsSync(ADDON) ? null : 'native addon not built (no C toolchain?)';
}
const noShim = buildShim();
const noAddon = noShim ?? buildAddon();
if (noAddon !== null) {
  const deliberate = process.env.QUORUMKIT_NATIVE_ADDON === 'off';
  if (process.env.CI === 'true' && !deliberate) throw new Error(`guest-device tests cannot run in CI: ${noAddon}`);
  console.log(`guest-device tests skipped: ${noAddon}`);
}

let server: FakeGuestServer;
beforeAll(async () => {
  server = await startFakeGuest(dir, {});
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface ChildResult { ok: boolean; value?: unknown; name?: string; code?: string; message?: string; details?: Record<string, unknown> }
interface Op { fn: string; inner?: string; args?: unknown[] }

const enc = (v: unknown): unknown => {
  if (v instanceof Uint8Array) return { hex: toHex(v) };
  if (typeof v === 'bigint') return { bigint: v.toString() };
  if (Array.isArray(v)) return v.map(enc);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, enc(x)]));
  return v;
};
const hexOf = (v: unknown): Uint8Array => fromHex((v as { hex: string }).hex);

/** Runs `node argv…` with the shim preloaded, the fake devices configured and `handler` answering. */
function underShim(argv: string[], handler: FakeGuestHandler, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  server.handler = handler;
  server.requests.length = 0;
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, argv, {
      env: { ...process.env, LD_PRELOAD: SHIM, QK_FAKE_GUEST_SOCKET: server.socket, QUORUMKIT_SEV_GUEST_DEVICE: SEV, QUORUMKIT_TDX_GUEST_DEVICE: TDX, QUORUMKIT_NATIVE_ADDON: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `ops` in a child Node under the shim (_child.mjs); one result per op. */
async function child(ops: Op[], handler: FakeGuestHandler, env: Record<string, string> = {}): Promise<ChildResult[]> {
  const { code, stdout, stderr } = await underShim([join(HERE, '_child.mjs'), JSON.stringify(enc(ops))], handler, env);
  if (code !== 0) throw new Error(`child exited ${code}: ${stderr}`);
  const lines = stdout.trim().split('\n').map((l) => parseStrict(l) as ChildResult);
  if (lines.length !== ops.length) throw new Error(`child printed ${lines.length} results for ${ops.length} ops: ${stderr}`);
  return lines;
}

/** Runs the CLI (dist/) under the shim. */
function cli(args: string[], handler: FakeGuestHandler, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return underShim([join(ROOT, 'dist/cli/main.js'), ...args], handler, env);
}

const rd = (seed: number): Uint8Array => Uint8Array.from({ length: 64 }, (_, i) => (seed * 31 + i) & 0xff);
const reports: FakeGuestHandler = {
  snpReport: (data, vmpl) => fakeSnpReport(data, vmpl),
  snpExtReport: (data, vmpl) => ({ report: fakeSnpReport(data, vmpl, 2), certs: new Uint8Array(24) }),
  tdxReport0: (data) => fakeTdReport(data),
};

describe.skipIf(noAddon !== null)('guest devices through the native addon and a fake device', () => {
  it('the addon loads in this process and its struct sizes equal the TypeScript constants', async () => {
    const s = nativeAddonStatus();
    expect(s).toMatchObject({ available: true, napiVersion: 8 });
    const { createRequire } = await import('node:module');
    const raw = createRequire(import.meta.url)(ADDON) as { sizes: Record<string, number>; limits: Record<string, number> };
    expect(raw.sizes).toEqual(GUEST_ABI_SIZES);
    expect(raw.limits).toEqual({ certsInitialBytes: 16384, certsMaxBytes: 65536, certsMaxAttempts: 3 });
  });

  it('a missing device is TeeDeviceAbsentError (ENOENT from open); a file that is no guest device is ENOTTY', async () => {
    const absent = await snpGetReport(rd(1), { device: join(dir, 'nonexistent') }).catch((e: unknown) => e);
    expect(absent).toBeInstanceOf(TeeDeviceAbsentError);
    expect(absent).toMatchObject({ code: 'ERR_TEE_DEVICE_ABSENT', details: { errnoName: 'ENOENT', op: 'open' } });
    const plain = await snpGetReport(rd(1), { device: SEV }).catch((e: unknown) => e); // no shim in this process
    expect(plain).toMatchObject({ code: 'ERR_TEE_DEVICE', details: { errnoName: 'ENOTTY', op: 'ioctl' } });
    expect(plain).toBeInstanceOf(TeeDeviceError);
  });

  it('SNP_GET_REPORT: report data and VMPL reach the device and come back in a report parseSnpReport reads', async () => {
    const [a, b] = await child([{ fn: 'snpGetReport', args: [rd(2), { vmpl: 2 }] }, { fn: 'snpGetReport', args: [rd(3)] }], reports);
    expect(a!.ok, a!.message).toBe(true);
    const ra = parseSnpReport(hexOf(a!.value));
    expect(ra.report_data).toEqual(rd(2));
    expect(ra.vmpl).toBe(2);
    expect(parseSnpReport(hexOf(b!.value)).vmpl).toBe(0);
    expect(server.requests).toEqual([
      { op: 'snp-report', msgVersion: 1, reportData: rd(2), vmpl: 2 },
      { op: 'snp-report', msgVersion: 1, reportData: rd(3), vmpl: 0 },
    ]);
  });

  it('SNP_GET_EXT_REPORT: a too-small certificate buffer is retried with the size asked for', async () => {
    const filler = new Uint8Array(18_000).fill(7);
    const certs = buildCertTable([{ guid: 'vcek', bytes: new Uint8Array([0x30, 1, 2]) }, { guid: '01234567-89ab-cdef-0123-456789abcdef', bytes: filler }]);
    const [r] = await child([{ fn: 'snpGetExtReport', args: [rd(4), { vmpl: 1 }] }], { snpExtReport: (d, v) => ({ report: fakeSnpReport(d, v), certs }) });
    expect(r!.ok, r!.message).toBe(true);
    expect(server.requests.map((q) => (q.op === 'snp-ext-report' ? [q.certsLen, q.vmpl] : q.op))).toEqual([[16384, 1], [20480, 1]]);
    const v = r!.value as { report: unknown; certs: unknown; certificates: { name: string; bytes: unknown }[] };
    expect(parseSnpReport(hexOf(v.report)).report_data).toEqual(rd(4));
    expect(hexOf(v.certs).length).toBe(20480);
    expect(hexOf(v.certs).subarray(0, certs.length)).toEqual(certs);
    expect(v.certificates.map((c) => c.name)).toEqual(['vcek', '']);
    expect(parseCertTable(hexOf(v.certs))[1]!.bytes).toEqual(filler);
  });

  itVectors('snpIoctlEvidenceSource: the genuine report and certificate table become evidence that verifies against AMD roots', async () => {
    const genuine = readVectorBytes('tee/go-sev-guest/attestation.bin');
    const vcek = readVectorBytes('tee/go-sev-guest/vcek.testcer');
    const [ask, ark] = decodePemCertificates(new TextDecoder().decode(readVectorBytes('tee/go-sev-guest/ask_ark_milan.pem')), 'chain');
    const certs = buildCertTable([{ guid: 'vcek', bytes: vcek }, { guid: 'ask', bytes: ask! }, { guid: 'ark', bytes: ark! }]);
    const genuineData = parseSnpReport(genuine).report_data;
    const [ev, other] = await child(
      [{ fn: 'snpIoctlEvidenceSource', args: [{}, genuineData] }, { fn: 'snpIoctlEvidenceSource', args: [{}, rd(5)] }],
      { snpExtReport: () => ({ report: genuine, certs }) },
    );
    expect(ev!.ok, ev!.message).toBe(true);
    const e = ev!.value as { kind: string; report: unknown; vcek: unknown; chain: string };
    expect(e.kind).toBe('sev-snp');
    expect(hexOf(e.vcek)).toEqual(vcek);
    const v = await verifySnpReport(hexOf(e.report), { vcek: hexOf(e.vcek), chain: e.chain, now: new Date('2026-06-01T00:00:00Z'), policy: { allowDebug: true, reportData: genuineData } });
    expect(v.reasons).toEqual([]);
    expect(v.valid).toBe(true);
    // the device answered with a report for other data: refused
    expect(other).toMatchObject({ ok: false, code: 'ERR_ATTESTATION_BACKEND', message: expect.stringMatching(/other REPORT_DATA/) });
  });

  it('the full path: Attester → attestBound → the addon → the device (signing with the TEST PKI) → a bound report that verifies', async () => {
    const pki = await createTestSnpPki({ product: 'Genoa', rsaBits: 2048 });
    const signer = new FakeSnpSigner(pki);
    const [r] = await child([{ fn: 'attestBound', args: [{ vmpl: 0 }] }], { snpExtReport: (d, v) => signer.snpExtReport(d, v) });
    expect(r!.ok, r!.message).toBe(true);
    const v = r!.value as { digest: unknown; signed: boolean; report: string; evidence: { kind: string; report: unknown; vcek: unknown; chain: string } };
    const digest = hexOf(v.digest);
    expect(digest).toHaveLength(64);
    expect(v.signed).toBe(true);
    expect(v.evidence.kind).toBe('sev-snp');
    expect(parseSnpReport(hexOf(v.evidence.report)).report_data).toEqual(digest);
    expect(server.requests).toEqual([{ op: 'snp-ext-report', msgVersion: 1, reportData: digest, vmpl: 0, certsLen: 16384 }]);
    const report = parseReport(parseStrict(v.report));
    const evidence = { kind: 'sev-snp' as const, report: hexOf(v.evidence.report), vcek: hexOf(v.evidence.vcek), chain: v.evidence.chain };
    const now = new Date();
    const ok = await verifyBoundReport(report, evidence, { now, snpRoots: [pki.root] });
    expect(ok.reasons).toEqual([]);
    expect(ok).toMatchObject({ valid: true, bound: true });
    // the test PKI is never trusted by default: against AMD's roots the evidence fails
    const untrusted = await verifyBoundReport(report, evidence, { now });
    expect(untrusted.valid).toBe(false);
    expect(untrusted.evidence.valid).toBe(false);
    // the device's answer for another report does not bind this one
    const [r2] = await child([{ fn: 'attestBound', args: [{ vmpl: 0 }] }], { snpExtReport: (d, vm) => signer.snpExtReport(d, vm) });
    const other = r2!.value as { evidence: { report: unknown } };
    expect((await verifyBoundReport(report, { ...evidence, report: hexOf(other.evidence.report) }, { now, snpRoots: [pki.root] })).bound).toBe(false);
  });

  it('SNP_GET_DERIVED_KEY: every MSG_KEY_REQ field reaches the device; the key comes back', async () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => 0xc0 ^ i);
    const req = { rootKeySelect: 1, guestFieldSelect: 0x3fn, vmpl: 1, guestSvn: 7, tcbVersion: 0x1122334455667788n };
    const [r, d] = await child([{ fn: 'snpGetDerivedKey', args: [req] }, { fn: 'snpGetDerivedKey', args: [] }], { snpDerivedKey: () => key });
    expect(r!.ok, r!.message).toBe(true);
    expect(hexOf(r!.value)).toEqual(key);
    expect(d!.ok).toBe(true);
    expect(server.requests).toEqual([
      { op: 'snp-derived-key', msgVersion: 1, key: { ...req, rsvd: 0 } },
      { op: 'snp-derived-key', msgVersion: 1, key: { rootKeySelect: 0, rsvd: 0, guestFieldSelect: 0n, vmpl: 0, guestSvn: 0, tcbVersion: 0n } },
    ]);
  });

  it('TDX_CMD_GET_REPORT0: REPORTDATA reaches the device and sits at offset 128 of the TDREPORT', async () => {
    const [r] = await child([{ fn: 'tdxGetReport0', args: [rd(6)] }], reports);
    expect(r!.ok, r!.message).toBe(true);
    const t = hexOf(r!.value);
    expect(t.length).toBe(1024);
    expect(t.subarray(128, 192)).toEqual(rd(6));
    expect(server.requests).toEqual([{ op: 'tdx-report0', reportData: rd(6) }]);
  });

  it('every errno, firmware and VMM code becomes its typed error', async () => {
    const cases: [FakeGuestFailure | 'short-report' | 'huge-certs', string, Record<string, unknown>][] = [
      [new FakeGuestFailure({ errno: 2 }), 'ERR_TEE_DEVICE_ABSENT', { errnoName: 'ENOENT' }],
      [new FakeGuestFailure({ errno: 19 }), 'ERR_TEE_DEVICE_ABSENT', { errnoName: 'ENODEV' }],
      [new FakeGuestFailure({ errno: 13 }), 'ERR_TEE_DEVICE_PERMISSION', { errnoName: 'EACCES' }],
      [new FakeGuestFailure({ errno: 1 }), 'ERR_TEE_DEVICE_PERMISSION', { errnoName: 'EPERM' }],
      [new FakeGuestFailure({ errno: 22 }), 'ERR_TEE_DEVICE_REJECTED', { errnoName: 'EINVAL' }],
      [new FakeGuestFailure({ errno: EIO, fwError: 0x16 }), 'ERR_TEE_FIRMWARE', { errnoName: 'EIO', fwError: 0x16, vmmError: 0 }],
      [new FakeGuestFailure({ errno: EIO, vmmError: 3 }), 'ERR_TEE_VMM', { vmmError: 3 }],
      [new FakeGuestFailure({ errno: EIO, vmmError: 2 }), 'ERR_TEE_DEVICE_BUSY', { vmmError: 2 }],
      [new FakeGuestFailure({ errno: EIO }), 'ERR_TEE_DEVICE_IO', { errnoName: 'EIO' }],
      [new FakeGuestFailure({ errno: 16 }), 'ERR_TEE_DEVICE_BUSY', { errnoName: 'EBUSY' }],
      [new FakeGuestFailure({ errno: 11 }), 'ERR_TEE_DEVICE_BUSY', { errnoName: 'EAGAIN' }],
      [new FakeGuestFailure({ errno: 110 }), 'ERR_TEE_DEVICE', { errnoName: 'ETIMEDOUT' }],
      [new FakeGuestFailure({ status: 0x16 }), 'ERR_TEE_FIRMWARE', { status: 0x16, op: 'response', errno: 0 }],
      ['short-report', 'ERR_TEE_MALFORMED_EVIDENCE', { status: 1000 }],
      ['huge-certs', 'ERR_TEE_CERTS_TOO_LARGE', { certsNeeded: 73728, attempts: 1 }],
    ];
    const pick = (d: Uint8Array) => {
      const c = cases[d[0]!]![0];
      if (c instanceof FakeGuestFailure) throw c;
      return c;
    };
    const handler: FakeGuestHandler = {
      snpReport: (d, v) => (pick(d) === 'short-report' ? new Uint8Array(1000) : fakeSnpReport(d, v)),
      snpExtReport: (d, v) => { pick(d); return { report: fakeSnpReport(d, v), certs: new Uint8Array(70_000) }; },
      tdxReport0: () => { throw new FakeGuestFailure({ errno: EIO }); },
    };
    const idx = (i: number) => Uint8Array.from({ length: 64 }, (_, j) => (j === 0 ? i : 0));
    const ops: Op[] = cases.map(([c], i) => ({ fn: c === 'huge-certs' ? 'snpGetExtReport' : 'snpGetReport', args: [idx(i)] }));
    const results = await child([...ops, { fn: 'tdxGetReport0', args: [idx(0)] }], handler);
    cases.forEach(([, code, details], i) => {
      expect(results[i], `case ${i}`).toMatchObject({ ok: false, code, details: { device: SEV, ...details } });
    });
    expect(results.at(-1)).toMatchObject({ ok: false, code: 'ERR_TEE_DEVICE_IO', name: 'TeeDeviceIoError', details: { device: TDX, errnoName: 'EIO' } });
    expect(results[5]!.name).toBe('TeeFirmwareError');
    expect(results[5]!.message).toMatch(/SNP_GET_REPORT on .*: the firmware failed the request \(EIO in ioctl, firmware error 0x16\)/);
  });

  it('bad arguments are InvalidArgumentError before any ioctl', async () => {
    const bad: unknown[][] = [
      ['snpGetReport', new Uint8Array(63)], ['snpGetReport', new Uint8Array(65)], ['snpGetReport', 'x'.repeat(64)],
      ['snpGetReport', rd(1), { vmpl: 4 }], ['snpGetReport', rd(1), { vmpl: -1 }], ['snpGetReport', rd(1), { vmpl: 1.5 }],
      ['snpGetReport', rd(1), { device: '' }], ['snpGetReport', rd(1), { vpml: 1 }],
      ['snpGetExtReport', new Uint8Array(0)], ['tdxGetReport0', new Uint8Array(32)], ['tdxGetReport0', rd(1), { vmpl: 0 }],
      ['snpGetDerivedKey', { rootKeySelect: 2 }], ['snpGetDerivedKey', { guestFieldSelect: 0x80n }], ['snpGetDerivedKey', { vmpl: 4 }],
      ['snpGetDerivedKey', { guestSvn: 2 ** 32 }], ['snpGetDerivedKey', { tcbVersion: 1n << 64n }], ['snpGetDerivedKey', { tcbVersion: -1n }],
      ['snpGetDerivedKey', { rootKey: 0 }],
    ];
    const results = await child(bad.map(([fn, ...args]) => ({ fn: fn as string, args })), reports);
    results.forEach((r, i) => expect(r, `case ${i}`).toMatchObject({ ok: false, code: 'ERR_INVALID_ARGUMENT' }));
    expect(server.requests).toEqual([]);
  });

  it('the ioctl runs off the event loop: timers fire while the device is slow', async () => {
    const slow: FakeGuestHandler = { snpReport: async (d, v) => { await new Promise((r) => setTimeout(r, 400)); return fakeSnpReport(d, v); } };
    const [r] = await child([{ fn: 'ticking', inner: 'snpGetReport', args: [rd(7)] }], slow);
    expect(r!.ok, r!.message).toBe(true);
    expect((r!.value as { ticks: number }).ticks).toBeGreaterThan(10);
  });
});

describe.skipIf(noAddon !== null)('quorumkit tee report against the fake device', () => {
  it('writes SNP evidence JSON for the given report data; it verifies with the TEST root only', async () => {
    const pki = await createTestSnpPki({ product: 'Milan', rsaBits: 2048 });
    const signer = new FakeSnpSigner(pki);
    const out = join(dir, 'evidence.json');
    const r = await cli(['tee', 'report', '--report-data', 'c0ffee', '--vmpl', '1', '--out', out], { snpExtReport: (d, v) => signer.snpExtReport(d, v) });
    expect(r.stderr).toMatch(/^SEV-SNP report \(1184 bytes\) with report data c0ffee0{122} → /);
    expect(r.code).toBe(0);
    const ev = parseEvidence(parseStrict(readFileSync(out, 'utf8')));
    expect(ev.kind).toBe('sev-snp');
    const expected = new Uint8Array(64);
    expected.set([0xc0, 0xff, 0xee]);
    expect(server.requests).toEqual([{ op: 'snp-ext-report', msgVersion: 1, reportData: expected, vmpl: 1, certsLen: 16384 }]);
    const now = new Date();
    expect(await verifyEvidence(ev, { now, snpRoots: [pki.root] })).toMatchObject({ valid: true, userData: expected });
    expect((await verifyEvidence(ev, { now })).valid).toBe(false);
    const raw = await cli(['tee', 'report', '--platform', 'sev-snp', '--raw'], { snpExtReport: (d, v) => signer.snpExtReport(d, v) });
    expect(raw.code).toBe(0);
    expect(Buffer.byteLength(raw.stdout, 'latin1')).toBeGreaterThan(0);
  });

  it('bad flags exit 2 with one line and reach no device; a device that cannot answer exits 1 with the typed reason', async () => {
    const never: FakeGuestHandler = {};
    for (const [args, msg] of [
      [['--report-data', 'xyz'], '--report-data expects 1..64 bytes of hex'],
      [['--report-data', 'ab'.repeat(65)], '--report-data expects 1..64 bytes of hex'],
      [['--vmpl', '4'], '--vmpl expects 0..3'],
      [['--platform', 'sgx'], '--platform expects sev-snp or tdx'],
      [['--source', 'mmio'], '--source expects ioctl or tsm'],
      [['--platform', 'tdx', '--source', 'ioctl'], 'a TDX quote comes through configfs-tsm'],
      [['--platform', 'tdx', '--vmpl', '0'], '--vmpl applies to SEV-SNP'],
      [['--tsm-root', dir], '--tsm-root applies to --source tsm'],
    ] as const) {
      const r = await cli(['tee', 'report', ...args], never);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(server.requests).toEqual([]);
    }
    const failing = await cli(['tee', 'report', '--platform', 'sev-snp'], { snpExtReport: () => { throw new FakeGuestFailure({ errno: EIO, fwError: 0x16 }); } });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/^quorumkit: tee report: .*firmware/i);
    const off = await cli(['tee', 'report', '--platform', 'sev-snp'], never, { QUORUMKIT_NATIVE_ADDON: 'off' });
    expect(off.code).toBe(1);
    expect(off.stderr).toContain('native addon unavailable');
    const none = await cli(['tee', 'report'], never, { QUORUMKIT_SEV_GUEST_DEVICE: join(dir, 'absent'), QUORUMKIT_TDX_GUEST_DEVICE: join(dir, 'absent2') });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no TEE guest device here');
  });
});

describe.skipIf(noShim !== null)('the addon deliberately absent', () => {
  it('QUORUMKIT_NATIVE_ADDON=off: "native addon unavailable", and nothing reaches the device', async () => {
    const [s, r] = await child([{ fn: 'status' }, { fn: 'snpGetReport', args: [rd(8)] }], reports, { QUORUMKIT_NATIVE_ADDON: 'off' });
    expect(s).toMatchObject({ ok: true, value: { available: false, reason: expect.stringMatching(/QUORUMKIT_NATIVE_ADDON=off/) } });
    expect(r).toMatchObject({ ok: false, name: 'TeeNativeUnavailableError', code: 'ERR_TEE_NATIVE_UNAVAILABLE', message: expect.stringMatching(/^native addon unavailable: /) });
    expect(server.requests).toEqual([]);
  });
});

describe('device paths', () => {
  it('the option wins, then QUORUMKIT_SEV_GUEST_DEVICE / QUORUMKIT_TDX_GUEST_DEVICE, then the kernel names', () => {
    const saved = [process.env.QUORUMKIT_SEV_GUEST_DEVICE, process.env.QUORUMKIT_TDX_GUEST_DEVICE];
    try {
      delete process.env.QUORUMKIT_SEV_GUEST_DEVICE;
      delete process.env.QUORUMKIT_TDX_GUEST_DEVICE;
      expect([sevGuestDevicePath(), tdxGuestDevicePath()]).toEqual([SEV_GUEST_DEVICE, TDX_GUEST_DEVICE]);
      expect([SEV_GUEST_DEVICE, TDX_GUEST_DEVICE]).toEqual(['/dev/sev-guest', '/dev/tdx_guest']);
      process.env.QUORUMKIT_SEV_GUEST_DEVICE = '/tmp/a';
      process.env.QUORUMKIT_TDX_GUEST_DEVICE = '/tmp/b';
      expect([sevGuestDevicePath(), tdxGuestDevicePath()]).toEqual(['/tmp/a', '/tmp/b']);
      expect([sevGuestDevicePath({ device: '/x' }), tdxGuestDevicePath({ device: '/y' })]).toEqual(['/x', '/y']);
      expect(() => sevGuestDevicePath({ device: 'a\0b' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    } finally {
      for (const [k, v] of [['QUORUMKIT_SEV_GUEST_DEVICE', saved[0]], ['QUORUMKIT_TDX_GUEST_DEVICE', saved[1]]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
