// Fuzzing the condition language (src/authz/condition): random text, text built from the
// language's own tokens, and mutated valid conditions either parse or throw ConditionSyntaxError —
// never an engine error — and whatever parses evaluates without throwing against any value,
// hostile objects included (getters, prototypes, deep nesting).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConditionSyntaxError, parseCondition } from '../../src/authz/index.js';
import { fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, jsonValue } from './_inputs.js';

const VALID = [
  'atp_cost <= 1000', 'resource.storage <= 10000', "action == 'delete'", 'atp_cost > 500 and not (role == "spender" or trust < 0.6)',
  'a.b.c != -1.5e3', 'flag', 'not not x == true',
];
const PIECES = ['a', 'b.c', '==', '!=', '<', '<=', '>', '>=', 'and', 'or', 'not', '(', ')', '.', '1', '-2.5', '"s"', "'t'", 'true', 'false', ' ', '[', '+', '=', '\\', '"'];
const tokenSoup = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((a) => a.join(' '));
const mutated = fc.tuple(fc.constantFrom(...VALID), fc.nat(), fc.string({ maxLength: 3 })).map(([v, at, ins]) => {
  const i = at % (v.length + 1);
  return v.slice(0, i) + ins + v.slice(i + 1);
});

describe('condition language under fuzzing', () => {
  it('parseCondition returns or throws ConditionSyntaxError; holds never throws', () => {
    fuzzSync('parseCondition', fc.tuple(fc.oneof(fc.string({ maxLength: 80 }), tokenSoup, mutated), fc.oneof(anyValue, jsonValue({ hostile: true }))), ([text, ctx]) => {
      let c;
      try {
        c = parseCondition(text);
      } catch (e) {
        expect(e).toBeInstanceOf(ConditionSyntaxError);
        throw e; // counted as a typed error
      }
      expect(typeof c.holds(ctx)).toBe('boolean');
    }, fuzzRuns(3000));
  }, fuzzTimeout(3000));
});
