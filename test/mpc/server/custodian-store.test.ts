// CustodianStore.lotRange: a range of a triple lot is exactly those bytes of its blobs, whether the
// lot is read from the database or from the in-memory copy kept after the first read; each answer
// is the caller's own copy (wiping it leaves the lot intact); out-of-range and absent lots are
// undefined; retiring the program forgets the lot. Approvals: isApproved follows putApproval and retire.
// Triple claims: a range outside this life's windows claims one (the first the range itself, each
// next twice the last, up to TRIPLE_CLAIM_WINDOW, never past the lot's end or a used range), ranges
// inside need no write, reuse is refused with the offset the lot is used up to; after a crash a
// life's windows count as used whole, after a clean settleClaims only the ranges reserved.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CustodianStore, TRIPLE_CLAIM_WINDOW } from '../../../src/mpc/server/custodian-store.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-custodian-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const P = 'ab'.repeat(32);
const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('CustodianStore triple lots', () => {
  it('answers ranges from the lot (first read and cached alike), as copies, and forgets a retired program', async () => {
    const store = CustodianStore.open(':memory:');
    const lot = { count: 10, a: bytes(160, 1), b: bytes(160, 2), c: bytes(160, 3) };
    store.transaction(() => store.putLot(P, 'lot1', lot));
    for (let round = 0; round < 2; round++) {
      const r = store.lotRange(P, 'lot1', 3, 4)!;
      expect(r.count).toBe(4);
      expect(r.a).toEqual(lot.a.slice(48, 112));
      expect(r.b).toEqual(lot.b.slice(48, 112));
      expect(r.c).toEqual(lot.c.slice(48, 112));
      r.a.fill(0); r.b.fill(0); r.c.fill(0); // the caller wipes its copy
    }
    expect(store.lotRange(P, 'lot1', 0, 10)!.a).toEqual(lot.a);
    expect(store.lotRange(P, 'lot1', 7, 4)).toBeUndefined();
    expect(store.lotRange(P, 'lot2', 0, 1)).toBeUndefined();
    store.transaction(() => store.putApproval(P, '{}'));
    expect(store.isApproved(P)).toBe(true);
    store.transaction(() => store.retire(P));
    expect(store.lotRange(P, 'lot1', 0, 1)).toBeUndefined();
    expect(store.isApproved(P)).toBe(false);
    await store.close();
  });
});

describe('CustodianStore triple claims', () => {
  const LOT = 5000;
  const open = (name: string): CustodianStore => {
    const store = CustodianStore.open(join(dir, name));
    if (!store.hasLot(P, 'L')) store.transaction(() => store.putLot(P, 'L', { count: LOT, a: new Uint8Array(LOT * 16), b: new Uint8Array(LOT * 16), c: new Uint8Array(LOT * 16) }));
    return store;
  };
  const reserve = (store: CustodianStore, offset: number, count: number, id = `r${offset}`) => store.reserveTriples(P, [{ lotId: 'L', offset, count }], id);
  const claim = (store: CustodianStore, offset: number, count: number): void => {
    const r = reserve(store, offset, count);
    if (!('write' in r) || r.write === null) throw new Error(`expected a claim at ${offset}`);
    store.transaction(r.write);
  };
  const inside = (store: CustodianStore, offset: number, count: number): void => {
    expect(reserve(store, offset, count)).toEqual({ write: null });
  };

  it('claims growing windows, reserves inside them without writing, refuses reuse with the used extent', async () => {
    const store = open('grow.db');
    claim(store, 0, 1); // first window: just [0, 1)
    claim(store, 1, 1); // then [1, 3)
    inside(store, 2, 1);
    claim(store, 3, 1); // [3, 7)
    for (let o = 4; o < 7; o++) inside(store, o, 1);
    let at = 7;
    for (let w = 8; w < TRIPLE_CLAIM_WINDOW; w *= 2) {
      claim(store, at, 1);
      for (let o = at + 1; o < at + w; o++) inside(store, o, 1);
      at += w;
    }
    claim(store, at, 1); // full size from here on
    inside(store, at + TRIPLE_CLAIM_WINDOW - 1, 1);
    // reuse: refused, with the offset up to which the lot is used from there
    expect(reserve(store, 2, 1)).toMatchObject({ conflict: { lotId: 'L', offset: 2, count: 1 }, usedUntil: at + 1 });
    expect(store.unusedTriples(P)).toBe(LOT - at - 2);
    await store.close();
  });

  it('after a crash every window of the life is used whole; after settleClaims only what was reserved', async () => {
    let store = open('crash.db');
    claim(store, 0, 10); // [0, 10)
    claim(store, 10, 5); // [10, 30)
    inside(store, 15, 2);
    await store.close(); // no settleClaims: a crash
    store = open('crash.db');
    expect(reserve(store, 20, 1)).toMatchObject({ conflict: { offset: 20 }, usedUntil: 30 });
    expect(store.unusedTriples(P)).toBe(LOT - 30);
    claim(store, 30, 2); // a new life's first window: [30, 32)
    claim(store, 32, 1); // [32, 36)
    store.transaction(() => store.settleClaims()); // a clean close
    await store.close();
    store = open('crash.db');
    expect(store.unusedTriples(P)).toBe(LOT - 33); // [32, 33) used; [33, 36) free again
    expect(reserve(store, 32, 1)).toMatchObject({ usedUntil: 33 });
    claim(store, 33, 3);
    await store.close();
  });

  it("a window stops at the lot's end and before a used range", async () => {
    let store = open('edges.db');
    claim(store, 100, 50); // [100, 150), a first window
    store.transaction(() => store.settleClaims());
    await store.close();
    store = open('edges.db');
    claim(store, 90, 1); // [90, 91)
    claim(store, 91, 1); // wants [91, 93)
    claim(store, 93, 5); // wants [93, 97)… [93, 98) as the range is longer
    claim(store, 98, 1); // wants 8 more but stops at 100, before the used [100, 150)
    expect(reserve(store, 99, 2)).toMatchObject({ conflict: { offset: 99 } }); // 99 is free but 100 is not
    inside(store, 99, 1);
    claim(store, LOT - 3, 1); // the next window would be 16 triples: it ends with the lot
    inside(store, LOT - 2, 1);
    inside(store, LOT - 1, 1);
    store.transaction(() => store.settleClaims());
    expect(store.unusedTriples(P)).toBe(LOT - 50 - 9 - 3); // [100, 150), 9 of [90, 100) (92 never reserved), the last 3
    await store.close();
  });
});
