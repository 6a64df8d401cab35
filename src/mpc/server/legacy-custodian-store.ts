// A `--legacy` custodian's durable state (node:sqlite, src/store): installed packages, its share
// (x, y) of QuorumVM's program secret S_v, and its Beaver-triple shares in QuorumVM's layout — a
// FIFO pool per multiplication node (quorumvm/custodian/app.py `beaver_pools`), each entry tagged
// with the lot it came in and its position there, and marked with the evaluation that used it. The
// service takes entries synchronously from its in-memory view of the pool and commits the marks
// before any answer computed from them leaves, so an entry is used at most once, also across
// restarts. Shares are packed 16-byte elements. Node-only.

import { DurableStore } from '../../store/durable-store.js';

const MIGRATIONS = [
  `CREATE TABLE programs (program_id TEXT PRIMARY KEY, package TEXT NOT NULL, installed_at TEXT NOT NULL) STRICT;
   CREATE TABLE shares (program_id TEXT PRIMARY KEY, x TEXT NOT NULL, y BLOB NOT NULL) STRICT;
   CREATE TABLE triples (program_id TEXT NOT NULL, node_id TEXT NOT NULL, seq INTEGER NOT NULL, lot_id TEXT NOT NULL, pos INTEGER NOT NULL, abc BLOB NOT NULL, used_by TEXT,
     PRIMARY KEY (program_id, node_id, seq)) STRICT;
   CREATE UNIQUE INDEX triples_by_lot ON triples (program_id, lot_id, node_id, pos);`,
];

/** One pool entry's bookkeeping (its shares stay in the database until used). */
export interface PoolEntryRow {
  readonly nodeId: string;
  readonly seq: number;
  readonly lotId: string;
  readonly pos: number;
  readonly used: boolean;
}

/** The legacy custodian's store. */
export class LegacyCustodianStore extends DurableStore {
  /** Opens (creating or migrating) the store at `path` (`:memory:` for tests). */
  static open(path: string): LegacyCustodianStore {
    return new LegacyCustodianStore(DurableStore.openDatabase(path, { what: 'MPC legacy custodian store', migrations: MIGRATIONS }));
  }

  /** The package's canonical JSON text, or undefined. */
  program(programId: string): string | undefined {
    return (this.statement('SELECT package FROM programs WHERE program_id = ?').get(programId) as { package: string } | undefined)?.package;
  }

  /** Stores a package (write). */
  putProgram(programId: string, packageJson: string, installedAt: string): void {
    this.statement('INSERT INTO programs (program_id, package, installed_at) VALUES (?, ?, ?) ON CONFLICT (program_id) DO NOTHING').run(programId, packageJson, installedAt);
  }

  /** This custodian's share of the program secret: its x and the packed y. */
  share(programId: string): { x: bigint; y: Uint8Array } | undefined {
    const r = this.statement('SELECT x, y FROM shares WHERE program_id = ?').get(programId) as { x: string; y: Uint8Array } | undefined;
    return r && { x: BigInt(r.x), y: new Uint8Array(r.y) };
  }

  /** Sets the share (write). */
  putShare(programId: string, x: bigint, y: Uint8Array): void {
    this.statement('INSERT INTO shares (program_id, x, y) VALUES (?, ?, ?) ON CONFLICT (program_id) DO UPDATE SET x = excluded.x, y = excluded.y').run(programId, x.toString(), y);
  }

  /** The pool entries of a program, per node in FIFO order. */
  poolEntries(programId: string): PoolEntryRow[] {
    return (this.statement('SELECT node_id, seq, lot_id, pos, used_by FROM triples WHERE program_id = ? ORDER BY node_id, seq').all(programId) as { node_id: string; seq: number; lot_id: string; pos: number; used_by: string | null }[])
      .map((r) => ({ nodeId: r.node_id, seq: Number(r.seq), lotId: r.lot_id, pos: Number(r.pos), used: r.used_by !== null }));
  }

  /** A lot is already installed. */
  hasLot(programId: string, lotId: string): boolean {
    return this.statement('SELECT 1 AS one FROM triples WHERE program_id = ? AND lot_id = ? LIMIT 1').get(programId, lotId) !== undefined;
  }

  /** An entry's packed shares a ‖ b ‖ c (48 bytes). */
  entryShares(programId: string, nodeId: string, seq: number): Uint8Array {
    const r = this.statement('SELECT abc FROM triples WHERE program_id = ? AND node_id = ? AND seq = ?').get(programId, nodeId, seq) as { abc: Uint8Array };
    return new Uint8Array(r.abc);
  }

  /** Appends entries to the pools (write). */
  addEntries(programId: string, rows: readonly { nodeId: string; seq: number; lotId: string; pos: number; abc: Uint8Array }[]): void {
    const insert = this.statement('INSERT INTO triples (program_id, node_id, seq, lot_id, pos, abc) VALUES (?, ?, ?, ?, ?, ?)');
    for (const r of rows) insert.run(programId, r.nodeId, r.seq, r.lotId, r.pos, r.abc);
  }

  /** Marks entries used by `requestId` and drops their shares' use from the pool (write). */
  markUsed(programId: string, entries: readonly { nodeId: string; seq: number }[], requestId: string): void {
    const mark = this.statement('UPDATE triples SET used_by = ? WHERE program_id = ? AND node_id = ? AND seq = ? AND used_by IS NULL');
    for (const e of entries) mark.run(requestId, programId, e.nodeId, e.seq);
  }

  /** Deletes everything held for a program (retirement); true when a share was held (write). */
  retire(programId: string): boolean {
    const had = this.statement('DELETE FROM shares WHERE program_id = ?').run(programId).changes > 0;
    this.statement('DELETE FROM triples WHERE program_id = ?').run(programId);
    this.statement('DELETE FROM programs WHERE program_id = ?').run(programId);
    return had;
  }
}
