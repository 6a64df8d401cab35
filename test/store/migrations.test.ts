// Forward-only schema migrations on PRAGMA user_version: new databases get every step, old ones the
// missing steps, a newer or unversioned database is refused before anything is written.
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isQuorumkitError } from '../../src/core/errors.js';
import { migrate, schemaVersion } from '../../src/store/migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const V1 = 'CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT';
const V2 = 'ALTER TABLE t ADD COLUMN w TEXT';
const opts = (path: string) => ({ what: 'test store', path });

describe('migrate', () => {
  it('takes a new database through every step and a version-1 database through the rest', () => {
    const path = join(dir, 'a.db');
    let db = new DatabaseSync(path);
    expect(migrate(db, [V1], opts(path))).toBe(0);
    expect(schemaVersion(db)).toBe(1);
    db.prepare('INSERT INTO t (v) VALUES (?)').run('kept');
    db.close();
    db = new DatabaseSync(path);
    expect(migrate(db, [V1, V2], opts(path))).toBe(1);
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT v, w FROM t').all()).toEqual([{ v: 'kept', w: null }]);
    expect(migrate(db, [V1, V2], opts(path))).toBe(2); // idempotent at the latest version
    db.close();
  });

  it('refuses a database from a newer quorumkit and writes nothing', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, [V1, V2], opts(':memory:'));
    let err: unknown;
    try {
      migrate(db, [V1], opts(':memory:'));
    } catch (e) {
      err = e;
    }
    expect(isQuorumkitError(err, 'ERR_IO')).toBe(true);
    expect((err as Error).message).toMatch(/schema version 2, newer than this quorumkit knows \(1\)/);
    expect(schemaVersion(db)).toBe(2);
  });

  it('refuses an unversioned database with tables, or adopts it when told to', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT');
    expect(() => migrate(db, [V1], opts(':memory:'))).toThrow(/without schema versions/);
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db, ['CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT'], { ...opts(':memory:'), unversioned: 'adopt' })).toBe(0);
    expect(schemaVersion(db)).toBe(1);
  });

  it('rolls a failing step back whole, leaving the previous version', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, [V1], opts(':memory:'));
    expect(() => migrate(db, [V1, (d) => { d.exec(V2); throw new Error('step failed'); }], opts(':memory:'))).toThrow('step failed');
    expect(schemaVersion(db)).toBe(1);
    expect((db.prepare('PRAGMA table_info(t)').all() as { name: string }[]).map((c) => c.name)).toEqual(['k', 'v']);
  });

  it('refuses an empty migration list', () => {
    expect(() => migrate(new DatabaseSync(':memory:'), [], opts(':memory:'))).toThrow(RangeError);
  });
});
