// openServiceFiles: lock + store + trail opened together, the outbox attached, everything closed
// and the lock released on close and on a failed open.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../src/core/canonical-json.js';
import { openServiceFiles } from '../../src/log/service-files.js';
import { Identity } from '../../src/pq/identity.js';
import { DurableStore } from '../../src/store/durable-store.js';

class NoteStore extends DurableStore {
  static open(path: string): NoteStore {
    return new NoteStore(DurableStore.openDatabase(path, { what: 'note store', migrations: ['CREATE TABLE notes (id TEXT PRIMARY KEY) STRICT'] }));
  }
  add(id: string): Promise<void> {
    return this.commit(() => { this.statement('INSERT INTO notes (id) VALUES (?)').run(id); }, [canonicalBytes({ type: 'note', id })]);
  }
}

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('openServiceFiles', () => {
  it('opens store and trail in the data dir, holds its lock, and releases it on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qk-files-'));
    dirs.push(dir);
    const signer = await Identity.create('svc');
    const opts = { database: 'notes.db', openStore: NoteStore.open, origin: 'test/notes', signer };
    const files = await openServiceFiles(dir, opts);
    await files.store.add('a');
    expect(files.trail.size).toBe(1);
    await expect(openServiceFiles(dir, opts)).rejects.toThrow(/is in use/);
    await files.close();
    const again = await openServiceFiles(dir, opts);
    expect(again.trail.size).toBe(1);
    await again.close();
  });

  it('releases the lock when the store cannot open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qk-files-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'notes.db'), 'not a database');
    const signer = await Identity.create('svc');
    const opts = { database: 'notes.db', openStore: NoteStore.open, origin: 'test/notes', signer };
    await expect(openServiceFiles(dir, opts)).rejects.toThrow();
    rmSync(join(dir, 'notes.db'));
    const files = await openServiceFiles(dir, opts);
    await files.close();
  });

  it('keeps everything in memory for :memory:', async () => {
    const files = await openServiceFiles(':memory:', { database: 'x.db', openStore: NoteStore.open, origin: 'test/notes', signer: await Identity.create('svc') });
    expect(files.lock).toBeNull();
    await files.store.add('b');
    await files.close();
  });
});
