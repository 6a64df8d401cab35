// A custodian's durable state (node:sqlite, src/store): installed program packages, this
// custodian's shares of each program's secret parameters, its approvals, the Beaver-triple lots the
// dealer delivered (packed share blobs) and which triple ranges were consumed — the latter checked
// and reserved synchronously (no await between check and reservation), so a triple is used at most
// once, ever, also across restarts and concurrent evaluations.
//
// Claims. Recording every evaluation's range before its answer leaves would cost one commit (an
// fsync) per evaluation. Instead a range that is not inside a claim of this process's life claims
// a window from its start in a commit that precedes any answer computed from it; later ranges
// inside the window are reserved in memory only. A lot's first window in a life is the range
// itself, each next one twice the last, up to TRIPLE_CLAIM_WINDOW triples (and never past the lot's
// end or the next range used or claimed). Whatever an earlier life claimed counts as used when the
// store opens (it may have been handed out before a crash), so a crash wastes at most the unused
// part of a lot's last window — no more than that lot used in the life, and at most
// TRIPLE_CLAIM_WINDOW — and never lets a triple be used twice; a clean close() writes the exact
// ranges used instead (settleClaims), wasting nothing. Node-only.

import { FIELD_ELEMENT_BYTES } from '../../field/constants.js';
import { DurableStore } from '../../store/durable-store.js';

const MIGRATIONS = [
  `CREATE TABLE programs (program_id TEXT PRIMARY KEY, package TEXT NOT NULL, owner TEXT NOT NULL, installed_at TEXT NOT NULL) STRICT;
   CREATE TABLE secret_shares (program_id TEXT PRIMARY KEY, x TEXT NOT NULL, shares BLOB NOT NULL) STRICT;
   CREATE TABLE approvals (program_id TEXT PRIMARY KEY, envelope TEXT NOT NULL) STRICT;
   CREATE TABLE triple_lots (program_id TEXT NOT NULL, lot_id TEXT NOT NULL, count INTEGER NOT NULL, a BLOB NOT NULL, b BLOB NOT NULL, c BLOB NOT NULL, PRIMARY KEY (program_id, lot_id)) STRICT;
   CREATE TABLE triples_used (program_id TEXT NOT NULL, lot_id TEXT NOT NULL, start INTEGER NOT NULL, count INTEGER NOT NULL, request_id TEXT NOT NULL) STRICT;
   CREATE INDEX triples_used_by_lot ON triples_used (program_id, lot_id, start);`,
  // Resharing (custodian-reshare.ts): a share epoch, bumped by every refresh, and the rounds — one
  // row per round id ever seen, so a replayed or duplicated round is refused — with the masks this
  // custodian keeps for the new custodians of a pending rotation round (each handed out once).
  `ALTER TABLE secret_shares ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE reshare_rounds (round_id TEXT PRIMARY KEY, program_id TEXT NOT NULL, base_epoch INTEGER NOT NULL, k INTEGER NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
   CREATE TABLE reshare_masks (round_id TEXT NOT NULL, target_x TEXT NOT NULL, mask BLOB NOT NULL, PRIMARY KEY (round_id, target_x)) STRICT;`,
  // Claims of triple windows (see the header): each one counts as used once its life ended.
  `CREATE TABLE triple_claims (program_id TEXT NOT NULL, lot_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL) STRICT;`,
];

/** Largest window one claim covers (see the header): at full size, one commit per this many triples. */
export const TRIPLE_CLAIM_WINDOW = 1024;

/** A stored package row. */
export interface StoredProgram {
  readonly programId: string;
  /** The package's canonical JSON text. */
  readonly packageJson: string;
  readonly owner: string;
}

/** A range of one lot's triples. */
export interface TripleRange {
  readonly lotId: string;
  readonly offset: number;
  readonly count: number;
}

/** One lot's packed triple shares. */
export interface TripleLot {
  readonly count: number;
  readonly a: Uint8Array;
  readonly b: Uint8Array;
  readonly c: Uint8Array;
}

