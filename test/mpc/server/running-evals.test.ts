// RunningEvals: request ids unique while in progress, ending an evaluation disposes its execution
// and wipes what it held, expired ones are dropped when the next starts, and the count is capped.
import { describe, expect, it } from 'vitest';
import { MAX_RUNNING, RunningEvals, type RunningEval } from '../../../src/mpc/server/running-evals.js';
import type { ShareExecution } from '../../../src/mpc/engine/index.js';

const fake = (programId: string, expires = Date.now() + 60_000): RunningEval & { disposed: () => boolean } => {
  let disposed = false;
  return { programId, exec: { dispose: () => { disposed = true; } } as unknown as ShareExecution, held: [new Uint8Array([1, 2, 3])], expires, disposed: () => disposed };
};

describe('RunningEvals', () => {
  it('refuses a request id in progress; drop disposes and wipes', () => {
    const r = new RunningEvals();
    const a = fake('p');
    r.add('r1', a);
    expect(() => r.add('r1', fake('p'))).toThrow('in progress');
    r.drop('r1');
    expect(a.disposed()).toBe(true);
    expect(a.held[0]).toEqual(new Uint8Array(3));
    expect(r.get('r1')).toBeUndefined();
    r.drop('r1'); // ending twice is harmless
  });

  it('drops expired evaluations when the next starts, and dropAll by program', () => {
    const r = new RunningEvals();
    const old = fake('p', Date.now() - 1);
    r.add('old', old);
    r.add('new', fake('q'));
    expect(r.has('old')).toBe(false);
    expect(old.disposed()).toBe(true);
    r.add('p1', fake('p'));
    r.dropAll('p');
    expect([r.has('p1'), r.has('new')]).toEqual([false, true]);
    r.dropAll();
    expect(r.has('new')).toBe(false);
  });

  it(`holds at most ${MAX_RUNNING}`, () => {
    const r = new RunningEvals();
    for (let i = 0; i < MAX_RUNNING; i++) r.add(`r${i}`, fake('p'));
    expect(() => r.add('one-more', fake('p'))).toThrow('too many evaluations');
  });
});
