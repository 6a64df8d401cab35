// WalSync: a file-backed WAL database's commits are made durable by fdatasync on its WAL file, off
// the JavaScript thread (its connection runs synchronous=NORMAL, so COMMIT itself no longer waits
// for the disk); an in-memory database needs no flush and is answered at once.
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WalSync } from '../../src/store/_wal-sync.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-walsync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const synchronous = (db: DatabaseSync): number => Number((db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous);

describe('WalSync', () => {
  it('takes over the fsync of a file database: NORMAL commits, then a flush that calls back once done', async () => {
    const db = new DatabaseSync(join(dir, 'a.db'));
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (x INTEGER)');
    const wal = new WalSync(db);
    expect(synchronous(db)).toBe(1); // NORMAL
    db.exec('INSERT INTO t VALUES (1)');
    let sameTurn = true;
    const flushed = new Promise<Error | null>((resolve) => wal.sync(resolve));
    expect(wal.inFlight).toBe(true);
    sameTurn = false;
    expect(await flushed).toBeNull();
    expect(sameTurn).toBe(false);
    expect(wal.inFlight).toBe(false);
    wal.syncNow();
    wal.close();
    expect(await new Promise((resolve) => wal.sync(resolve))).toBeNull(); // closed: nothing left to flush
    db.close();
  });

  it('answers at once for an in-memory database and leaves its settings alone', () => {
    const db = new DatabaseSync(':memory:');
    const before = synchronous(db);
    const wal = new WalSync(db);
    let called = false;
    wal.sync((e) => {
      expect(e).toBeNull();
      called = true;
    });
    expect(called).toBe(true);
    expect(synchronous(db)).toBe(before);
    wal.syncNow();
    wal.close();
    db.close();
  });

  it('closes the WAL file only after a flush in flight completes', async () => {
    const db = new DatabaseSync(join(dir, 'b.db'));
    db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)');
    const wal = new WalSync(db);
    const flushed = new Promise<Error | null>((resolve) => wal.sync(resolve));
    wal.close();
    expect(await flushed).toBeNull();
    db.close();
  });
});
