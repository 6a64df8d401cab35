// The pqc-hypervisor-attestation seed's vectors and behaviour: SHA3-256 content hashes, the report's
// canonical bytes and signing digest reproduce; the verifier's results and error strings
// ("missing signature", "invalid ML-DSA signature", "unknown algorithm …", "report expired",
// "memory drift detected in N region(s): …"), verifyOrThrow's error classes, the in-memory backend
// and its messages, and the continuous loop with fresh nonces and expected hashes.
import { describe, expect, it, beforeAll } from 'vitest';
import { fromHex, toHex, utf8Encode } from '../../src/core/bytes.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { Identity } from '../../src/pq/identity.js';
import {
  AttestationVerificationError, AttestationVerifier, Attester, ContinuousAttester, InMemoryBackend, InvalidRegionError, RegionDriftError,
  canonicalReportBytes, createClaim, createReport, hashBytes, memoryRegion, parseReport, reportDigest, reportToJson, snapshotOf, type AttestationReport,
} from '../../src/attestation/index.js';
import { describeVectors, hasVector, readVectorText } from '../_vectors.js';

type SeedVectors = {
  content_hashes_sha3_256: Record<string, string>;
  report: { to_dict: Record<string, unknown>; canonical_bytes_utf8: string; signing_digest_sha3_256_hex: string };
};
const V = (hasVector('seeds/pqc-hypervisor-attestation/vectors.json') ? parseStrict(readVectorText('seeds/pqc-hypervisor-attestation/vectors.json')) : null) as SeedVectors;

/** The seed's report dict as quorumkit's shape: no raw signature fields, no envelope yet. */
function seedReport(): Record<string, unknown> {
  const { signature: _s, public_key: _p, ...rest } = V.report.to_dict;
  return { ...rest, envelope: null };
}

/** The seed's vector keys: `0xaa*128` (a byte repeated), `b'text'` (UTF-8), or hex. */
function bytesOf(key: string): Uint8Array {
  const rep = /^0x([0-9a-f]{2})\*(\d+)$/.exec(key);
  if (rep) return new Uint8Array(Number(rep[2])).fill(parseInt(rep[1]!, 16));
  const lit = /^b'(.*)'$/.exec(key);
  if (lit) return utf8Encode(lit[1]!);
  return fromHex(key);
}

let identity: Identity;
beforeAll(async () => { identity = await Identity.create('attester', { level: 44 }); });

describeVectors('seed vectors', () => {
  it('SHA3-256 content hashes reproduce', () => {
    const keys = Object.keys(V.content_hashes_sha3_256);
    for (const k of keys) expect(hashBytes(bytesOf(k)), k).toBe(V.content_hashes_sha3_256[k]);
    console.log(`[vectors] pqc-hypervisor-attestation content hashes: ${keys.length}/${keys.length}`);
  });

  it("the report's canonical bytes and SHA3-256 signing digest reproduce", () => {
    const report = parseReport(seedReport());
    expect(new TextDecoder().decode(canonicalReportBytes(report))).toBe(V.report.canonical_bytes_utf8);
    expect(toHex(reportDigest(report))).toBe(V.report.signing_digest_sha3_256_hex);
    console.log('[vectors] pqc-hypervisor-attestation report canonical bytes + digest: 2/2');
  });

  it('parseReport refuses malformed reports with typed errors', () => {
    const base = seedReport();
    for (const bad of [null, 7, [], { ...base, extra: 1 }, { ...base, claims: {} }, { ...base, issued_at: 'yesterday' },
      { ...base, claims: [{ ...(base.claims as object[])[0]!, region: { region_id: '', description: '', address: 0, size: 1, protection: 'RO' } }] },
      { ...base, claims: [{ ...(base.claims as object[])[0]!, expected_hash: 'XYZ' }] }, { ...base, envelope: { payload: 'x' } }]) {
      expect(() => parseReport(bad), JSON.stringify(bad)?.slice(0, 80)).toThrow(expect.objectContaining({ code: 'ERR_ATTESTATION' }));
    }
  });
});

