// The coordinator's durable state (node:sqlite, src/store): packages and their status, the distinct
// custodians' approvals, per-(program, identity) spending, the Beaver-triple lots the dealer
// delivered and how far each has been allocated, the pinned custodian key cards, and QuorumVM's
// hash-chained audit log (quorumvm/coordinator/audit.py) beside the transparency log. Allocation
// advances a lot's cursor synchronously and commits it in the evaluation's first group commit, so
// this process never hands a range out twice; across a crash the custodians' durable reservations
// refuse any range handed out again (CoordinatorService.eval gives the argument). Holds no share,
// input or output.
// Node-only.

import { DurableStore } from '../../store/durable-store.js';

const MIGRATIONS = [
  `CREATE TABLE programs (program_id TEXT PRIMARY KEY, package TEXT NOT NULL, status TEXT NOT NULL, extraction_bound TEXT, installed_by TEXT NOT NULL) STRICT;
   CREATE TABLE approvals (program_id TEXT NOT NULL, custodian TEXT NOT NULL, custodian_index INTEGER NOT NULL, envelope TEXT NOT NULL, PRIMARY KEY (program_id, custodian)) STRICT;
   CREATE TABLE spending (program_id TEXT NOT NULL, identity TEXT NOT NULL, spent INTEGER NOT NULL, evals INTEGER NOT NULL, PRIMARY KEY (program_id, identity)) STRICT;
   CREATE TABLE lots (program_id TEXT NOT NULL, lot_id TEXT NOT NULL, seq INTEGER NOT NULL, count INTEGER NOT NULL, next_offset INTEGER NOT NULL, holders TEXT NOT NULL, PRIMARY KEY (program_id, lot_id)) STRICT;
   CREATE TABLE custodians (custodian_index INTEGER PRIMARY KEY, url TEXT NOT NULL, did TEXT NOT NULL, key_card TEXT NOT NULL) STRICT;
   CREATE TABLE audit_chain (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL) STRICT;`,
  // Rotation (reshare-run.ts): a program's custodian set once it differs from the configured one
  // (no rows: the configured custodians), and the custodians rotated in beyond the configuration.
  `CREATE TABLE members (program_id TEXT NOT NULL, custodian_index INTEGER NOT NULL, x TEXT NOT NULL, PRIMARY KEY (program_id, custodian_index)) STRICT;
   CREATE TABLE enrolled_custodians (custodian_index INTEGER PRIMARY KEY, url TEXT NOT NULL) STRICT;`,
];

/** A program row. */
export interface CoordinatorProgram {
  readonly programId: string;
  readonly packageJson: string;
  readonly status: 'PENDING' | 'ACTIVE';
  readonly extractionBound: bigint | null;
}

/** A lot row. */
export interface LotRow {
  readonly lotId: string;
  readonly count: number;
  readonly nextOffset: number;
  /** Custodian indices holding the lot. */
  readonly holders: readonly number[];
}

/** The coordinator's store. */
export class CoordinatorStore extends DurableStore {
  /** Opens (creating or migrating) the store at `path`. */
  static open(path: string): CoordinatorStore {
    return new CoordinatorStore(DurableStore.openDatabase(path, { what: 'MPC coordinator store', migrations: MIGRATIONS }));
  }

  /** A program row, or undefined. */
  program(programId: string): CoordinatorProgram | undefined {
    const r = this.statement('SELECT package, status, extraction_bound FROM programs WHERE program_id = ?').get(programId) as { package: string; status: 'PENDING' | 'ACTIVE'; extraction_bound: string | null } | undefined;
    return r && { programId, packageJson: r.package, status: r.status, extractionBound: r.extraction_bound === null ? null : BigInt(r.extraction_bound) };
  }

  /** Inserts a program (write). */
  putProgram(p: CoordinatorProgram, installedBy: string): void {
    this.statement('INSERT INTO programs (program_id, package, status, extraction_bound, installed_by) VALUES (?, ?, ?, ?, ?)').run(p.programId, p.packageJson, p.status, p.extractionBound === null ? null : p.extractionBound.toString(), installedBy);
  }

  /** Sets a program's status (write). */
  setStatus(programId: string, status: 'PENDING' | 'ACTIVE'): void {
    this.statement('UPDATE programs SET status = ? WHERE program_id = ?').run(status, programId);
  }

  /** The distinct custodians' approvals of a program, by index. */
  approvals(programId: string): { custodian: string; index: number }[] {
    return (this.statement('SELECT custodian, custodian_index FROM approvals WHERE program_id = ? ORDER BY custodian_index').all(programId) as { custodian: string; custodian_index: number }[])
      .map((r) => ({ custodian: r.custodian, index: Number(r.custodian_index) }));
  }

