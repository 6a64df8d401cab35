// The condition language of law norms (src/authz/condition): the upstream default conditions parse
// and hold as Python would evaluate them; precedence not > and > or; the semantics table (types,
// absent fields, booleans, bare operands); only own data properties of plain objects are read;
// and everything outside the language — Python eval payloads included — is ConditionSyntaxError
// with the offending position, as are the length, token and depth limits.
import { describe, expect, it } from 'vitest';
import { ConditionSyntaxError, MAX_CONDITION_CHARS, MAX_CONDITION_DEPTH, MAX_CONDITION_TOKENS, parseCondition, parseConditionTree, readPath, tokenize } from '../../src/authz/index.js';

const holds = (text: string, ctx: unknown): boolean => parseCondition(text).holds(ctx);

function syntaxAt(text: string): number {
  try {
    parseCondition(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConditionSyntaxError);
    const err = e as ConditionSyntaxError;
    expect(err.code).toBe('ERR_AUTHZ_CONDITION');
    expect(err.message).toMatch(/^condition: .* at position \d+$/);
    return err.details!['position'] as number;
  }
  throw new Error(`parsed: ${text}`);
}

describe('the upstream default law conditions', () => {
  it('LIMIT atp_cost <= 1000, resource.storage <= 10000; REQUIRE atp_cost > 500, action == "delete"', () => {
    expect(holds('atp_cost <= 1000', { atp_cost: 1000 })).toBe(true);
    expect(holds('atp_cost <= 1000', { atp_cost: 1000.5 })).toBe(false);
    expect(holds('resource.storage <= 10000', { resource: { storage: 9999 } })).toBe(true);
    expect(holds('resource.storage <= 10000', { resource: { storage: 10001 } })).toBe(false);
    expect(holds('atp_cost > 500', { atp_cost: 501 })).toBe(true);
    expect(holds("action == 'delete'", { action: 'delete' })).toBe(true);
    expect(holds('action == "delete"', { action: 'read' })).toBe(false);
  });
});

describe('syntax', () => {
  it('precedence: not binds tighter than and, and tighter than or; parentheses group', () => {
    const ctx = { a: true, b: false, c: true };
    expect(holds('a or b and not c', ctx)).toBe(true); // a or (b and (not c))
    expect(holds('(a or b) and not c', ctx)).toBe(false);
    expect(holds('not a or c', ctx)).toBe(true); // (not a) or c
    expect(holds('not (a or c)', ctx)).toBe(false);
    expect(parseConditionTree('x == 1 or y == 2 and z == 3')).toMatchObject({ type: 'or', right: { type: 'and' } });
  });

  it('numbers (negative, fraction, exponent), strings (both quotes, \\\\ and quote escapes), booleans, dotted paths', () => {
    expect(tokenize('-1.5e2 "a\\"b" \'c\\\\d\' true x.y_2').map((t) => ('value' in t ? t.value : t.kind))).toEqual([-150, 'a"b', 'c\\d', 'true', 'x', '.', 'y_2', 'end']);
    expect(holds('t == -0.5', { t: -0.5 })).toBe(true);
    expect(holds('n >= 1e3', { n: 1000 })).toBe(true);
    expect(holds('flag == true', { flag: true })).toBe(true);
  });
});

