// One program's Beaver-triple pool at the coordinator: the lots the dealer delivered, each held by a
// set of custodians, with an allocation cursor. An evaluation takes its triples from lots that all of
// its custodians hold (a lot a custodian missed cannot be used with that custodian), preferring the
// holder set with the most custodians among those wanting to take part (more custodians than K
// lets every opening be checked). Allocation is synchronous and advances the cursors at once; the
// coordinator commits the new cursors with the evaluation's charge (CoordinatorService.eval).
// Node-free.

import type { LotRow } from './coordinator-store.js';
import type { TripleRange } from './custodian-store.js';

interface Lot {
  readonly lotId: string;
  readonly count: number;
  next: number;
  readonly holders: ReadonlySet<number>;
  readonly key: string;
}

/** An allocation: the ranges, the custodians that hold them all, and the cursor writes to commit. */
export interface Allocation {
  readonly ranges: TripleRange[];
  readonly custodians: number[];
  readonly cursors: { lotId: string; nextOffset: number }[];
}

/** A program's triple pool. */
export class TriplePool {
  readonly #lots: Lot[] = [];

  constructor(rows: readonly LotRow[] = []) {
    for (const r of rows) this.add(r);
  }

  /** Adds a delivered lot. */
  add(r: LotRow): void {
    const holders = [...r.holders].sort((a, b) => a - b);
    this.#lots.push({ lotId: r.lotId, count: r.count, next: r.nextOffset, holders: new Set(holders), key: holders.join(',') });
  }

  #groups(wanted: readonly number[], k: number): { members: number[]; lots: Lot[]; avail: number }[] {
    const byKey = new Map<string, { members: number[]; lots: Lot[]; avail: number }>();
    for (const lot of this.#lots) {
      if (lot.next >= lot.count) continue;
      let g = byKey.get(lot.key);
      if (g === undefined) byKey.set(lot.key, (g = { members: wanted.filter((i) => lot.holders.has(i)), lots: [], avail: 0 }));
      g.lots.push(lot);
      g.avail += lot.count - lot.next;
    }
    return [...byKey.values()].filter((g) => g.members.length >= k).sort((a, b) => b.members.length - a.members.length);
  }

  /** Evaluations the pool still covers with at least `k` of `wanted` (0 when `perEval` is 0). */
  remaining(perEval: number, wanted: readonly number[], k: number): number {
    if (perEval === 0) return 0;
    return this.#groups(wanted, k).reduce((m, g) => Math.max(m, Math.floor(g.avail / perEval)), 0);
  }

  /**
   * Moves lot `lotId`'s cursor up to `offset` (capped at the lot's size) when it is below: a
   * custodian reported the triples below it used. Returns the new cursor, or null when nothing
   * changed (an unknown lot, or a cursor already there).
   */
  skipTo(lotId: string, offset: number): number | null {
    const lot = this.#lots.find((l) => l.lotId === lotId);
    if (lot === undefined || !Number.isSafeInteger(offset)) return null;
    const next = Math.min(offset, lot.count);
    if (next <= lot.next) return null;
    lot.next = next;
    return next;
  }

  /** Takes `need` triples held by at least `k` of `wanted`, or returns null (nothing taken). */
  allocate(need: number, wanted: readonly number[], k: number): Allocation | null {
    if (need === 0) return { ranges: [], custodians: [...wanted], cursors: [] };
    const g = this.#groups(wanted, k).find((x) => x.avail >= need);
    if (g === undefined) return null;
    const ranges: TripleRange[] = [];
    const cursors: { lotId: string; nextOffset: number }[] = [];
    let left = need;
    for (const lot of g.lots) {
      if (left === 0) break;
      const take = Math.min(left, lot.count - lot.next);
      ranges.push({ lotId: lot.lotId, offset: lot.next, count: take });
      lot.next += take;
      cursors.push({ lotId: lot.lotId, nextOffset: lot.next });
      left -= take;
    }
    return { ranges, custodians: g.members, cursors };
  }
}