/** Bytes of triple lots a custodian keeps in memory for {@link CustodianStore.lotRange}. */
export const LOT_CACHE_BYTES = 64 * 1024 * 1024;

/** One lot's windows claimed in this life, and the ranges reserved (merged when contiguous; the first request id kept). */
interface LifeClaims {
  readonly programId: string;
  readonly lotId: string;
  readonly windows: [number, number][];
  readonly reserved: { start: number; end: number; requestId: string }[];
  /** The size the next window claims (0 before the first: that one is just the range). */
  nextWindow: number;
}

const lotKey = (programId: string, lotId: string): string => `${programId}\u0000${lotId}`;

/** The custodian's store. */
export class CustodianStore extends DurableStore {
  /** Used and reserved ranges per lot — an earlier life's claims included —: [start, end) pairs. */
  readonly #used = new Map<string, [number, number][]>();
  /** This life's claimed windows per lot, and the ranges it reserved (with their request ids). */
  readonly #claims = new Map<string, LifeClaims>();
  /** Lot sizes, by lot key (a lot never changes once stored). */
  readonly #lotCounts = new Map<string, number>();
  /** Whole lots read by {@link lotRange}, least recently used first, and their bytes. */
  readonly #lotCache = new Map<string, TripleLot>();
  #lotCacheBytes = 0;
  /** Programs known approved (see {@link isApproved}). */
  readonly #approved = new Set<string>();

  /** Opens (creating or migrating) the store at `path` (`:memory:` for tests). */
  static open(path: string): CustodianStore {
    const store = new CustodianStore(DurableStore.openDatabase(path, { what: 'MPC custodian store', migrations: MIGRATIONS }));
    store.#loadUsed();
    return store;
  }

