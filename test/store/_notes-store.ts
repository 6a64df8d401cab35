// A minimal store on DurableStore, used by the store tests (the shape docs/new-service.md shows).
import { DurableStore } from '../../src/store/durable-store.js';

export class NotesStore extends DurableStore {
  static open(path: string): NotesStore {
    return new NotesStore(DurableStore.openDatabase(path, { what: 'notes store', migrations: ['CREATE TABLE notes (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL) STRICT'] }));
  }

  add(id: string, body: string, event?: Uint8Array): Promise<void> {
    return this.commit(() => {
      this.statement('INSERT INTO notes (id, body) VALUES (?, ?)').run(id, body);
    }, event ? [event] : []);
  }

  ids(): string[] {
    return (this.statement('SELECT id FROM notes ORDER BY seq').all() as { id: string }[]).map((r) => r.id);
  }

  count(): number {
    return Number((this.statement('SELECT COUNT(*) AS n FROM notes').get() as { n: number }).n);
  }
}
