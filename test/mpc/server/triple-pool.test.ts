// TriplePool: allocation takes ranges in order from lots every wanted custodian holds (the biggest
// holder set first), spans lots, refuses (taking nothing) when no set of ≥ K holders has enough,
// and skipTo moves a lot's cursor forward only (capped at the lot's size), as after a custodian
// reported the triples below an offset used.
import { describe, expect, it } from 'vitest';
import { TriplePool } from '../../../src/mpc/server/triple-pool.js';

const lots = () => new TriplePool([
  { lotId: 'A', count: 10, nextOffset: 0, holders: [0, 1, 2] },
  { lotId: 'B', count: 5, nextOffset: 0, holders: [0, 1, 2] },
  { lotId: 'C', count: 100, nextOffset: 0, holders: [0, 1] },
]);

describe('TriplePool', () => {
  it('allocates in order across lots of the largest holder set, and refuses without taking anything', () => {
    const pool = lots();
    expect(pool.remaining(1, [0, 1, 2], 2)).toBe(100); // the [0, 1] set has the most triples
    expect(pool.allocate(4, [0, 1, 2], 2)).toEqual({ ranges: [{ lotId: 'A', offset: 0, count: 4 }], custodians: [0, 1, 2], cursors: [{ lotId: 'A', nextOffset: 4 }] });
    expect(pool.allocate(8, [0, 1, 2], 2)).toEqual({
      ranges: [{ lotId: 'A', offset: 4, count: 6 }, { lotId: 'B', offset: 0, count: 2 }], custodians: [0, 1, 2],
      cursors: [{ lotId: 'A', nextOffset: 10 }, { lotId: 'B', nextOffset: 2 }],
    });
    // 3 left with all three custodians: a bigger request falls to the [0, 1] lot
    expect(pool.allocate(4, [0, 1, 2], 2)).toMatchObject({ ranges: [{ lotId: 'C', offset: 0, count: 4 }], custodians: [0, 1] });
    expect(pool.allocate(1000, [0, 1, 2], 2)).toBeNull();
    expect(pool.allocate(1, [2], 2)).toBeNull(); // fewer than K wanted custodians hold anything
    expect(pool.allocate(3, [0, 1, 2], 3)).toMatchObject({ ranges: [{ lotId: 'B', offset: 2, count: 3 }] }); // nothing was taken by the refusals
    expect(pool.allocate(0, [0, 1], 2)).toEqual({ ranges: [], custodians: [0, 1], cursors: [] });
  });

  it('skipTo moves a cursor forward only, capped at the lot, and ignores unknown lots', () => {
    const pool = lots();
    pool.allocate(2, [0, 1, 2], 3);
    expect(pool.skipTo('A', 1)).toBeNull(); // behind the cursor (2)
    expect(pool.skipTo('A', 7)).toBe(7);
    expect(pool.allocate(1, [0, 1, 2], 3)).toMatchObject({ ranges: [{ lotId: 'A', offset: 7, count: 1 }] });
    expect(pool.skipTo('A', 99)).toBe(10);
    expect(pool.skipTo('A', 12)).toBeNull();
    expect(pool.skipTo('nope', 3)).toBeNull();
    expect(pool.skipTo('B', 2.5)).toBeNull();
    expect(pool.allocate(1, [0, 1, 2], 3)).toMatchObject({ ranges: [{ lotId: 'B', offset: 0, count: 1 }] });
  });
});