  #loadUsed(): void {
    const rows = this.statement('SELECT program_id, lot_id, start, count FROM triples_used').all() as { program_id: string; lot_id: string; start: number; count: number }[];
    for (const r of rows) this.#ranges(lotKey(r.program_id, r.lot_id)).push([Number(r.start), Number(r.start) + Number(r.count)]);
    const claims = this.statement('SELECT program_id, lot_id, start, end FROM triple_claims').all() as { program_id: string; lot_id: string; start: number; end: number }[];
    for (const c of claims) this.#ranges(lotKey(c.program_id, c.lot_id)).push([Number(c.start), Number(c.end)]);
  }

  #ranges(key: string): [number, number][] {
    let list = this.#used.get(key);
    if (list === undefined) this.#used.set(key, (list = []));
    return list;
  }

  /** The stored package of a program, or undefined. */
  program(programId: string): StoredProgram | undefined {
    const row = this.statement('SELECT package, owner FROM programs WHERE program_id = ?').get(programId) as { package: string; owner: string } | undefined;
    return row && { programId, packageJson: row.package, owner: row.owner };
  }

  /** Ids of every installed program, sorted. */
  programIds(): string[] {
    return (this.statement('SELECT program_id FROM programs ORDER BY program_id').all() as { program_id: string }[]).map((r) => r.program_id);
  }

  /** Stores a package and this custodian's secret shares (write; run inside `commit`). */
  putProgram(p: StoredProgram, installedAt: string, secret: { x: bigint; shares: Uint8Array } | null): void {
    this.statement('INSERT INTO programs (program_id, package, owner, installed_at) VALUES (?, ?, ?, ?) ON CONFLICT (program_id) DO NOTHING').run(p.programId, p.packageJson, p.owner, installedAt);
    if (secret !== null) this.statement('INSERT INTO secret_shares (program_id, x, shares) VALUES (?, ?, ?) ON CONFLICT (program_id) DO UPDATE SET x = excluded.x, shares = excluded.shares').run(p.programId, secret.x.toString(), secret.shares);
  }

  /** The distinct abscissas this store holds shares at (one, or none, for a sane data dir). */
  shareAbscissas(): bigint[] {
    return (this.statement('SELECT DISTINCT x FROM secret_shares').all() as { x: string }[]).map((r) => BigInt(r.x));
  }

  /** This custodian's shares of a program's secrets (packed, in IR order), or undefined. */
  secretShares(programId: string): { x: bigint; shares: Uint8Array } | undefined {
    const row = this.statement('SELECT x, shares FROM secret_shares WHERE program_id = ?').get(programId) as { x: string; shares: Uint8Array } | undefined;
    return row && { x: BigInt(row.x), shares: new Uint8Array(row.shares) };
  }

  /** This custodian's approval envelope (JSON) of a program, or undefined. */
  approval(programId: string): string | undefined {
    return (this.statement('SELECT envelope FROM approvals WHERE program_id = ?').get(programId) as { envelope: string } | undefined)?.envelope;
  }

  /**
   * Has this custodian approved the program? Checked on every evaluation: a yes is remembered in
   * memory (an approval is only ever removed by {@link retire}), so the envelope is not read each time.
   */
  isApproved(programId: string): boolean {
    if (this.#approved.has(programId)) return true;
    if (this.approval(programId) === undefined) return false;
    this.#approved.add(programId);
    return true;
  }

  /** Keeps an approval envelope (write; the first one stays). */
  putApproval(programId: string, envelopeJson: string): void {
    this.statement('INSERT INTO approvals (program_id, envelope) VALUES (?, ?) ON CONFLICT (program_id) DO NOTHING').run(programId, envelopeJson);
  }

  /** True when the lot is installed. */
  hasLot(programId: string, lotId: string): boolean {
    return this.statement('SELECT 1 AS one FROM triple_lots WHERE program_id = ? AND lot_id = ?').get(programId, lotId) !== undefined;
  }

  /** Stores a lot's packed triple shares (write). */
  putLot(programId: string, lotId: string, lot: TripleLot): void {
    this.statement('INSERT INTO triple_lots (program_id, lot_id, count, a, b, c) VALUES (?, ?, ?, ?, ?, ?)').run(programId, lotId, lot.count, lot.a, lot.b, lot.c);
  }

  /** A lot's packed triple shares, or undefined. */
  lot(programId: string, lotId: string): TripleLot | undefined {
    const row = this.statement('SELECT count, a, b, c FROM triple_lots WHERE program_id = ? AND lot_id = ?').get(programId, lotId) as { count: number; a: Uint8Array; b: Uint8Array; c: Uint8Array } | undefined;
    return row && { count: Number(row.count), a: row.a, b: row.b, c: row.c };
  }

  /**
   * Triples [offset, offset + count) of a lot (copies the caller may wipe); undefined when the lot
   * is absent or the range falls outside it. SQLite's substr() of a blob reads the whole blob (a
   * 100,000-triple lot: 4.8 MB, ~2.6 ms per evaluation measured), so a lot is read whole once and
   * kept in memory — lots never change once stored — up to {@link LOT_CACHE_BYTES} (least recently
   * used dropped and wiped first); a lot larger than half of that is read as slices each time.
   */
  lotRange(programId: string, lotId: string, offset: number, count: number): TripleLot | undefined {
    const key = lotKey(programId, lotId);
    let lot = this.#lotCache.get(key);
    if (lot !== undefined) {
      this.#lotCache.delete(key); // most recently used goes last
      this.#lotCache.set(key, lot);
    } else {
      const size = this.statement('SELECT length(a) + length(b) + length(c) AS n FROM triple_lots WHERE program_id = ? AND lot_id = ?').get(programId, lotId) as { n: number } | undefined;
      if (size === undefined) return undefined;
      if (Number(size.n) <= LOT_CACHE_BYTES / 2) {
        lot = this.lot(programId, lotId)!;
        this.#cacheLot(key, lot);
      }
    }
    if (lot !== undefined) {
      if (offset + count > lot.count) return undefined;
      const s = offset * FIELD_ELEMENT_BYTES, e = s + count * FIELD_ELEMENT_BYTES;
      return { count, a: lot.a.slice(s, e), b: lot.b.slice(s, e), c: lot.c.slice(s, e) };
    }
    const s = offset * FIELD_ELEMENT_BYTES + 1, n = count * FIELD_ELEMENT_BYTES;
    const row = this.statement('SELECT count, substr(a, ?, ?) AS a, substr(b, ?, ?) AS b, substr(c, ?, ?) AS c FROM triple_lots WHERE program_id = ? AND lot_id = ?').get(s, n, s, n, s, n, programId, lotId) as { count: number; a: Uint8Array; b: Uint8Array; c: Uint8Array } | undefined;
    if (row === undefined || offset + count > Number(row.count) || row.a.length !== n) return undefined;
    return { count, a: row.a, b: row.b, c: row.c };
  }

  #cacheLot(key: string, lot: TripleLot): void {
    const bytes = lot.a.length + lot.b.length + lot.c.length;
    this.#lotCache.set(key, lot);
    this.#lotCacheBytes += bytes;
    for (const [k, old] of this.#lotCache) {
      if (this.#lotCacheBytes <= LOT_CACHE_BYTES) break;
      this.#dropLot(k, old);
    }
  }

  #dropLot(key: string, lot: TripleLot): void {
    this.#lotCache.delete(key);
    this.#lotCacheBytes -= lot.a.length + lot.b.length + lot.c.length;
    lot.a.fill(0); lot.b.fill(0); lot.c.fill(0);
  }

  /** Triples of a program not yet used (for status). */
  unusedTriples(programId: string): number {
    const lots = this.statement('SELECT lot_id, count FROM triple_lots WHERE program_id = ?').all(programId) as { lot_id: string; count: number }[];
    let n = 0;
    for (const l of lots) {
      n += Number(l.count);
      for (const [s, e] of this.#used.get(lotKey(programId, l.lot_id)) ?? []) n -= e - s;
    }
    return n;
  }

  /**
   * Reserves `ranges` for `requestId` if none overlaps a used or reserved one (synchronous: call
   * with no await between the check and the commit of `write`). Returns the claim to commit before
   * any answer computed from the ranges leaves — null when they lie inside windows this life
   * claimed already — or the first conflicting range with the offset up to which its lot is used
   * (every used range at or after the conflict's start that touches it, chained).
   */
  reserveTriples(programId: string, ranges: readonly TripleRange[], requestId: string): { write: (() => void) | null } | { conflict: TripleRange; usedUntil: number } {
    const fresh: [number, number][] = [];
    for (const r of ranges) {
      const key = lotKey(programId, r.lotId);
      const list = this.#ranges(key);
      const end = r.offset + r.count;
      const clash = list.some(([s, e]) => s < end && r.offset < e) || fresh.some(([s, e]) => s < end && r.offset < e);
      if (clash) return { conflict: r, usedUntil: usedUntil(list, r.offset, end) };
      fresh.push([r.offset, end]);
    }
    const windows: { programId: string; lotId: string; start: number; end: number }[] = [];
    for (const r of ranges) {
      const key = lotKey(programId, r.lotId);
      const used = this.#ranges(key);
      const life = this.#life(key, programId, r.lotId);
      const end = r.offset + r.count;
      // The parts of [offset, end) outside this life's windows each claim a window from their start.
      let at = r.offset;
      while (at < end) {
        const inside = life.windows.find(([s, e]) => s <= at && at < e);
        if (inside !== undefined) {
          at = inside[1];
          continue;
        }
        // No used range starts inside [at, end) (that would have been a conflict): the window ends
        // at the lot's end, the next used range, or the next window of this life (then the loop
        // carries on inside that one), whichever comes first after at least the wanted triples.
        let limit = Math.min(Math.max(at + life.nextWindow, end), this.#lotCount(key, programId, r.lotId) ?? end);
        for (const [s] of used) if (s >= end && s < limit) limit = s;
        for (const [s] of life.windows) if (s > at && s < limit) limit = s;
        life.windows.push([at, limit]);
        life.nextWindow = Math.min(TRIPLE_CLAIM_WINDOW, Math.max(1, limit - at) * 2);
        windows.push({ programId, lotId: r.lotId, start: at, end: limit });
        at = limit;
      }
      // Contiguous ranges (the coordinator hands a lot out in order) merge, so the lists stay short.
      const last = used.at(-1);
      if (last !== undefined && last[1] === r.offset) last[1] = end; else used.push([r.offset, end]);
      const lastReserved = life.reserved.at(-1);
      if (lastReserved !== undefined && lastReserved.end === r.offset) lastReserved.end = end; else life.reserved.push({ start: r.offset, end, requestId });
    }
    if (windows.length === 0) return { write: null };
    return {
      write: () => {
        for (const w of windows) this.statement('INSERT INTO triple_claims (program_id, lot_id, start, end) VALUES (?, ?, ?, ?)').run(w.programId, w.lotId, w.start, w.end);
      },
    };
  }

  #life(key: string, programId: string, lotId: string): LifeClaims {
    let l = this.#claims.get(key);
    if (l === undefined) this.#claims.set(key, (l = { programId, lotId, windows: [], reserved: [], nextWindow: 0 }));
    return l;
  }

  #lotCount(key: string, programId: string, lotId: string): number | undefined {
    let n = this.#lotCounts.get(key);
    if (n === undefined) {
      const row = this.statement('SELECT count FROM triple_lots WHERE program_id = ? AND lot_id = ?').get(programId, lotId) as { count: number } | undefined;
      if (row === undefined) return undefined;
      this.#lotCounts.set(key, (n = Number(row.count)));
    }
    return n;
  }

  /**
   * Replaces this life's claims with the ranges it actually reserved (write; close() runs it in a
   * transaction), so a clean shutdown wastes no claimed triple. Afterwards every range stays refused.
   */
  settleClaims(): void {
    const drop = this.statement('DELETE FROM triple_claims WHERE program_id = ? AND lot_id = ? AND start = ? AND end = ?');
    const add = this.statement('INSERT INTO triples_used (program_id, lot_id, start, count, request_id) VALUES (?, ?, ?, ?, ?)');
    for (const l of this.#claims.values()) {
      for (const [s, e] of l.windows) drop.run(l.programId, l.lotId, s, e);
      for (const r of l.reserved) add.run(l.programId, l.lotId, r.start, r.end - r.start, r.requestId);
    }
    this.#claims.clear();
  }

  /** Deletes everything this custodian holds for a program (retirement); write. */
  retire(programId: string): boolean {
    this.#approved.delete(programId);
    for (const k of this.#lotCounts.keys()) if (k.startsWith(`${programId}\u0000`)) this.#lotCounts.delete(k);
    for (const [k, lot] of this.#lotCache) if (k.startsWith(`${programId}\u0000`)) this.#dropLot(k, lot);
    const had = this.statement('DELETE FROM secret_shares WHERE program_id = ?').run(programId).changes > 0;
    this.statement('DELETE FROM triple_lots WHERE program_id = ?').run(programId);
    this.statement('DELETE FROM approvals WHERE program_id = ?').run(programId);
    this.statement('DELETE FROM programs WHERE program_id = ?').run(programId);
    return had;
  }

  /** The epoch of this custodian's shares of a program (bumped by every refresh), or undefined without shares. */
  shareEpoch(programId: string): number | undefined {
    const r = this.statement('SELECT epoch FROM secret_shares WHERE program_id = ?').get(programId) as { epoch: number } | undefined;
    return r === undefined ? undefined : Number(r.epoch);
  }

  /** A resharing round by id. */
  reshareRound(roundId: string): { programId: string; baseEpoch: number; k: number; state: 'pending' | 'applied' | 'abandoned' | 'set' } | undefined {
    const r = this.statement('SELECT program_id, base_epoch, k, state FROM reshare_rounds WHERE round_id = ?').get(roundId) as { program_id: string; base_epoch: number; k: number; state: 'pending' | 'applied' | 'abandoned' | 'set' } | undefined;
    return r && { programId: r.program_id, baseEpoch: Number(r.base_epoch), k: Number(r.k), state: r.state };
  }

  /**
   * Opens a round (write): abandons the program's other pending rounds (their masks are deleted)
   * and stores this one with the masks it keeps for new custodians.
   */
  openReshareRound(roundId: string, programId: string, baseEpoch: number, k: number, state: 'pending' | 'set', masks: ReadonlyMap<bigint, Uint8Array>): void {
    const stale = this.statement("SELECT round_id FROM reshare_rounds WHERE program_id = ? AND state = 'pending'").all(programId) as { round_id: string }[];
    for (const r of stale) this.statement('DELETE FROM reshare_masks WHERE round_id = ?').run(r.round_id);
    this.statement("UPDATE reshare_rounds SET state = 'abandoned' WHERE program_id = ? AND state = 'pending'").run(programId);
    this.statement('INSERT INTO reshare_rounds (round_id, program_id, base_epoch, k, state, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(roundId, programId, baseEpoch, k, state, new Date().toISOString());
    for (const [x, m] of masks) this.statement('INSERT INTO reshare_masks (round_id, target_x, mask) VALUES (?, ?, ?)').run(roundId, x.toString(), m);
  }

  /** Takes (reads and deletes) the mask a round keeps for `targetX` (write), or undefined when absent or already taken. */
  takeReshareMask(roundId: string, targetX: bigint): Uint8Array | undefined {
    const r = this.statement('SELECT mask FROM reshare_masks WHERE round_id = ? AND target_x = ?').get(roundId, targetX.toString()) as { mask: Uint8Array } | undefined;
    if (r === undefined) return undefined;
    this.statement('DELETE FROM reshare_masks WHERE round_id = ? AND target_x = ?').run(roundId, targetX.toString());
    return new Uint8Array(r.mask);
  }

  /** Ends a pending round with refreshed shares (write): the shares, epoch + 1, the round applied, its masks deleted. */
  applyReshareRound(roundId: string, programId: string, shares: Uint8Array): void {
    this.statement('UPDATE secret_shares SET shares = ?, epoch = epoch + 1 WHERE program_id = ?').run(shares, programId);
    this.statement("UPDATE reshare_rounds SET state = 'applied' WHERE round_id = ?").run(roundId);
    this.statement('DELETE FROM reshare_masks WHERE round_id = ?').run(roundId);
  }

  /** Deletes the program's pending rounds' masks (retirement; write). */
  dropReshareMasks(programId: string): void {
    const rows = this.statement('SELECT round_id FROM reshare_rounds WHERE program_id = ?').all(programId) as { round_id: string }[];
    for (const r of rows) this.statement('DELETE FROM reshare_masks WHERE round_id = ?').run(r.round_id);
    this.statement("UPDATE reshare_rounds SET state = 'abandoned' WHERE program_id = ? AND state = 'pending'").run(programId);
  }

  /** Replaces this custodian's secret shares (resharing); write. */
  setSecretShares(programId: string, x: bigint, shares: Uint8Array): void {
    this.statement('INSERT INTO secret_shares (program_id, x, shares) VALUES (?, ?, ?) ON CONFLICT (program_id) DO UPDATE SET x = excluded.x, shares = excluded.shares').run(programId, x.toString(), shares);
  }
}

/**
 * The offset up to which a lot is used, seen from a conflict at [start, end): the largest end of
 * the used ranges reachable from it through overlapping or touching ranges.
 */
function usedUntil(list: readonly [number, number][], start: number, end: number): number {
  let until = start;
  let lo = start, hi = end;
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  for (const [s, e] of sorted) {
    if (e < lo) continue;
    if (s > hi) break;
    if (s <= hi && e >= lo) {
      until = Math.max(until, e);
      hi = Math.max(hi, e);
    }
  }
  return until;
}
