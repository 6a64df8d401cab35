// Vote-policy subject globs: anchored at both ends, `*` = any run (empty included), everything
// else literal; matched in O(|glob|·|text|), so a hostile glob or subject cannot stall a node.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GovernanceProposal } from '../../../src/governance/index.js';
import { matchGlob } from '../../../src/governance/server/_glob.js';
import { VotePolicy } from '../../../src/governance/server/index.js';

/** The definition, by dynamic programming over code units: can glob[i..] match text[j..]? */
function referenceMatch(glob: string, text: string): boolean {
  let next = new Array<boolean>(text.length + 1).fill(false); // row i + 1
  next[text.length] = true;
  for (let i = glob.length - 1; i >= 0; i--) {
    const row = new Array<boolean>(text.length + 1).fill(false);
    for (let j = text.length; j >= 0; j--) {
      row[j] = glob[i] === '*' ? next[j]! || (j < text.length && row[j + 1]!) : j < text.length && glob[i] === text[j] && next[j + 1]!;
    }
    next = row;
  }
  return next[0]!;
}

// Small alphabets make matches and near-misses common; '.', '?', '\\' and a lone surrogate check
// that nothing but '*' is special.
const unit = fc.constantFrom('a', 'b', 'a', 'b', '.', '?', '\\', '[', '\ud800', 'é');
const text = fc.array(unit, { maxLength: 12 }).map((a) => a.join(''));
const glob = fc.array(fc.oneof(unit, fc.constant('*'), fc.constant('*')), { maxLength: 10 }).map((a) => a.join(''));

describe('matchGlob', () => {
  it('agrees with the dynamic-programming definition on random globs and texts', () => {
    fc.assert(fc.property(glob, text, (g, t) => matchGlob(g, t) === referenceMatch(g, t)), { numRuns: 5000 });
  });

  it('a glob without stars matches exactly itself; a glob of only stars matches everything', () => {
    fc.assert(fc.property(text, text, (g, t) => matchGlob(g, t) === (g === t)), { numRuns: 1000 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), text, (n, t) => matchGlob('*'.repeat(n), t)), { numRuns: 500 });
  });

  it('every text matches a glob made from it by replacing runs with stars', () => {
    fc.assert(
      fc.property(text, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (t, cut) => {
        const g = [...t].map((c, i) => (cut[i] ? '*' : c)).join('');
        return matchGlob(g, t);
      }),
      { numRuns: 1000 },
    );
  });

  it('is anchored at both ends and treats regex metacharacters literally', () => {
    expect(matchGlob('did:pqaid:medical-*', 'did:pqaid:medical-ai-v2')).toBe(true);
    expect(matchGlob('*.internal', 'svc.internal')).toBe(true);
    expect(matchGlob('*.internal', 'svc.internal.x')).toBe(false);
    expect(matchGlob('a.c', 'abc')).toBe(false);
    expect(matchGlob('a?c', 'abc')).toBe(false);
    expect(matchGlob('a?c', 'a?c')).toBe(true);
    expect(matchGlob('', '')).toBe(true);
    expect(matchGlob('', 'a')).toBe(false);
    expect(matchGlob('a*', '')).toBe(false);
    expect(matchGlob('*', '')).toBe(true);
    expect(matchGlob('x*\n*y', 'x\n\ny')).toBe(true); // '*' spans line breaks
  });

  it('a hostile glob finishes in well under a second against a 512-character subject', () => {
    const subject = 'a'.repeat(512);
    const hostile = ['*a*a*a*a*a*a*a*ab', `${'*a'.repeat(200)}b`, `*${'a'.repeat(510)}b`];
    const t0 = performance.now();
    for (const g of hostile) expect(matchGlob(g, subject)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(250);
  });

  it('VotePolicy.decide answers a hostile subject rule quickly, through the same matcher', () => {
    const policy = VotePolicy.parse({ type: 'quorumkit-vote-policy', version: 1, default: 'reject', rules: [
      { subject: '*a*a*a*a*a*a*a*ab', decision: 'approve' },
      { subject: 'a*a', decision: 'abstain' },
    ] });
    const p = GovernanceProposal.create('authorize-model', 'a'.repeat(512), 't', 'did:pqaid:x');
    const t0 = performance.now();
    expect(policy.decide(p)).toMatchObject({ decision: 'abstain', rule: 1 });
    expect(performance.now() - t0).toBeLessThan(250);
  });
});
