// KeyedMutex: tasks on one key run one at a time in call order, keys run concurrently, a failed
// task does not block the next, the key map empties when idle, and a hot key's queue is bounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedMutex, MutexQueueFullError } from '../../src/http/keyed-mutex.js';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('KeyedMutex', () => {
  it('serializes tasks on one key in call order and never interleaves them', async () => {
    const m = new KeyedMutex();
    const trace: string[] = [];
    const task = (id: number) => async () => {
      trace.push(`start ${id}`);
      await tick();
      trace.push(`end ${id}`);
      return id;
    };
    const out = await Promise.all([1, 2, 3].map((i) => m.run('k', task(i))));
    expect(out).toEqual([1, 2, 3]);
    expect(trace).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs different keys concurrently', async () => {
    const m = new KeyedMutex();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = m.run('a', () => gate);
    let bRan = false;
    await m.run('b', () => { bRan = true; });
    expect(bRan).toBe(true);
    release();
    await a;
  });

  it('a rejected or throwing task passes its error on and does not block the next', async () => {
    const m = new KeyedMutex();
    await expect(m.run('k', () => { throw new Error('sync'); })).rejects.toThrow('sync');
    await expect(m.run('k', async () => { throw new Error('async'); })).rejects.toThrow('async');
    await expect(m.run('k', () => 7)).resolves.toBe(7);
  });

  it('holds a key only while work on it is queued (no growth from one-off keys)', async () => {
    const m = new KeyedMutex();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => m.run(`key-${i}`, tick)));
    expect(m.size).toBe(0);
    const p = m.run('x', tick);
    expect(m.size).toBe(1);
    expect(m.queued('x')).toBe(1);
    await p;
    expect(m.queued('x')).toBe(0);
    expect(m.size).toBe(0);
  });

  it('refuses work past maxQueuePerKey on one key, other keys unaffected', async () => {
    const m = new KeyedMutex({ maxQueuePerKey: 2 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = m.run('k', () => gate);
    const second = m.run('k', () => 2);
    await expect(m.run('k', () => 3)).rejects.toBeInstanceOf(MutexQueueFullError);
    await expect(m.run('other', () => 4)).resolves.toBe(4);
    release();
    await first;
    await expect(second).resolves.toBe(2);
    await expect(m.run('k', () => 5)).resolves.toBe(5);
  });

  it('law: for any interleaving of keys, each key sees its tasks in call order with no overlap', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 40 }), async (keys) => {
        const m = new KeyedMutex();
        const running = new Map<string, boolean>();
        const seen = new Map<string, number[]>();
        await Promise.all(
          keys.map((k, i) =>
            m.run(k, async () => {
              expect(running.get(k)).not.toBe(true);
              running.set(k, true);
              await tick();
              running.set(k, false);
              seen.set(k, [...(seen.get(k) ?? []), i]);
            }),
          ),
        );
        for (const [k, order] of seen) expect(order).toEqual(keys.flatMap((x, i) => (x === k ? [i] : [])));
        expect(m.size).toBe(0);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a non-string key or non-function task', async () => {
    const m = new KeyedMutex();
    await expect(m.run(1 as never, () => 1)).rejects.toThrow(TypeError);
    await expect(m.run('k', 1 as never)).rejects.toThrow(TypeError);
    expect(() => new KeyedMutex({ maxQueuePerKey: 0 })).toThrow(RangeError);
  });
});
