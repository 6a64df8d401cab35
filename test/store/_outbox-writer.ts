// Child process for the outbox crash test: commits notes with one audit record each through a
// DurableStore + AuditTrail, printing each note id only after its commit() promise resolved (the
// state transaction is durable and the record is in the trail), until killed. Four commits per
// event-loop turn share one transaction (group commit).
import { canonicalBytes } from 'quorumkit/core';
import { AuditTrail } from 'quorumkit/log';
import { Identity } from 'quorumkit/pq';
import { DurableStore } from 'quorumkit/store';

class Notes extends DurableStore {
  static open(path: string): Notes {
    return new Notes(DurableStore.openDatabase(path, { what: 'notes store', migrations: ['CREATE TABLE notes (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL) STRICT'] }));
  }
  add(id: string, event: Uint8Array): Promise<void> {
    return this.commit(() => void this.statement('INSERT INTO notes (id, body) VALUES (?, ?)').run(id, ''), [event]);
  }
}

const [dir] = process.argv.slice(2);
const store = Notes.open(`${dir}/notes.db`);
const trail = AuditTrail.open(`${dir}/log.db`, { origin: 'test/outbox-crash', signer: await Identity.create('crash', { level: 44 }), checkpointIntervalMs: 5 });
store.attachAudit(trail);
for (let i = 0; ; i += 4) {
  await Promise.all(
    [0, 1, 2, 3].map(async (j) => {
      const id = `n${i + j}`;
      await store.add(id, canonicalBytes({ type: 'note.added', id }));
      process.stdout.write(`${id}\n`);
    }),
  );
}