  /** Records an approval; false when this custodian already approved (distinct custodians count once). */
  addApproval(programId: string, custodian: string, index: number, envelope: string): boolean {
    return this.statement('INSERT INTO approvals (program_id, custodian, custodian_index, envelope) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(programId, custodian, index, envelope).changes > 0;
  }

  /** Budget spent and evaluations run by an identity on a program. */
  spending(programId: string, identity: string): { spent: number; evals: number } {
    const r = this.statement('SELECT spent, evals FROM spending WHERE program_id = ? AND identity = ?').get(programId, identity) as { spent: number; evals: number } | undefined;
    return r ? { spent: Number(r.spent), evals: Number(r.evals) } : { spent: 0, evals: 0 };
  }

  /** Evaluations of a program by every identity together. */
  totalEvals(programId: string): number {
    return Number((this.statement('SELECT COALESCE(SUM(evals), 0) AS n FROM spending WHERE program_id = ?').get(programId) as { n: number }).n);
  }

  /** Adds to an identity's spending (write). */
  addSpending(programId: string, identity: string, cost: number, evals: number): void {
    this.statement('INSERT INTO spending (program_id, identity, spent, evals) VALUES (?, ?, ?, ?) ON CONFLICT (program_id, identity) DO UPDATE SET spent = spent + excluded.spent, evals = evals + excluded.evals').run(programId, identity, cost, evals);
  }

  /** A program's triple lots, oldest first. */
  lots(programId: string): LotRow[] {
    return (this.statement('SELECT lot_id, count, next_offset, holders FROM lots WHERE program_id = ? ORDER BY seq').all(programId) as { lot_id: string; count: number; next_offset: number; holders: string }[])
      .map((r) => ({ lotId: r.lot_id, count: Number(r.count), nextOffset: Number(r.next_offset), holders: r.holders.split(',').filter((s) => s !== '').map(Number) }));
  }

  /** Records a delivered lot with its holders (write). */
  addLot(programId: string, lotId: string, count: number, holders: readonly number[]): void {
    const seq = Number((this.statement('SELECT COALESCE(MAX(seq), 0) + 1 AS s FROM lots WHERE program_id = ?').get(programId) as { s: number }).s);
    this.statement('INSERT INTO lots (program_id, lot_id, seq, count, next_offset, holders) VALUES (?, ?, ?, ?, 0, ?)').run(programId, lotId, seq, count, holders.join(','));
  }

  /** Advances a lot's allocation cursor (write; the caller checked the range is free). */
  advanceLot(programId: string, lotId: string, nextOffset: number): void {
    this.statement('UPDATE lots SET next_offset = ? WHERE program_id = ? AND lot_id = ?').run(nextOffset, programId, lotId);
  }

  /** The pinned custodian key cards. */
  custodianCards(): { index: number; url: string; did: string; keyCard: string }[] {
    return (this.statement('SELECT custodian_index, url, did, key_card FROM custodians ORDER BY custodian_index').all() as { custodian_index: number; url: string; did: string; key_card: string }[])
      .map((r) => ({ index: Number(r.custodian_index), url: r.url, did: r.did, keyCard: r.key_card }));
  }

  /** Pins a custodian's key card (write). */
  pinCustodian(index: number, url: string, did: string, keyCard: string): void {
    this.statement('INSERT INTO custodians (custodian_index, url, did, key_card) VALUES (?, ?, ?, ?) ON CONFLICT (custodian_index) DO UPDATE SET url = excluded.url, key_card = excluded.key_card').run(index, url, did, keyCard);
  }

  /** A program's custodian set (index and abscissa), or undefined while it is the configured set. */
  members(programId: string): { index: number; x: bigint }[] | undefined {
    const rows = this.statement('SELECT custodian_index, x FROM members WHERE program_id = ? ORDER BY custodian_index').all(programId) as { custodian_index: number; x: string }[];
    return rows.length === 0 ? undefined : rows.map((r) => ({ index: Number(r.custodian_index), x: BigInt(r.x) }));
  }

  /** Replaces a program's custodian set (write; at least one member). */
  setMembers(programId: string, members: readonly { index: number; x: bigint }[]): void {
    this.statement('DELETE FROM members WHERE program_id = ?').run(programId);
    for (const m of members) this.statement('INSERT INTO members (program_id, custodian_index, x) VALUES (?, ?, ?)').run(programId, m.index, m.x.toString());
  }

  /** Custodians rotated in beyond the configured ones. */
  enrolledCustodians(): { index: number; url: string }[] {
    return (this.statement('SELECT custodian_index, url FROM enrolled_custodians ORDER BY custodian_index').all() as { custodian_index: number; url: string }[]).map((r) => ({ index: Number(r.custodian_index), url: r.url }));
  }

  /** Records a rotated-in custodian (write). */
  enrollCustodian(index: number, url: string): void {
    this.statement('INSERT INTO enrolled_custodians (custodian_index, url) VALUES (?, ?) ON CONFLICT (custodian_index) DO UPDATE SET url = excluded.url').run(index, url);
  }

  /** The QuorumVM audit chain entries (JSON), oldest first. */
  auditEntries(): string[] {
    return (this.statement('SELECT entry FROM audit_chain ORDER BY seq').all() as { entry: string }[]).map((r) => r.entry);
  }

  /** The newest audit chain entry (JSON), or undefined. */
  lastAuditEntry(): string | undefined {
    return (this.statement('SELECT entry FROM audit_chain ORDER BY seq DESC LIMIT 1').get() as { entry: string } | undefined)?.entry;
  }

  /** Appends an audit chain entry (write). */
  appendAudit(entry: string): void {
    this.statement('INSERT INTO audit_chain (entry) VALUES (?)').run(entry);
  }
}
