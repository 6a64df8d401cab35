// The answering side of the fake guest devices (fake-guest-shim.c, the LD_PRELOAD'ed ioctl shim):
// a Unix-socket server in the test process that plays driver, hypervisor and firmware. It decodes
// each forwarded request (Linux <linux/sev-guest.h> snp_report_req / snp_ext_report_req /
// snp_derived_key_req, TDX reportdata), records it, asks the handler, and answers as the kernel
// would: MSG_REPORT_RSP / MSG_KEY_RSP (AMD SEV-SNP ABI spec: status @0, report_size @4, payload
// @0x20), the TDREPORT, and for SNP_GET_EXT_REPORT the sizing rule of the sev-guest driver — a
// certificate blob larger than the caller's certs_len fails with EIO, exitinfo2 =
// SNP_GUEST_VMM_ERR_INVALID_LEN << 32 and the needed (page-rounded) length written back; a
// certs_len that is not page-aligned is EINVAL. Handlers throw FakeGuestFailure to fail a call.
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

const MAGIC = 0x47464b51;
const REQ_HEADER_BYTES = 16;
const RESP_HEADER_BYTES = 32;
/** The largest payload a request carries (snp_report_req + certs_len); anything longer is refused. */
const MAX_PAYLOAD_BYTES = 100;
const PAGE_BYTES = 4096;
export const EIO = 5;
export const EINVAL = 22;
export const ENOTTY = 25;
/** SNP_GUEST_VMM_ERR_INVALID_LEN (<linux/sev-guest.h>). */
export const VMM_ERR_INVALID_LEN = 1;

/** A failure the fake device answers with: an errno (with exitinfo2's halves), or a firmware status in the response. */
export class FakeGuestFailure extends Error {
  constructor(readonly failure: { readonly errno?: number; readonly fwError?: number; readonly vmmError?: number; readonly status?: number }) {
    super(`fake guest failure ${JSON.stringify(failure)}`);
  }
}

/** SNP_GET_DERIVED_KEY's request as the device received it. */
export interface FakeDerivedKeyRequest {
  readonly rootKeySelect: number;
  readonly rsvd: number;
  readonly guestFieldSelect: bigint;
  readonly vmpl: number;
  readonly guestSvn: number;
  readonly tcbVersion: bigint;
}

