// AuditTrail: canonical records appended as given, batches with outbox numbers, recover() appends
// exactly the batches above the log's cursor, checkpoints signed on a schedule (never more than one
// per interval), on demand for readers, and on close.
import { describe, expect, it, vi } from 'vitest';
import { canonicalBytes } from '../../src/core/canonical-json.js';
import { utf8Encode } from '../../src/core/bytes.js';
import { AuditTrail } from '../../src/log/audit-trail.js';
import { TransparencyLog } from '../../src/log/sqlite-log.js';
import { verifyCheckpoint, verifyInclusion, leafHash } from '../../src/log/verifier.js';
import { Identity } from '../../src/pq/identity.js';
import type { EnvelopeSigner } from '../../src/envelope/types.js';

const signer = await Identity.create('trail', { level: 44 });
const rec = (i: number): Uint8Array => canonicalBytes({ n: i, type: 'test' });

/** A signer that counts signatures. */
function counting(): { signer: EnvelopeSigner; count: () => number } {
  let n = 0;
  const wrapped: EnvelopeSigner = { did: signer.did, alg: signer.alg, publicKey: signer.publicKey, sign: async (m: Uint8Array) => (n++, signer.sign(m)) };
  return { signer: wrapped, count: () => n };
}

describe('AuditTrail', () => {
  it('appends the caller\'s canonical bytes unchanged, readable as bytes and as parsed JSON', async () => {
    const t = AuditTrail.open(':memory:', { origin: 'test/trail', signer, checkpointIntervalMs: 0 });
    const bytes = utf8Encode('{"a":[1,2],"b":"\\u0000"}');
    expect(t.append([bytes, rec(1)])).toBe(0);
    expect(t.entryBytes(0)).toEqual(bytes);
    expect(t.entry(0)).toEqual({ a: [1, 2], b: '\u0000' });
    expect(t.recent(10).map((e) => e.index)).toEqual([1, 0]);
    expect(t.recent(1)).toEqual([{ index: 1, entry: { n: 1, type: 'test' } }]);
    expect(t.recent(0)).toEqual([]);
    expect(() => t.recent(-1)).toThrow(RangeError);
    expect(() => t.append([])).toThrow(RangeError);
    await t.close();
  });

  it('recover() appends only the batches above the cursor, in order, once', async () => {
    const t = AuditTrail.open(':memory:', { origin: 'test/trail', signer, checkpointIntervalMs: 0 });
    t.appendBatch([rec(1)], 1);
    expect(t.appliedBatch).toBe(1);
    expect(t.recover([{ batch: 1, records: [rec(1)] }, { batch: 2, records: [rec(2), rec(3)] }, { batch: 3, records: [rec(4)] }])).toBe(2);
    expect(t.recover([{ batch: 2, records: [rec(2)] }, { batch: 3, records: [rec(4)] }])).toBe(0);
    expect(t.size).toBe(4);
    expect(t.appliedBatch).toBe(3);
    expect(() => t.appendBatch([rec(9)], 2)).toThrow(RangeError); // batch numbers never go back
    await t.close();
  });

  it('signs at most one scheduled checkpoint per interval however many batches arrive', async () => {
    vi.useFakeTimers();
    try {
      const c = counting();
      const t = AuditTrail.open(':memory:', { origin: 'test/trail', signer: c.signer, checkpointIntervalMs: 1000 });
      for (let i = 0; i < 100; i++) t.appendBatch([rec(i)], i + 1);
      expect(c.count()).toBe(0);
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(t.latestCheckpoint()).not.toBeNull());
      expect(c.count()).toBe(1);
      await vi.advanceTimersByTimeAsync(5000); // nothing new: nothing signed
      expect(c.count()).toBe(1);
      await t.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('checkpoint() covers every entry appended before the call and verifies; concurrent readers share one signature', async () => {
    const c = counting();
    const t = AuditTrail.open(':memory:', { origin: 'test/trail', signer: c.signer, checkpointIntervalMs: 60_000 });
    t.append([rec(1), rec(2), rec(3)]);
    const [a, b] = await Promise.all([t.checkpoint(), t.checkpoint()]);
    expect(a).toBe(b);
    expect(c.count()).toBe(1);
    expect(await t.checkpoint()).toBe(a); // still current: no new signature
    expect(c.count()).toBe(1);
    const v = await verifyCheckpoint(a, { trusted: [signer.did], origin: 'test/trail' });
    expect(v.valid).toBe(true);
    expect(v.checkpoint!.treeSize).toBe(3);
    expect(verifyInclusion(leafHash(rec(2)), 1, 3, t.inclusionProof(1, 3), v.root!)).toBe(true);
    t.append([rec(4)]);
    const next = await t.checkpoint();
    expect((await verifyCheckpoint(next, { trusted: [signer.did] })).checkpoint!.treeSize).toBe(4);
    await t.close();
  });

  it('close() signs a final checkpoint for entries not yet covered, and a reopened trail knows it', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'qk-trail-'));
    try {
      const path = join(dir, 'log.db');
      const t = AuditTrail.open(path, { origin: 'test/trail', signer, checkpointIntervalMs: 60_000 });
      t.appendBatch([rec(1), rec(2)], 7);
      await t.close();
      const again = AuditTrail.open(path, { origin: 'test/trail', signer });
      expect(again.appliedBatch).toBe(7);
      const cp = again.latestCheckpoint();
      expect((await verifyCheckpoint(cp!, { trusted: [signer.did] })).checkpoint!.treeSize).toBe(2);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad construction arguments', () => {
    const log = TransparencyLog.open(':memory:', { origin: 'test/x' });
    expect(() => new AuditTrail({} as never, { signer })).toThrow(TypeError);
    expect(() => new AuditTrail(log, {} as never)).toThrow(TypeError);
    expect(() => new AuditTrail(log, { signer, checkpointIntervalMs: -1 })).toThrow(RangeError);
    log.close();
  });
});
