// The attestation service over real HTTP sockets: a signed caller gets a report over the configured
// regions (a weight file with a pinned hash, a live child process's mappings) carrying its nonce,
// signed by the service; the report is fetched back by id and verifies at /v1/verify; a changed
// weight file shows up as drift; an injected EvidenceSource binds reports to evidence (genuine
// evidence cannot carry our digest, so the binding alone fails). Every issue and verification is one
// log entry; every bad input is a typed 4xx (or 503 for an unreadable region or failing evidence
// source) and the log and counts are unchanged; after a restart the log, its checkpoint and
// inclusion proofs verify and the issued reports are still served.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex } from '../../../src/core/bytes.js';
import { callService, serveApp, signRequest, type RunningServer } from '../../../src/http/index.js';
import { leafHash, verifyCheckpoint, verifyInclusion } from '../../../src/log/index.js';
import { Identity } from '../../../src/pq/identity.js';
import { AttestationVerifier, bindingDigest, evidenceToJson, hashBytes, parseReport, type AttestationReport, type EvidenceSource } from '../../../src/attestation/index.js';
import { AttestService, createAttestApp, parseAttestConfig } from '../../../src/attestation/server/index.js';
import { hasVector } from '../../_vectors.js';
import { readVectorBytes } from '../../tee/_tee-vectors.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-attest-svc-'));
const weights = join(dir, 'weights.bin');
const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 251);
let child: ChildProcess;
let identity: Identity;
let client: Identity;
let stranger: Identity;

interface Running { svc: AttestService; server: RunningServer }
async function start(dataDir: string, extra: { evidenceSource?: EvidenceSource; pid?: number; callers?: Set<string> } = {}): Promise<Running> {
  const config = parseAttestConfig({
    workload_id: 'llm-7b',
    regions: [{ file: weights, expected_hash: hashBytes(bytes) }, ...(extra.pid ? [{ pid: extra.pid, path_pattern: 'sleep$' }] : [])],
  });
  const svc = await AttestService.open({ dataDir, identity, config, ...(extra.evidenceSource ? { evidenceSource: extra.evidenceSource } : {}), ...(extra.callers ? { callers: extra.callers } : {}) });
  return { svc, server: await serveApp(createAttestApp(svc)) };
}
async function stop(r: Running): Promise<void> {
  await r.server.close();
  await r.svc.close();
}
const nonce = (): string => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('hex');
const post = <T>(r: Running, path: string, body: unknown, signer: Identity = client): Promise<T> => callService<T>(r.server.url, path, { body, signer, audience: r.svc.did });
const refused = async (p: Promise<unknown>): Promise<{ status: number; code: string; message: string }> => {
  try {
    await p;
  } catch (e) {
    return e as { status: number; code: string; message: string };
  }
  throw new Error('expected a refusal');
};
const state = async (r: Running): Promise<{ log_size: number; reports: number; verifications: number }> => {
  const s = await callService<{ log_size: number; reports: number; verifications: number }>(r.server.url, '/v1/service');
  return { log_size: s.log_size, reports: s.reports, verifications: s.verifications };
};