/** What the fake device does for each ioctl; a missing method answers ENOTTY. */
export interface FakeGuestHandler {
  snpReport?(reportData: Uint8Array, vmpl: number): Uint8Array | Promise<Uint8Array>;
  snpExtReport?(reportData: Uint8Array, vmpl: number): { report: Uint8Array; certs: Uint8Array } | Promise<{ report: Uint8Array; certs: Uint8Array }>;
  snpDerivedKey?(req: FakeDerivedKeyRequest): Uint8Array | Promise<Uint8Array>;
  tdxReport0?(reportData: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** One request the shim forwarded. */
export type FakeGuestRequest =
  | { readonly op: 'snp-report'; readonly msgVersion: number; readonly reportData: Uint8Array; readonly vmpl: number }
  | { readonly op: 'snp-ext-report'; readonly msgVersion: number; readonly reportData: Uint8Array; readonly vmpl: number; readonly certsLen: number }
  | { readonly op: 'snp-derived-key'; readonly msgVersion: number; readonly key: FakeDerivedKeyRequest }
  | { readonly op: 'tdx-report0'; readonly reportData: Uint8Array };

/** A running fake device. */
export interface FakeGuestServer {
  /** The socket path for $QK_FAKE_GUEST_SOCKET. */
  readonly socket: string;
  /** Every request so far, in order. */
  readonly requests: FakeGuestRequest[];
  handler: FakeGuestHandler;
  close(): Promise<void>;
}

interface Answer {
  errno: number;
  exitinfo2: bigint;
  resp: Uint8Array;
  certsLenOut: number;
  certs: Uint8Array;
}

const ok = (resp: Uint8Array, certs: Uint8Array = new Uint8Array(0)): Answer => ({ errno: 0, exitinfo2: 0n, resp, certsLenOut: 0, certs });
const failed = (errno: number, fw = 0, vmm = 0, certsLenOut = 0): Answer => ({ errno, exitinfo2: (BigInt(vmm) << 32n) | BigInt(fw), resp: new Uint8Array(0), certsLenOut, certs: new Uint8Array(0) });

/** A firmware response: status u32 @0, (report) size u32 @4, payload @0x20 (MSG_REPORT_RSP / MSG_KEY_RSP). */
function firmwareResponse(status: number, payload: Uint8Array | null, total: number): Uint8Array {
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, status, true);
  if (payload !== null) {
    dv.setUint32(4, payload.length, true);
    out.set(payload, 0x20);
  }
  return out;
}

function asFailure(e: unknown, msgResp: number): Answer {
  if (!(e instanceof FakeGuestFailure)) throw e;
  const f = e.failure;
  if (f.status !== undefined) return ok(firmwareResponse(f.status, null, msgResp));
  return failed(f.errno ?? EIO, f.fwError ?? 0, f.vmmError ?? 0);
}

async function answer(h: FakeGuestHandler, op: number, msgVersion: number, p: Uint8Array, log: FakeGuestRequest[]): Promise<Answer> {
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const need = (n: number): void => { if (p.length !== n) throw new Error(`op ${op}: payload of ${p.length} bytes, expected ${n}`); };
  if (op === 1 || op === 2) {
    need(op === 1 ? 96 : 100);
    const reportData = p.slice(0, 64);
    const vmpl = dv.getUint32(64, true);
    if (op === 1) {
      log.push({ op: 'snp-report', msgVersion, reportData, vmpl });
      if (msgVersion === 0) return failed(EINVAL);
      if (!h.snpReport) return failed(ENOTTY);
      try {
        return ok(firmwareResponse(0, await h.snpReport(reportData, vmpl), 0x20 + 1184));
      } catch (e) {
        return asFailure(e, 0x20 + 1184);
      }
    }
    const certsLen = dv.getUint32(96, true);
    log.push({ op: 'snp-ext-report', msgVersion, reportData, vmpl, certsLen });
    if (msgVersion === 0 || certsLen % PAGE_BYTES !== 0) return failed(EINVAL);
    if (!h.snpExtReport) return failed(ENOTTY);
    try {
      const r = await h.snpExtReport(reportData, vmpl);
      if (r.certs.length > certsLen) return failed(EIO, 0, VMM_ERR_INVALID_LEN, Math.ceil(r.certs.length / PAGE_BYTES) * PAGE_BYTES);
      return ok(firmwareResponse(0, r.report, 0x20 + 1184), r.certs);
    } catch (e) {
      return asFailure(e, 0x20 + 1184);
    }
  }
  if (op === 3) {
    need(32);
    const key = { rootKeySelect: dv.getUint32(0, true), rsvd: dv.getUint32(4, true), guestFieldSelect: dv.getBigUint64(8, true), vmpl: dv.getUint32(16, true), guestSvn: dv.getUint32(20, true), tcbVersion: dv.getBigUint64(24, true) };
    log.push({ op: 'snp-derived-key', msgVersion, key });
    if (msgVersion === 0) return failed(EINVAL);
    if (!h.snpDerivedKey) return failed(ENOTTY);
    try {
      return ok(firmwareResponse(0, await h.snpDerivedKey(key), 64));
    } catch (e) {
      return asFailure(e, 64);
    }
  }
  if (op === 4) {
    need(64);
    const reportData = p.slice();
    log.push({ op: 'tdx-report0', reportData });
    if (!h.tdxReport0) return failed(ENOTTY);
    try {
      const r = await h.tdxReport0(reportData);
      if (r.length !== 1024) throw new Error(`tdxReport0 returned ${r.length} bytes`);
      return ok(r);
    } catch (e) {
      return asFailure(e, 0);
    }
  }
  throw new Error(`unknown op ${op}`);
}

function encode(a: Answer): Uint8Array {
  const out = new Uint8Array(RESP_HEADER_BYTES + a.resp.length + a.certs.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setInt32(4, a.errno, true);
  dv.setBigUint64(8, a.exitinfo2, true);
  dv.setUint32(16, a.resp.length, true);
  dv.setUint32(20, a.certsLenOut, true);
  dv.setUint32(24, a.certs.length, true);
  out.set(a.resp, RESP_HEADER_BYTES);
  out.set(a.certs, RESP_HEADER_BYTES + a.resp.length);
  return out;
}

function serve(server: FakeGuestServer, sock: Socket): void {
  let buf = new Uint8Array(0);
  let done = false;
  sock.on('data', (chunk: Buffer) => {
    if (done) return;
    buf = Uint8Array.from([...buf, ...chunk]);
    if (buf.length < REQ_HEADER_BYTES) return;
    const dv = new DataView(buf.buffer);
    const [magic, op, msgVersion, len] = [0, 4, 8, 12].map((o) => dv.getUint32(o, true)) as [number, number, number, number];
    if (magic !== MAGIC || len > MAX_PAYLOAD_BYTES) {
      done = true;
      sock.destroy();
      return;
    }
    if (buf.length < REQ_HEADER_BYTES + len) return;
    done = true;
    answer(server.handler, op, msgVersion, buf.slice(REQ_HEADER_BYTES, REQ_HEADER_BYTES + len), server.requests)
      .then((a) => sock.end(encode(a)))
      .catch(() => sock.destroy());
  });
  sock.on('error', () => {});
}

/** Starts a fake device answering on a socket in `dir`. */
export async function startFakeGuest(dir: string, handler: FakeGuestHandler): Promise<FakeGuestServer> {
  const socket = join(dir, 'fake-guest.sock');
  rmSync(socket, { force: true });
  let srv: Server | undefined;
  const server: FakeGuestServer = {
    socket,
    requests: [],
    handler,
    close: () => new Promise<void>((r) => (srv ? srv.close(() => r()) : r())),
  };
  srv = createServer((s) => serve(server, s));
  await new Promise<void>((resolve, reject) => {
    srv!.once('error', reject);
    srv!.listen(socket, () => resolve());
  });
  return server;
}