describe('attester and verifier', () => {
  const region = memoryRegion({ region_id: 'model-weights-0', description: 'Llama weights shard 0', address: 4096, size: 15 });
  const trusted = utf8Encode('trusted-weights');
  const signed = async (content: Uint8Array, o: { expected?: string; ttl?: number; now?: Date } = {}): Promise<AttestationReport> => {
    const claim = createClaim({ region, snapshot: snapshotOf(region.region_id, content), expectedHash: o.expected ?? hashBytes(trusted), workloadId: 'model-serving-1', platform: 'in-memory', nonce: '00112233445566778899aabbccddeeff' });
    return new Attester(identity).sign(createReport([claim], { attesterId: identity.did, platform: 'in-memory', ...(o.ttl ? { ttlSeconds: o.ttl } : {}), ...(o.now ? { now: o.now } : {}) }));
  };

  it('a clean signed report verifies; the same report survives a JSON round trip', async () => {
    const r = await signed(trusted);
    expect(r.signer_did).toBe(identity.did);
    expect(r.algorithm).toBe('ML-DSA-44');
    expect(await AttestationVerifier.verify(r)).toEqual({ valid: true, signatureValid: true, notExpired: true, drifts: [], error: null });
    const back = parseReport(parseStrict(reportToJson(r)));
    expect((await AttestationVerifier.verify(back)).valid).toBe(true);
    expect(r.expires_at > r.issued_at).toBe(true);
  });

  it("the seed's error strings: missing signature, invalid signature, unknown algorithm, expired, drift", async () => {
    const r = await signed(trusted);
    expect(await AttestationVerifier.verify({ ...r, envelope: null })).toMatchObject({ valid: false, signatureValid: false, error: 'missing signature' });
    expect(await AttestationVerifier.verify({ ...r, algorithm: 'RSA' })).toMatchObject({ valid: false, error: 'unknown algorithm RSA' });
    // the body changed after signing, or another signer claimed
    expect(await AttestationVerifier.verify({ ...r, attester_id: 'did:pqaid:someone-else' })).toMatchObject({ valid: false, error: 'invalid ML-DSA signature' });
    expect(await AttestationVerifier.verify({ ...r, signer_did: 'did:pqaid:' + 'a'.repeat(64) })).toMatchObject({ valid: false, error: 'invalid ML-DSA signature' });
    expect(await AttestationVerifier.verify(r, { trusted: ['did:pqaid:' + 'b'.repeat(64)] })).toMatchObject({ valid: false, error: 'invalid ML-DSA signature' });
    const old = await signed(trusted, { now: new Date(Date.now() - 600_000) });
    expect(await AttestationVerifier.verify(old)).toEqual({ valid: false, signatureValid: true, notExpired: false, drifts: [], error: 'report expired' });
    const tampered = await signed(utf8Encode('TAMPERED-weights'));
    expect(await AttestationVerifier.verify(tampered)).toEqual({ valid: false, signatureValid: true, notExpired: true, drifts: ['model-weights-0'], error: 'memory drift detected in 1 region(s): model-weights-0' });
    expect(await AttestationVerifier.verify(tampered, { strict: false })).toEqual({ valid: true, signatureValid: true, notExpired: true, drifts: ['model-weights-0'], error: null });
    await expect(AttestationVerifier.verifyOrThrow(tampered)).rejects.toBeInstanceOf(RegionDriftError);
    await expect(AttestationVerifier.verifyOrThrow(old)).rejects.toThrow(new AttestationVerificationError('report expired'));
    await expect(AttestationVerifier.verifyOrThrow({ ...r, envelope: null })).rejects.toMatchObject({ code: 'ERR_ATTESTATION_INVALID', message: 'missing signature' });
    expect((await AttestationVerifier.verifyOrThrow(r)).valid).toBe(true);
  });
});

describe('backends and the continuous loop', () => {
  it("the in-memory backend lists, snapshots and updates regions, with the seed's messages", () => {
    const b = new InMemoryBackend();
    const r = memoryRegion({ region_id: 'kv-cache', address: 0, size: 4 });
    b.register('w', r, new Uint8Array([0, 1, 2, 3]));
    expect(b.listRegions('w')).toEqual([r]);
    expect(b.listRegions('nobody')).toEqual([]);
    expect(b.snapshot(r).content_hash).toBe('33bad5430899ed6f8beaf3e732b2a2cad1d40b7c9de0cfcdc7e0bc0756803a10'); // Python hashlib.sha3_256
    expect(() => b.update('nope', new Uint8Array(1))).toThrow(new InvalidRegionError('no region with id nope'));
    expect(() => b.snapshot({ ...r, region_id: 'ghost' })).toThrow(new InvalidRegionError('region ghost not registered'));
    expect(() => memoryRegion({ region_id: 'x', address: -1, size: 1 })).toThrow(InvalidRegionError);
    expect(() => memoryRegion({ region_id: 'x', address: 0, size: 1, protection: 'W' as never })).toThrow(InvalidRegionError);
  });

  it('attestOnce signs every region with one fresh nonce; runFor loops; drift after an update is caught', async () => {
    const b = new InMemoryBackend();
    const w = memoryRegion({ region_id: 'model-weights-0', address: 0x1000, size: 32 });
    const good = utf8Encode('MODEL-WEIGHTS-TRUSTED-PAYLOAD-01');
    b.register('m', w, good);
    b.register('m', memoryRegion({ region_id: 'adapter', address: 0x9000, size: 2 }), new Uint8Array([7, 7]));
    const loop = new ContinuousAttester({ attester: new Attester(identity), backend: b, workloadId: 'm', expectedHashes: { 'model-weights-0': hashBytes(good) } });
    const a = await loop.attestOnce();
    const c = await loop.attestOnce();
    expect(a.claims).toHaveLength(2);
    expect(new Set(a.claims.map((x) => x.nonce)).size).toBe(1);
    expect(a.claims[0]!.nonce).not.toBe(c.claims[0]!.nonce);
    expect(a.claims[1]!.expected_hash).toBe('');
    expect((await AttestationVerifier.verify(a)).valid).toBe(true);
    const seen: string[] = [];
    const reports = await loop.runFor(0.25, 0.1, (r) => seen.push(r.report_id));
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual(reports.map((r) => r.report_id));
    b.update('model-weights-0', utf8Encode('MODEL-WEIGHTS-COMPROMISED!!!!!!!'));
    expect(await AttestationVerifier.verify(await loop.attestOnce())).toMatchObject({ valid: false, drifts: ['model-weights-0'] });
    await expect(loop.runFor(-1)).rejects.toThrow(RangeError);
  });
});