beforeAll(async () => {
  writeFileSync(weights, bytes);
  child = spawn('sleep', ['60']);
  await new Promise((r) => setTimeout(r, 100));
  [identity, client, stranger] = await Promise.all([Identity.create('attestation-service', { level: 44 }), Identity.create('tenant', { level: 44 }), Identity.create('stranger', { level: 44 })]);
});
afterAll(() => {
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('attestation service over HTTP', () => {
  const dataDir = join(dir, 'data');
  let r: Running;
  let first: AttestationReport;
  beforeAll(async () => {
    r = await start(dataDir, { pid: child.pid! });
  });
  afterAll(async () => {
    await stop(r);
  });

  it('issues a signed report over the configured regions with the caller nonce', async () => {
    const n = nonce();
    const out = await post<{ report: unknown; evidence: unknown }>(r, '/v1/reports', { nonce: n });
    expect(out.evidence).toBeNull();
    first = parseReport(out.report);
    expect(first.signer_did).toBe(r.svc.did);
    expect(first.platform).toBe('unbound');
    const file = first.claims.find((c) => c.region.region_id === 'weights.bin')!;
    expect(file).toMatchObject({ expected_hash: hashBytes(bytes), nonce: n, workload_id: 'llm-7b', snapshot: { content_hash: hashBytes(bytes), size: bytes.length } });
    const proc = first.claims.filter((c) => c.region.region_id.includes('sleep@0x'));
    expect(proc.length).toBeGreaterThan(0);
    expect(proc.every((c) => c.nonce === n && /^[0-9a-f]{64}$/.test(c.snapshot.content_hash))).toBe(true);
    expect(await AttestationVerifier.verify(first, { trusted: [r.svc.did] })).toMatchObject({ valid: true });
    expect(await state(r)).toEqual({ log_size: 1, reports: 1, verifications: 0 });
  });

  it('serves the report by id, lists it, and verifies it (one more log entry)', async () => {
    const got = await callService<{ report: unknown; evidence: unknown }>(r.server.url, `/v1/reports/${encodeURIComponent(first.report_id)}`);
    expect(parseReport(got.report)).toEqual(first);
    expect(await callService(r.server.url, '/v1/reports?limit=5')).toEqual({ reports: [{ report_id: first.report_id, issued_at: first.issued_at }] });
    const v = await post<{ valid: boolean; reasons: string[]; report: { signatureValid: boolean } }>(r, '/v1/verify', { report: got.report });
    expect(v).toMatchObject({ valid: true, reasons: [], report: { signatureValid: true } });
    expect(await state(r)).toEqual({ log_size: 2, reports: 1, verifications: 1 });
    const audit = await callService<{ entries: { index: number; entry: { type: string; report_id: string; caller: string; valid?: boolean } }[] }>(r.server.url, '/v1/audit');
    expect(audit.entries.map((e) => [e.entry.type, e.entry.report_id, e.entry.caller])).toEqual([
      ['attestation.verification', first.report_id, client.did],
      ['attestation.report.issued', first.report_id, client.did],
    ]);
  });

  it('a changed weight file is drift; a tampered report does not verify', async () => {
    const changed = bytes.slice();
    changed[500]! ^= 0xff;
    writeFileSync(weights, changed);
    try {
      const out = await post<{ report: unknown }>(r, '/v1/reports', { nonce: nonce(), workload_id: 'other' });
      const v = await post<{ valid: boolean; reasons: string[]; report: { drifts: string[] } }>(r, '/v1/verify', { report: out.report });
      expect(v).toMatchObject({ valid: false, reasons: ['memory drift detected in 1 region(s): weights.bin'], report: { drifts: ['weights.bin'] } });
    } finally {
      writeFileSync(weights, bytes);
    }
    const tampered = { ...first, attester_id: 'someone-else' };
    const t = await post<{ valid: boolean; reasons: string[] }>(r, '/v1/verify', { report: tampered });
    expect(t).toEqual(expect.objectContaining({ valid: false, reasons: ['invalid ML-DSA signature'] }));
    expect(await state(r)).toEqual({ log_size: 5, reports: 2, verifications: 3 });
  });

  it('bad input is a typed 4xx and changes nothing', async () => {
    const before = await state(r);
    const cases: [() => Promise<unknown>, number, string][] = [
      [() => callService(r.server.url, '/v1/reports', { body: { nonce: nonce() } }), 401, 'ERR_UNAUTHENTICATED'],
      [() => post(r, '/v1/reports', { nonce: 'xyz' }), 400, 'ERR_SCHEMA_INVALID'],
      [() => post(r, '/v1/reports', { nonce: 'ab'.repeat(65) }), 400, 'ERR_SCHEMA_INVALID'],
      [() => post(r, '/v1/reports', { nonce: nonce(), extra: 1 }), 400, 'ERR_SCHEMA_INVALID'],
      [() => post(r, '/v1/reports', { nonce: nonce(), workload_id: '' }), 400, 'ERR_SCHEMA_INVALID'],
      [() => callService(r.server.url, '/v1/reports', { bodyText: '{"nonce":"aa","nonce":"bb"}', signer: client, audience: r.svc.did }), 400, 'ERR_JSON_DUPLICATE_KEY'],
      [() => callService(r.server.url, '/v1/reports', { body: { nonce: nonce() }, signer: client, audience: 'did:pqaid:someone-else' }), 401, 'ERR_UNAUTHENTICATED'],
      [() => post(r, '/v1/verify', {}), 400, 'ERR_SCHEMA_INVALID'],
      [() => post(r, '/v1/verify', { report: { report_id: 'x', claims: [], bogus: 1 } }), 400, 'ERR_ATTESTATION'],
      [() => post(r, '/v1/verify', { report: first, evidence: { kind: 'tdx', quote: '!!' } }), 400, 'ERR_INVALID_EVIDENCE'],
      [() => post(r, '/v1/verify', { report: first, evidence: { kind: 'tdx', quote: 'AA==' }, policy: { tdx: { allow_debug: 'no' } } }), 400, 'ERR_TEE_POLICY_INVALID'],
      [() => post(r, '/v1/verify', { report: first, policy: {} }), 400, 'ERR_INVALID_ARGUMENT'],
      [() => callService(r.server.url, '/v1/reports/urn:pqc-attreport:00000000000000000000000000000000'), 404, 'ERR_NOT_FOUND'],
      [() => callService(r.server.url, '/v1/reports?limit=0'), 400, 'ERR_INVALID_ARGUMENT'],
    ];
    for (const [p, status, code] of cases) {
      const e = await refused(p());
      expect([e.status, e.code], e.message).toEqual([status, code]);
    }
    expect(await state(r)).toEqual(before);
  });

  it('a replayed signed request is refused and changes nothing', async () => {
    const body = new TextEncoder().encode(JSON.stringify({ nonce: nonce() }));
    const headers = await signRequest(client, { method: 'POST', path: '/v1/reports', body, audience: r.svc.did });
    const send = (): Promise<Response> => fetch(`${r.server.url}/v1/reports`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    expect((await send()).status).toBe(201);
    const before = await state(r);
    const again = await send();
    expect(again.status).toBe(401);
    expect(await state(r)).toEqual(before);
  });

  it('a vanished process is 503 ERR_REGION_UNAVAILABLE with the reason, and nothing is logged', async () => {
    const gone = spawn('sleep', ['60']);
    await new Promise((res) => setTimeout(res, 100));
    const other = await start(join(dir, 'gone'), { pid: gone.pid! });
    try {
      gone.kill('SIGKILL');
      await new Promise((res) => gone.once('exit', res));
      const e = await refused(post(other, '/v1/reports', { nonce: nonce() }));
      expect([e.status, e.code]).toEqual([503, 'ERR_REGION_UNAVAILABLE']);
      expect(e.message).toMatch(new RegExp(`^pid:${gone.pid}: `));
      expect(await state(other)).toEqual({ log_size: 0, reports: 0, verifications: 0 });
    } finally {
      await stop(other);
    }
  });
});

describe('the service restarted keeps its log and reports', () => {
  it('log size, checkpoint and inclusion proofs verify after a restart; reports are still served', async () => {
    const dataDir = join(dir, 'restart');
    const a = await start(dataDir);
    const issued = await post<{ report: AttestationReport }>(a, '/v1/reports', { nonce: nonce() });
    await post(a, '/v1/verify', { report: issued.report });
    await post(a, '/v1/reports', { nonce: nonce() });
    const did = a.svc.did;
    await stop(a);
    const b = await start(dataDir);
    try {
      expect(await state(b)).toEqual({ log_size: 3, reports: 2, verifications: 1 });
      const got = await callService<{ report: unknown }>(b.server.url, `/v1/reports/${issued.report.report_id}`);
      expect(parseReport(got.report)).toEqual(parseReport(issued.report));
      await post(b, '/v1/verify', { report: got.report });
      const { treeSize, checkpoint } = await callService<{ treeSize: number; checkpoint: unknown }>(b.server.url, '/v1/log/checkpoint');
      expect(treeSize).toBe(4);
      const cv = await verifyCheckpoint(checkpoint, { trusted: [did] });
      expect(cv.valid, cv.reasons.join('; ')).toBe(true);
      for (let i = 0; i < treeSize; i++) {
        const e = await callService<{ data: string }>(b.server.url, `/v1/log/entries/${i}`);
        const p = await callService<{ proof: string[] }>(b.server.url, `/v1/log/proofs/inclusion?index=${i}&size=${treeSize}`);
        expect(verifyInclusion(leafHash(Buffer.from(e.data, 'base64')), i, treeSize, p.proof.map(fromHex), cv.root!)).toBe(true);
      }
    } finally {
      await stop(b);
    }
  });
});

describe('an injected EvidenceSource', () => {
  it('binds issued reports to its evidence; a source of the wrong kind is 503 and logs nothing', async () => {
    if (!hasVector('tee/teekit/sev-gcp.bin')) return;
    const asked: Uint8Array[] = [];
    const source: EvidenceSource = {
      platform: 'amd-sev-snp',
      evidence(reportData) {
        asked.push(reportData);
        // Genuine evidence cannot carry our REPORT_DATA: the fake-device sources (test PKI) can.
        return Promise.resolve({ kind: 'sev-snp', report: readVectorBytes('tee/teekit/sev-gcp.bin'), vcek: readVectorBytes('tee/teekit/sev-gcp-vcek.pem') });
      },
    };
    const r = await start(join(dir, 'bound'), { evidenceSource: source, callers: new Set([client.did]) });
    try {
      const out = await post<{ report: AttestationReport; evidence: { kind: string; report: string; vcek: string } }>(r, '/v1/reports', { nonce: nonce() });
      expect(out.report.platform).toBe('amd-sev-snp');
      expect(asked).toEqual([bindingDigest(out.report)]);
      expect(out.evidence).toEqual(evidenceToJson(await source.evidence(new Uint8Array(64))));
      const v = await post<{ valid: boolean; bound: boolean; evidence: { valid: boolean }; report: { valid: boolean }; reasons: string[] }>(r, '/v1/verify', { report: out.report, evidence: out.evidence });
      expect(v).toMatchObject({ valid: false, bound: false, evidence: { valid: true }, report: { valid: true } });
      expect(v.reasons).toEqual(["binding: the evidence's user data is not SHA3-512 of this report's canonical body"]);
      const e = await refused(post(r, '/v1/reports', { nonce: nonce() }, stranger));
      expect([e.status, e.code]).toEqual([403, 'ERR_FORBIDDEN']);
      expect(await state(r)).toEqual({ log_size: 2, reports: 1, verifications: 1 });
    } finally {
      await stop(r);
    }
    const wrong: EvidenceSource = { platform: 'intel-tdx', evidence: () => Promise.resolve({ kind: 'sev-snp', report: new Uint8Array(1) }) };
    const w = await start(join(dir, 'wrong'), { evidenceSource: wrong });
    try {
      const e = await refused(post(w, '/v1/reports', { nonce: nonce() }));
      expect([e.status, e.code, e.message]).toEqual([503, 'ERR_EVIDENCE_UNAVAILABLE', 'evidence source intel-tdx: evidence source for intel-tdx returned sev-snp evidence']);
      expect(await state(w)).toEqual({ log_size: 0, reports: 0, verifications: 0 });
    } finally {
      await stop(w);
    }
  });
});
