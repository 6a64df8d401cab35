import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isQuorumkitError } from '../../src/core/errors.js';
import { inTransaction, openDurableDatabase } from '../../src/store/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SCHEMA = 'CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT NOT NULL);';

describe('openDurableDatabase', () => {
  it('opens a file database in WAL mode with full fsync and foreign keys, applying the schema idempotently', () => {
    const path = join(dir, 'a.db');
    for (let i = 0; i < 2; i++) {
      const db = openDurableDatabase(path, SCHEMA, 'test db');
      expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
      expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
      expect(db.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
      db.prepare('INSERT INTO t (v) VALUES (?)').run(`row ${i}`);
      db.close();
    }
    const db = openDurableDatabase(path, SCHEMA, 'test db');
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 2 });
    db.close();
  });

  it('fails with ERR_IO naming what and where', () => {
    for (const [path, schema] of [[join(dir, 'missing', 'dir', 'x.db'), SCHEMA], [':memory:', 'NOT SQL']] as const) {
      let err: unknown;
      try {
        openDurableDatabase(path, schema, 'test db');
      } catch (e) {
        err = e;
      }
      expect(isQuorumkitError(err, 'ERR_IO')).toBe(true);
      expect((err as Error).message).toContain(`cannot open test db ${path}`);
    }
  });
});

describe('inTransaction', () => {
  it('commits what the callback wrote and returns its value', () => {
    const db = openDurableDatabase(':memory:', SCHEMA, 'test db');
    expect(inTransaction(db, () => db.prepare('INSERT INTO t (v) VALUES (?)').run('a').changes)).toBe(1);
    expect(db.prepare('SELECT v FROM t').all()).toEqual([{ v: 'a' }]);
    db.close();
  });

  it('rolls everything back when the callback throws', () => {
    const db = openDurableDatabase(':memory:', SCHEMA, 'test db');
    expect(() =>
      inTransaction(db, () => {
        db.prepare('INSERT INTO t (v) VALUES (?)').run('lost');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    db.close();
  });
});
