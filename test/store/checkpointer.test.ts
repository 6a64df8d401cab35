// Checkpointer and the store's commits on disk: a file-backed DurableStore checkpoints its WAL from
// a worker thread (its own connection never checkpoints inside a COMMIT), so the WAL stays bounded
// while the database file takes the rows, and everything committed is there after a reopen.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotesStore } from './_notes-store.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-checkpointer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class Probe extends NotesStore {
  static openProbe(path: string): Probe {
    return Object.setPrototypeOf(NotesStore.open(path), Probe.prototype) as Probe;
  }
  pragma(name: string): number {
    return Number(Object.values(this.db.prepare(`PRAGMA ${name}`).get() as Record<string, number>)[0]);
  }
}

const size = (f: string): number => (existsSync(f) ? statSync(f).size : 0);

describe('a file-backed store on disk', () => {
  it('commits without fsync or checkpoint on its own connection: flushed off-thread, checkpointed by a worker, WAL bounded', async () => {
    const path = join(dir, 'notes.db');
    const store = Probe.openProbe(path);
    expect(store.pragma('synchronous')).toBe(1); // NORMAL: the flush is WalSync's, after COMMIT
    expect(store.pragma('wal_autocheckpoint')).toBe(0); // checkpoints are the worker's
    const body = 'x'.repeat(4000);
    let n = 0;
    const burst = async (): Promise<void> => {
      for (let g = 0; g < 40; g++) await Promise.all(Array.from({ length: 50 }, () => store.add(`n${n++}`, body)));
    };
    // Waits until the database file holds `bytes` and stopped growing (the worker caught up).
    const copied = async (bytes: number): Promise<void> => {
      let last = -1;
      for (let i = 0; i < 200 && (size(path) < bytes || size(path) !== last); i++) {
        last = size(path);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await burst(); // ~8 MB committed: the worker copies it into the database file
    await copied(6_000_000);
    expect(size(path)).toBeGreaterThan(6_000_000);
    const wal = size(`${path}-wal`);
    await burst(); // another ~8 MB after the worker caught up: the WAL restarts from its start instead of doubling
    await copied(14_000_000);
    expect(size(path)).toBeGreaterThan(14_000_000);
    expect(size(`${path}-wal`)).toBeLessThan(wal * 1.5);
    expect(store.count()).toBe(4000);
    await store.close(); // the worker's last checkpoint is done: nothing touches the files after this
    const again = NotesStore.open(path);
    expect(again.count()).toBe(4000);
    await again.close();
    await again.close(); // closing twice settles too
    rmSync(dir, { recursive: true }); // would race a live checkpointer (ENOTEMPTY)
    expect(existsSync(dir)).toBe(false);
  }, 60_000);
});
