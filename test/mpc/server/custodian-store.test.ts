// CustodianStore.lotRange: a range of a triple lot is exactly those bytes of its blobs, whether the
// lot is read from the database or from the in-memory copy kept after the first read; each answer
// is the caller's own copy (wiping it leaves the lot intact); out-of-range and absent lots are
// undefined; retiring the program forgets the lot. Approvals: isApproved follows putApproval and retire.
import { describe, expect, it } from 'vitest';
import { CustodianStore } from '../../../src/mpc/server/custodian-store.js';

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
