// Tree snapshots of large regions: treeSnapshotOf is quorumkit/hash's tree root with its chunk
// size recorded; a TrackedRegion re-hashes only the chunks written since its last snapshot and its
// root always equals a fresh tree hash of the current bytes; reports carrying tree snapshots sign,
// parse and catch drift like plain ones; parseReport refuses a bad hash_alg or chunk size.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { treeHashRegion } from '../../src/hash/index.js';
import { Identity } from '../../src/pq/identity.js';
import { AttestationVerifier, Attester, TrackedRegion, createClaim, createReport, memoryRegion, parseReport, reportToJson, treeSnapshotOf } from '../../src/attestation/index.js';

const CHUNK = 64 * 1024;

describe('tree snapshots', () => {
  it('treeSnapshotOf is the tree root with its chunk size', async () => {
    const bytes = Uint8Array.from({ length: 10 * CHUNK + 123 }, (_, i) => (i * 31) & 0xff);
    const s = await treeSnapshotOf('w', bytes, { chunkBytes: CHUNK });
    expect(s).toMatchObject({ region_id: 'w', size: bytes.length, hash_alg: 'sha3-256-tree', chunk_bytes: CHUNK });
    expect(s.content_hash).toBe(toHex(await treeHashRegion(bytes, { chunkBytes: CHUNK })));
  });

  it('a tracked region re-hashes only dirty chunks, and its root equals a fresh tree hash', async () => {
    const bytes = new Uint8Array(100 * CHUNK);
    const t = new TrackedRegion('kv', bytes, { chunkBytes: CHUNK });
    expect(t.dirtyChunks).toBe(100);
    const first = await t.snapshot();
    expect(first.content_hash).toBe(toHex(await treeHashRegion(bytes, { chunkBytes: CHUNK })));
    expect(t.dirtyChunks).toBe(0);
    t.write(5 * CHUNK + 10, new Uint8Array([1, 2, 3]));
    t.write(CHUNK - 1, new Uint8Array([9, 9])); // straddles chunks 0 and 1
    expect(t.dirtyChunks).toBe(3);
    const second = await t.snapshot();
    expect(second.content_hash).not.toBe(first.content_hash);
    expect(second.content_hash).toBe(toHex(await treeHashRegion(bytes, { chunkBytes: CHUNK })));
    bytes[50 * CHUNK] = 7; // written behind its back, then reported
    t.touched(50 * CHUNK, 1);
    expect((await t.snapshot()).content_hash).toBe(toHex(await treeHashRegion(bytes, { chunkBytes: CHUNK })));
    expect(() => t.write(100 * CHUNK, new Uint8Array(1))).toThrow(RangeError);
  });

  it('reports with tree snapshots sign, round-trip and catch drift; bad tree fields are refused', async () => {
    const bytes = new Uint8Array(4 * CHUNK).fill(3);
    const region = memoryRegion({ region_id: 'big', address: 0, size: bytes.length });
    const expected = (await treeSnapshotOf('big', bytes, { chunkBytes: CHUNK })).content_hash;
    const t = new TrackedRegion('big', bytes, { chunkBytes: CHUNK });
    const attester = new Attester(await Identity.create('a', { level: 44 }));
    const report = async () => attester.sign(createReport([createClaim({ region, snapshot: await t.snapshot(), expectedHash: expected })]));
    const clean = parseReport(parseStrict(reportToJson(await report())));
    expect(clean.claims[0]!.snapshot).toMatchObject({ hash_alg: 'sha3-256-tree', chunk_bytes: CHUNK });
    expect((await AttestationVerifier.verify(clean)).valid).toBe(true);
    t.write(3 * CHUNK, new Uint8Array([0]));
    expect(await AttestationVerifier.verify(await report())).toMatchObject({ valid: false, drifts: ['big'] });
    const json = parseStrict(reportToJson(clean)) as { claims: { snapshot: Record<string, unknown> }[] };
    for (const bad of [{ hash_alg: 'md5' }, { chunk_bytes: 0 }, { hash_alg: undefined }]) {
      const copy = structuredClone(json);
      Object.assign(copy.claims[0]!.snapshot, bad);
      if ('hash_alg' in bad && bad.hash_alg === undefined) delete copy.claims[0]!.snapshot['hash_alg'];
      expect(() => parseReport(copy)).toThrow(expect.objectContaining({ code: 'ERR_ATTESTATION' }));
    }
  });
});