describe('semantics', () => {
  it('numbers numerically, strings by value and code-unit order, booleans only == and !=', () => {
    expect(holds('a < b', { a: 2, b: 10 })).toBe(true);
    expect(holds('a < b', { a: '2', b: '10' })).toBe(false); // strings: "2" > "10"
    expect(holds('a != b', { a: 'x', b: 'y' })).toBe(true);
    expect(holds('a != b', { a: true, b: false })).toBe(true);
    expect(holds('a < b', { a: false, b: true })).toBe(false);
  });

  it('mismatched types and absent fields: every comparison is false, so its negation holds', () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) {
      expect(holds(`a ${op} 1`, { a: '1' })).toBe(false);
      expect(holds(`a ${op} 1`, {})).toBe(false);
      expect(holds(`missing.deep ${op} 1`, { missing: 3 })).toBe(false);
      expect(holds(`a ${op} 1`, { a: null })).toBe(false);
      expect(holds(`a ${op} 1`, { a: [1] })).toBe(false);
    }
    expect(holds('not (a == 1)', {})).toBe(true);
  });

  it('a bare operand holds only when it is the boolean true', () => {
    expect(holds('ok', { ok: true })).toBe(true);
    for (const v of [1, 'true', {}, [], null, false]) expect(holds('ok', { ok: v })).toBe(false);
    expect(holds('true', {})).toBe(true);
    expect(holds('1', {})).toBe(false);
  });

  it('reads own data properties of plain objects only: no prototypes, getters, class instances, Maps', () => {
    let called = 0;
    const getterCtx = Object.defineProperty({}, 'x', { get: () => { called++; return 1; }, enumerable: true });
    expect(holds('x == 1', getterCtx)).toBe(false);
    expect(called).toBe(0);
    expect(holds('constructor.name == "Object"', {})).toBe(false);
    expect(holds('toString == 1', {})).toBe(false);
    class Box { x = 1; }
    expect(holds('b.x == 1', { b: new Box() })).toBe(false);
    expect(holds('m.x == 1', { m: new Map([['x', 1]]) })).toBe(false);
    expect(holds('x == 1', Object.assign(Object.create(null), { x: 1 }))).toBe(true);
    for (const ctx of [null, undefined, 7, 'x', [], () => 1]) expect(holds('x == 1', ctx)).toBe(false);
  });
});

describe('outside the language: typed errors with the position', () => {
  it.each([
    ["__import__('os').system('rm -rf /')", 10],
    ['a[0] == 1', 1],
    ['a + 1 > 2', 2],
    ['a = 1', 2],
    ['lambda: 1', 6],
    ['x if y else z', 2],
    ['1 < 2 < 3', 6],
    ['a ==', 4],
    ['(a == 1', 7],
    ['a == 1)', 6],
    ['a. == 1', 3],
    ['"open', 0],
    ['"bad \\n escape"', 5],
    ['01 == 1', 0],
    ['1e999 > 0', 0],
    ['a.b.c ~ 1', 6],
    ['', 0],
    ['and', 0],
    ['a == b or', 9],
  ])('%s → position %i', (text, pos) => {
    expect(syntaxAt(text)).toBe(pos);
  });

  it('limits: characters, tokens, nesting', () => {
    expect(syntaxAt('a'.repeat(MAX_CONDITION_CHARS + 1))).toBe(MAX_CONDITION_CHARS);
    expect(() => parseCondition('a'.repeat(MAX_CONDITION_CHARS))).not.toThrow();
    expect(syntaxAt(Array.from({ length: MAX_CONDITION_TOKENS / 2 + 1 }, () => 'a').join(' or '))).toBeGreaterThan(0);
    expect(syntaxAt(`${'('.repeat(MAX_CONDITION_DEPTH + 1)}a${')'.repeat(MAX_CONDITION_DEPTH + 1)}`)).toBe(MAX_CONDITION_DEPTH);
    expect(holds(`${'('.repeat(MAX_CONDITION_DEPTH)}a${')'.repeat(MAX_CONDITION_DEPTH)}`, { a: true })).toBe(true);
    expect(syntaxAt(`${'not '.repeat(MAX_CONDITION_DEPTH + 1)}a`)).toBe(4 * MAX_CONDITION_DEPTH);
    expect(() => parseCondition(7 as unknown as string)).toThrow(TypeError);
  });
});

describe('readPath — the evaluator\'s field reader', () => {
  it('reads scalars along own data properties of plain objects; everything else is absent', () => {
    expect(readPath({ resource: { storage: 5 } }, ['resource', 'storage'])).toBe(5);
    expect(readPath({ 'resource.storage': 'x' }, ['resource.storage'])).toBe('x');
    expect(readPath({ a: { b: false } }, ['a', 'b'])).toBe(false);
    expect(readPath({ a: { b: [1] } }, ['a', 'b'])).toBeUndefined();
    expect(readPath({ a: null }, ['a', 'b'])).toBeUndefined();
    expect(readPath(Object.create({ a: 1 }), ['a'])).toBeUndefined();
    expect(readPath(Object.defineProperty({}, 'a', { get: () => { throw new Error('called'); } }), ['a'])).toBeUndefined();
    expect(readPath(new Map([['a', 1]]), ['a'])).toBeUndefined();
    expect(readPath(7, [])).toBe(7);
  });
});
