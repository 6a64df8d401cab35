// DurableStore: statements prepared once, re-entrant transactions, group commit (one transaction
// per event-loop turn, each operation isolated by a savepoint), and the audit outbox (records
// staged with the state change, appended to the trail after commit, recovered exactly once after a
// crash — including a real SIGKILL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../src/core/canonical-json.js';
import { utf8Decode } from '../../src/core/bytes.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import { AuditTrail } from '../../src/log/audit-trail.js';
import { Identity } from '../../src/pq/identity.js';
import { AUDIT_DRAIN_DELAY_MS, DurableStore, LAZY_COMMIT_MS, type AuditSink, type StagedBatch } from '../../src/store/durable-store.js';
import { NotesStore } from './_notes-store.js';
import { runUntilKilled } from '../_kill-writer.js';

let dir: string;
let signer: Identity;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qk-durable-'));
  signer = await Identity.create('store-test', { level: 44 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ev = (id: string): Uint8Array => canonicalBytes({ type: 'note.added', id });
const trailAt = (path: string, origin = 'test/notes'): AuditTrail => AuditTrail.open(path, { origin, signer, checkpointIntervalMs: 0 });
const entries = (t: AuditTrail): string[] => Array.from({ length: t.size }, (_, i) => utf8Decode(t.entryBytes(i)));

/** A sink that fails its first `failures` appends (a crash between commit and append, in process). */
class FlakySink implements AuditSink {
  failures: number;
  readonly inner: AuditTrail;
  constructor(inner: AuditTrail, failures: number) {
    this.inner = inner;
    this.failures = failures;
  }
  get appliedBatch(): number {
    return this.inner.appliedBatch;
  }
  appendBatch(records: readonly Uint8Array[], batch: number): void {
    if (this.failures-- > 0) throw new Error('disk gone');
    this.inner.appendBatch(records, batch);
  }
  recover(batches: readonly StagedBatch[]): number {
    let n = 0;
    for (const b of batches) if (b.batch > this.appliedBatch) (this.appendBatch(b.records, b.batch), n++);
    return n;
  }
  setPendingDrain(drain: () => void): void {
    this.inner.setPendingDrain(drain);
  }
}

describe('DurableStore', () => {
  it('groups the operations of one event-loop turn into one transaction and one trail batch', async () => {
    const store = NotesStore.open(':memory:');
    const trail = trailAt(':memory:');
    store.attachAudit(trail);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.add(`a${i}`, 'x', ev(`a${i}`))));
    expect(store.count()).toBe(50);
    expect(trail.size).toBe(50);
    expect(trail.appliedBatch).toBe(1);
    await store.add('b', 'y', ev('b'));
    expect(trail.appliedBatch).toBe(2);
    expect(entries(trail).at(-1)).toBe('{"id":"b","type":"note.added"}');
    // applied batches are cleared lazily, inside the next commit's transaction
    expect(store.stagedBatches().map((b) => b.batch)).toEqual([2]);
    await store.close();
    await trail.close();
  });

  it('an operation that throws rolls back alone: its writes and records vanish, the others commit', async () => {
    const store = NotesStore.open(':memory:');
    const trail = trailAt(':memory:');
    store.attachAudit(trail);
    const results = await Promise.allSettled([
      store.add('ok1', 'x', ev('ok1')),
      store.add('ok1', 'dup', ev('dup')), // UNIQUE violation inside the savepoint
      store.add('ok2', 'x', ev('ok2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(store.ids()).toEqual(['ok1', 'ok2']);
    expect(entries(trail)).toEqual(['{"id":"ok1","type":"note.added"}', '{"id":"ok2","type":"note.added"}']);
    await store.close();
    await trail.close();
  });

  it('a commit that resolved is durable: reopened from disk, state and trail both hold it', async () => {
    const sp = join(dir, 'durable.db');
    const lp = join(dir, 'durable-log.db');
    let store = NotesStore.open(sp);
    let trail = trailAt(lp);
    store.attachAudit(trail);
    await store.add('d1', 'x', ev('d1'));
    await store.close();
    await trail.close();
    store = NotesStore.open(sp);
    trail = trailAt(lp);
    expect(store.attachAudit(trail)).toBe(0);
    expect(store.ids()).toEqual(['d1']);
    expect(entries(trail)).toEqual(['{"id":"d1","type":"note.added"}']);
    await store.close();
    await trail.close();
  });

  it('records staged when the trail append failed are appended once, by the next commit or the next open', async () => {
    const sp = join(dir, 'flaky.db');
    const lp = join(dir, 'flaky-log.db');
    let store = NotesStore.open(sp);
    let trail = trailAt(lp);
    store.attachAudit(new FlakySink(trail, 1));
    await store.add('f1', 'x', ev('f1')); // state committed, append failed: staged
    expect(trail.size).toBe(0);
    expect(store.stagedBatches()).toHaveLength(1);
    await store.add('f2', 'x', ev('f2')); // drains f1's batch first, then its own
    expect(entries(trail)).toEqual(['{"id":"f1","type":"note.added"}', '{"id":"f2","type":"note.added"}']);

    store.attachAudit(new FlakySink(trail, 1));
    await store.add('f3', 'x', ev('f3')); // staged again, then the process "crashes"
    await store.close();
    await trail.close();
    store = NotesStore.open(sp);
    trail = trailAt(lp);
    expect(store.attachAudit(trail)).toBe(1);
    expect(store.attachAudit(trail)).toBe(0); // recovery is idempotent
    expect(entries(trail)).toEqual(['{"id":"f1","type":"note.added"}', '{"id":"f2","type":"note.added"}', '{"id":"f3","type":"note.added"}']);
    await store.add('f4', 'x', ev('f4'));
    expect(trail.size).toBe(4);
    expect(store.ids()).toEqual(['f1', 'f2', 'f3', 'f4']);
    await store.close();
    await trail.close();
  });

  it('loses no acknowledged commit and appends no record twice when the writer is killed with SIGKILL', async () => {
    const d = mkdtempSync(join(dir, 'crash-'));
    const writer = fileURLToPath(new URL('./_outbox-writer.ts', import.meta.url));
    const acked = await runUntilKilled(writer, [d], 400);
    const store = NotesStore.open(join(d, 'notes.db'));
    const trail = trailAt(join(d, 'log.db'), 'test/outbox-crash');
    store.attachAudit(trail);
    const ids = store.ids();
    for (const id of acked) expect(ids).toContain(id);
    // every committed note has exactly one audit entry, in commit order
    expect(entries(trail)).toEqual(ids.map((id) => utf8Decode(ev(id))));
    await store.close();
    await trail.close();
  }, 60_000);

  it('acknowledges a commit once its transaction is durable; its records reach the trail within AUDIT_DRAIN_DELAY_MS, or at once when the trail is read', async () => {
    const store = NotesStore.open(':memory:');
    const trail = trailAt(':memory:');
    // A sink that does not hand the drain to the trail: reads then show the lag.
    const lagging: AuditSink = { get appliedBatch() { return trail.appliedBatch; }, appendBatch: (r, b) => trail.appendBatch(r, b), recover: (b) => trail.recover(b) };
    store.attachAudit(lagging);
    await store.add('l1', 'x', ev('l1'));
    await store.add('l2', 'x', ev('l2'));
    expect(store.ids()).toEqual(['l1', 'l2']);
    expect(trail.size).toBe(0);
    expect(store.stagedBatches().map((b) => b.batch)).toEqual([1, 2]);
    await new Promise((r) => setTimeout(r, 4 * AUDIT_DRAIN_DELAY_MS));
    expect(entries(trail)).toEqual(['{"id":"l1","type":"note.added"}', '{"id":"l2","type":"note.added"}']);
    expect(trail.appliedBatch).toBe(2);
    store.attachAudit(trail); // hands the drain over: now a read appends first
    await store.add('l3', 'x', ev('l3'));
    expect(entries(trail).at(-1)).toBe('{"id":"l3","type":"note.added"}');
    await store.add('l4', 'x', ev('l4'));
    await store.close(); // close appends what is pending
    expect(trail.appliedBatch).toBe(4);
    await trail.close();
  });

  it("the timer's drain flushes the trail off the event loop and clears the outbox only once that flush completed", async () => {
    const store = NotesStore.open(':memory:');
    const trail = trailAt(':memory:');
    let held: (() => void) | undefined;
    // A sink whose flush completes only when the test says so (a slow disk).
    const slow: AuditSink = {
      get appliedBatch() { return trail.appliedBatch; },
      appendBatch: (r, b) => trail.appendBatch(r, b),
      recover: (b) => trail.recover(b),
      recoverLater: (b, done) => trail.recoverLater(b, (error, applied) => { held = () => done(error, applied); }),
    };
    store.attachAudit(slow);
    await store.add('d1', 'x', ev('d1'));
    await new Promise((r) => setTimeout(r, 3 * AUDIT_DRAIN_DELAY_MS));
    expect(entries(trail)).toEqual(['{"id":"d1","type":"note.added"}']); // appended (committed) …
    await store.add('d2', 'x', ev('d2'));
    expect(store.stagedBatches().map((b) => b.batch)).toEqual([1, 2]); // … but kept staged: not known durable yet
    held!();
    await store.add('d3', 'x', ev('d3'));
    expect(store.stagedBatches().map((b) => b.batch)).toEqual([2, 3]); // batch 1 cleared after its flush
    await store.close();
    expect(trail.appliedBatch).toBe(3);
    await trail.close();
  });

  it('a trail on disk appended with deferred flushes reopens with every batch (recoverLater, then close)', async () => {
    const path = join(dir, 'deferred-log.db');
    const trail = trailAt(path, 'test/deferred');
    const flushed = await new Promise<number>((resolve, reject) => {
      trail.recoverLater([{ batch: 1, records: [ev('f1')] }, { batch: 2, records: [ev('f2')] }], (error, applied) => (error === null ? resolve(applied) : reject(error)));
    });
    expect(flushed).toBe(2);
    await trail.close();
    const again = trailAt(path, 'test/deferred');
    expect(again.appliedBatch).toBe(2);
    expect(entries(again)).toEqual(['{"id":"f1","type":"note.added"}', '{"id":"f2","type":"note.added"}']);
    await again.close();
  });

  it('a lazy commit rides in the transaction of the next commit, or commits alone after LAZY_COMMIT_MS; order is kept', async () => {
    const store = NotesStore.open(':memory:');
    const trail = trailAt(':memory:');
    store.attachAudit(trail);
    let settled = false;
    const lazy = store.commit(() => 'lazy', [ev('lazy')], { lazy: true }).then((v) => { settled = true; return v; });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect([settled, store.pending]).toEqual([false, 1]); // no flush of its own
    await new Promise((r) => setTimeout(r, 2)); // a later turn: the next commit carries it
    await store.add('n1', 'x', ev('n1'));
    expect(await lazy).toBe('lazy');
    expect(trail.size).toBe(2);
    expect(trail.appliedBatch).toBe(1); // one transaction, one trail batch: lazy first, then n1
    expect(entries(trail)).toEqual(['{"id":"lazy","type":"note.added"}', '{"id":"n1","type":"note.added"}']);
    // Alone, it commits once the timer fires.
    const t0 = performance.now();
    await store.commit(() => undefined, [ev('alone')], { lazy: true });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(LAZY_COMMIT_MS - 2);
    expect(store.pending).toBe(0);
    // A lazy nonce (replayGuard({ lazy: true })) waits for the request's own commit too.
    const now = Date.now();
    const r = store.replayGuard({ lazy: true }).reserve('d'.repeat(32), now + 60_000, now);
    expect(r.refused).toBeNull();
    expect(store.pending).toBe(1);
    expect(store.replayGuard().reserve('d'.repeat(32), now + 60_000, now)).toEqual({ refused: 'replay' });
    await store.add('n2', 'y');
    await (r as { durable: Promise<void> }).durable;
    expect(store.pending).toBe(0);
    await store.close();
    await trail.close();
  });

  it('a durable replay guard refuses a replay at once — before the nonce is written — and after a reopen', async () => {
    const path = join(dir, 'nonces.db');
    let store = NotesStore.open(path);
    const now = Date.now();
    const guard = store.replayGuard();
    const first = guard.reserve('a'.repeat(32), now + 60_000, now);
    expect(first.refused).toBeNull();
    expect(guard.reserve('a'.repeat(32), now + 60_000, now)).toEqual({ refused: 'replay' }); // still queued
    expect(store.pending).toBe(1);
    await (first as { durable: Promise<void> }).durable;
    expect(guard.reserve('a'.repeat(32), now + 60_000, now)).toEqual({ refused: 'replay' }); // on disk
    expect(await guard.add('b'.repeat(32), now + 60_000, now)).toBeNull();
    expect(await guard.add('b'.repeat(32), now + 60_000, now)).toBe('replay');
    // an expired nonce may be used again
    expect(await guard.add('c'.repeat(32), now - 1, now - 60_000)).toBeNull();
    expect(await guard.add('c'.repeat(32), now + 60_000, now)).toBeNull();
    await store.close();
    store = NotesStore.open(path);
    expect(store.replayGuard().reserve('a'.repeat(32), now + 60_000, now)).toEqual({ refused: 'replay' });
    expect(await store.replayGuard().add('b'.repeat(32), now + 60_000, now)).toBe('replay');
    await store.close();
  });

  it('a nonce that cannot be written rolls back its whole group and stops the store (no state change outlives a lost nonce)', async () => {
    class Breakable extends NotesStore {
      static openBreakable(): Breakable {
        return new (Breakable as unknown as new (db: unknown) => Breakable)(DurableStore.openDatabase(':memory:', { what: 'notes store', migrations: ['CREATE TABLE notes (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL) STRICT'] }));
      }
      breakNonces(): void {
        this.db.exec("CREATE TRIGGER no_nonces BEFORE INSERT ON _nonces BEGIN SELECT RAISE(ABORT, 'disk gone'); END");
      }
    }
    const store = Breakable.openBreakable();
    await store.add('before', 'x');
    store.breakNonces();
    const now = Date.now();
    const r = store.replayGuard().reserve('d'.repeat(32), now + 60_000, now) as { refused: null; durable: Promise<void> };
    const effect = store.add('after-nonce', 'x'); // the request's own write, queued behind its nonce
    await expect(r.durable).rejects.toThrow(/disk gone/);
    await expect(effect).rejects.toThrow(/disk gone/);
    expect(store.ids()).toEqual(['before']);
    await expect(store.add('later', 'x')).rejects.toSatisfy((e) => isQuorumkitError(e, 'ERR_INTERNAL') && /stopped/.test((e as Error).message));
    expect(store.replayGuard().reserve('d'.repeat(32), now + 60_000, now)).toEqual({ refused: 'replay' }); // never forgotten in process
    await store.close();
  });

  it('transaction() first commits what is queued, so its writes never precede a nonce reserved earlier', async () => {
    const store = NotesStore.open(':memory:');
    const now = Date.now();
    const r = store.replayGuard().reserve('e'.repeat(32), now + 60_000, now) as { refused: null; durable: Promise<void> };
    expect(store.pending).toBe(1);
    store.transaction(() => undefined);
    expect(store.pending).toBe(0);
    await r.durable;
    await store.close();
  });

  it('refuses records without an attached trail, and commits after close', async () => {
    const store = NotesStore.open(':memory:');
    await expect(store.add('x', 'y', ev('x'))).rejects.toSatisfy((e) => isQuorumkitError(e, 'ERR_INTERNAL'));
    await store.add('plain', 'no records');
    expect(store.ids()).toEqual(['plain']);
    await store.close();
    await expect(store.add('late', 'y')).rejects.toThrow(/closed/);
  });

  it('transaction() is re-entrant and rolls back on throw; statements are prepared once', () => {
    class Probe extends NotesStore {
      same(): boolean {
        return this.statement('SELECT 1') === this.statement('SELECT 1');
      }
      nested(fail: boolean): void {
        this.transaction(() => {
          this.statement("INSERT INTO notes (id, body) VALUES ('outer', '')").run();
          this.transaction(() => this.statement("INSERT INTO notes (id, body) VALUES ('inner', '')").run());
          if (fail) throw new Error('abort');
        });
      }
    }
    const p = DurableStore.openDatabase(':memory:', { what: 'probe', migrations: ['CREATE TABLE notes (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL) STRICT'] });
    const probe = new (Probe as unknown as new (db: typeof p) => Probe)(p);
    expect(probe.same()).toBe(true);
    expect(() => probe.nested(true)).toThrow('abort');
    expect(probe.ids()).toEqual([]);
    probe.nested(false);
    expect(probe.ids()).toEqual(['outer', 'inner']);
    probe.close();
  });

  it('openDatabase refuses a newer schema with ERR_IO and closes the file', () => {
    const path = join(dir, 'newer.db');
    DurableStore.openDatabase(path, { what: 'notes store', migrations: ['CREATE TABLE a (k INTEGER)', 'CREATE TABLE b (k INTEGER)'] }).close();
    let err: unknown;
    try {
      NotesStore.open(path);
    } catch (e) {
      err = e;
    }
    expect(isQuorumkitError(err, 'ERR_IO')).toBe(true);
    expect((err as Error).message).toMatch(/notes store .* schema version 2, newer/);
  });
});
