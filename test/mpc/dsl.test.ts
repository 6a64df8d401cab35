// The DSL compiler (src/mpc/dsl/compile.ts): every statement, the macro expansions QuorumVM makes,
// QuorumVM's tests/test_compiler.py cases, and every error with its code, line and column.
import { describe, expect, it } from 'vitest';
import { compileDsl, MAX_DSL_SOURCE_LENGTH } from '../../src/mpc/dsl/compile.js';
import { DslCompileError } from '../../src/mpc/dsl/errors.js';
import { evaluatePlain } from '../../src/mpc/evaluate.js';
import { MAX_IDENTIFIER_LENGTH, MAX_INTEGER_DIGITS, MAX_IR_NODES } from '../../src/mpc/ir.js';

const SAMPLE = 'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n';

/** The error compileDsl throws for `source`, which must be a DslCompileError. */
function failure(source: string): DslCompileError {
  try {
    compileDsl(source);
  } catch (e) {
    expect(e).toBeInstanceOf(DslCompileError);
    return e as DslCompileError;
  }
  throw new Error('compiled without error');
}

function expectError(source: string, code: string, line: number, column: number, message?: RegExp): void {
  const e = failure(source);
  expect({ code: e.code, line: e.line, column: e.column }).toEqual({ code, line, column });
  expect(e.details).toEqual({ line, column });
  expect(e.status).toBe(400);
  expect(e.message.startsWith(`line ${line}, column ${column}: `)).toBe(true);
  if (message !== undefined) expect(e.message).toMatch(message);
}

const ids = (src: string): string[] => compileDsl(src).nodes.map((n) => n.id);

describe('compileDsl: statements (QuorumVM tests/test_compiler.py)', () => {
  it('compiles the sample: 4 nodes, output y, types, const value, op inputs', () => {
    const ir = compileDsl(SAMPLE);
    expect(ir.nodes).toEqual([
      { id: 'x', type: 'input', inputs: [] },
      { id: 'c', type: 'const', inputs: [], value: 7n },
      { id: 't', type: 'add', op: 'add', inputs: ['x', 'c'] },
      { id: 'y', type: 'mul', op: 'mul', inputs: ['t', 't'] },
    ]);
    expect(ir.outputNodeIds).toEqual(['y']);
    expect(evaluatePlain(ir, { x: 3n }).get('y')).toBe(100n);
  });

  it('skips comments and blank lines, strips indentation', () => {
    const ir = compileDsl('\n    # This is a comment\n    input a\n\n    const b = 3\n    add c = a b\n    output c\n    ');
    expect(ir.outputNodeIds).toEqual(['c']);
    expect(compileDsl('#x\n   #\tcomment\ninput a\noutput a').nodes.length).toBe(1);
  });

  it('compiles sub, neg, mux and secret nodes', () => {
    expect(compileDsl('input a\nconst b = 2\nsub c = a b\noutput c').nodes[2]).toEqual({ id: 'c', type: 'sub', op: 'sub', inputs: ['a', 'b'] });
    expect(compileDsl('input x\nneg y = x\noutput y').nodes[1]).toEqual({ id: 'y', type: 'neg', op: 'neg', inputs: ['x'] });
    expect(compileDsl('input s\ninput a\ninput b\nmux r = s a b\noutput r').nodes[3]).toEqual({ id: 'r', type: 'mux', op: 'mux', inputs: ['s', 'a', 'b'] });
    expect(compileDsl('secret w\ninput x\nmul y = w x\noutput y').nodes[0]).toEqual({ id: 'w', type: 'secret', inputs: [] });
  });

  it('reads keywords case-insensitively, names case-sensitively', () => {
    expect(ids('INPUT X\nInput x\nADD s = X x\nOutPut s')).toEqual(['X', 'x', 's']);
  });

  it('multi-output on one line or accumulated over several', () => {
    expect(compileDsl('input x\nconst c = 3\nadd a = x c\nmul b = x c\noutput a b').outputNodeIds).toEqual(['a', 'b']);
    expect(compileDsl('input x\nconst c = 5\nadd a = x c\nsub b = x c\noutput a\noutput b').outputNodeIds).toEqual(['a', 'b']);
    expect(compileDsl('input x\noutput x').outputNodeIds).toEqual(['x']);
  });

  it('reads integer literals as Python int(): sign, underscores, leading zeros, any size', () => {
    const v = (lit: string): bigint | undefined => compileDsl(`const c = ${lit}\noutput c`).nodes[0]!.value;
    expect(v('-5')).toBe(-5n);
    expect(v('+5')).toBe(5n);
    expect(v('007')).toBe(7n);
    expect(v('1_000_000')).toBe(1_000_000n);
    expect(v('170141183460469231731687303715884105727123')).toBe(170141183460469231731687303715884105727123n);
    expect(v('9'.repeat(MAX_INTEGER_DIGITS))).toBe(10n ** BigInt(MAX_INTEGER_DIGITS) - 1n);
  });

  it('splits lines and tokens as Python does (\\r\\n, \\r, \\u2028; tabs, NBSP, ideographic space)', () => {
    expect(ids('input a\r\ninput b\rinput c\u2028input d\x85output a')).toEqual(['a', 'b', 'c', 'd']);
    expect(ids('input\ta\ninput\u00a0b\ninput\u3000c\noutput a')).toEqual(['a', 'b', 'c']);
  });
});

describe('compileDsl: macros expand exactly as QuorumVM', () => {
  it('dot with two pairs: two muls, then the add named by the user', () => {
    const ir = compileDsl('input a1\ninput b1\ninput a2\ninput b2\ndot result = a1 b1 a2 b2\noutput result');
    expect(ir.nodes.slice(4)).toEqual([
      { id: '__dot_result_m_1', type: 'mul', op: 'mul', inputs: ['a1', 'b1'] },
      { id: '__dot_result_m_2', type: 'mul', op: 'mul', inputs: ['a2', 'b2'] },
      { id: 'result', type: 'add', op: 'add', inputs: ['__dot_result_m_1', '__dot_result_m_2'] },
    ]);
  });

  it('dot with three pairs names the middle sum __dot_<n>_s_<k>', () => {
    expect(ids('input a\ndot d = a a a a a a\noutput d').slice(1)).toEqual(['__dot_d_m_1', '__dot_d_m_2', '__dot_d_m_3', '__dot_d_s_4', 'd']);
    const ir = compileDsl('input a\ninput b\ndot d = a b b b a a\noutput d');
    expect(evaluatePlain(ir, { a: 2n, b: 3n }).get('d')).toBe(6n + 9n + 4n);
  });

  it('dot with one pair: mul, a const 0 and an add alias', () => {
    const ir = compileDsl('input a\ninput b\ndot result = a b\noutput result');
    expect(ir.nodes.slice(2)).toEqual([
      { id: '__dot_result_m_1', type: 'mul', op: 'mul', inputs: ['a', 'b'] },
      { id: '__dot_result_z_2', type: 'const', inputs: [], value: 0n },
      { id: 'result', type: 'add', op: 'add', inputs: ['__dot_result_m_1', '__dot_result_z_2'] },
    ]);
  });

  it('polyeval by Horner from the highest coefficient', () => {
    const ir = compileDsl('input x\nconst c0 = 1\nconst c1 = 2\nconst c2 = 3\npolyeval p = x c0 c1 c2\noutput p');
    expect(ir.nodes.slice(4).map((n) => [n.id, n.inputs])).toEqual([
      ['__poly_p_m_1', ['c2', 'x']], ['__poly_p_a_2', ['__poly_p_m_1', 'c1']], ['__poly_p_m_3', ['__poly_p_a_2', 'x']], ['p', ['__poly_p_m_3', 'c0']],
    ]);
    expect(evaluatePlain(ir, { x: 5n }).get('p')).toBe(1n + 2n * 5n + 3n * 25n);
  });

  it('polyeval with one coefficient: a const 0 and an add alias', () => {
    const ir = compileDsl('input x\nconst c0 = 42\npolyeval p = x c0\noutput p');
    expect(ir.nodes.slice(2)).toEqual([
      { id: '__poly_p_z_1', type: 'const', inputs: [], value: 0n },
      { id: 'p', type: 'add', op: 'add', inputs: ['c0', '__poly_p_z_1'] },
    ]);
  });

  it('one counter for the whole program', () => {
    expect(ids('input a\ndot d = a a\npolyeval p = a a a\noutput d p').slice(1)).toEqual(['__dot_d_m_1', '__dot_d_z_2', 'd', '__poly_p_m_3', 'p']);
  });
});

describe('compileDsl: errors carry code, line and column', () => {
  it('missing output (QuorumVM "No output"): at the end of the source', () => {
    expectError('input x\nconst c = 1\nadd t = x c', 'ERR_DSL_NO_OUTPUT', 3, 12, /no output/);
    expectError('', 'ERR_DSL_NO_OUTPUT', 1, 1);
  });

  it('duplicate identifier', () => {
    expectError('input x\ninput x\noutput x', 'ERR_DSL_DUPLICATE_IDENTIFIER', 2, 7, /duplicate identifier 'x'/);
    expectError('input x\nconst  x = 1\noutput x', 'ERR_DSL_DUPLICATE_IDENTIFIER', 2, 8);
  });

  it('duplicate identifier made by a macro expansion, before or after it', () => {
    expectError('input a\ninput __dot_d_m_1\ndot d = a a\noutput d', 'ERR_DSL_DUPLICATE_IDENTIFIER', 3, 5, /__dot_d_m_1.*synthesized/);
    expectError('input a\ndot d = a a\ninput __dot_d_z_2\noutput d', 'ERR_DSL_DUPLICATE_IDENTIFIER', 3, 7);
  });

  it('undefined identifier (also use before definition, and self reference)', () => {
    expectError('input x\nadd t = x z\noutput t', 'ERR_DSL_UNDEFINED_IDENTIFIER', 2, 11, /line 2, column 11: undefined identifier 'z'/);
    expectError('add t = x x\ninput x\noutput t', 'ERR_DSL_UNDEFINED_IDENTIFIER', 1, 9);
    expectError('input x\nadd t = t x\noutput t', 'ERR_DSL_UNDEFINED_IDENTIFIER', 2, 9);
    expectError('input x\noutput   q', 'ERR_DSL_UNDEFINED_IDENTIFIER', 2, 10);
  });

  it('duplicate output, on one line or over several', () => {
    expectError('input x\noutput x\noutput x', 'ERR_DSL_DUPLICATE_OUTPUT', 3, 8, /duplicate output 'x'/);
    expectError('input x\noutput x x', 'ERR_DSL_DUPLICATE_OUTPUT', 2, 10);
  });

  it('unknown keyword', () => {
    expectError('input x\n  div y = x x\noutput y', 'ERR_DSL_UNKNOWN_KEYWORD', 2, 3, /unknown keyword 'div'/);
  });

  it('incomplete statements: the column is just past the last token', () => {
    expectError('input', 'ERR_DSL_INCOMPLETE_STATEMENT', 1, 6);
    expectError('input x\nadd t = x', 'ERR_DSL_INCOMPLETE_STATEMENT', 2, 10);
    expectError('const c =', 'ERR_DSL_INCOMPLETE_STATEMENT', 1, 10);
    expectError('input x\nneg y', 'ERR_DSL_INCOMPLETE_STATEMENT', 2, 6);
    expectError('input x\nmux m = x x', 'ERR_DSL_INCOMPLETE_STATEMENT', 2, 12);
    expectError('input x\noutput', 'ERR_DSL_INCOMPLETE_STATEMENT', 2, 7);
    // QuorumVM reads every argument before checking any: a missing one wins over an undefined one
    expectError('add t = zz', 'ERR_DSL_INCOMPLETE_STATEMENT', 1, 11);
  });

  it('bad macro arguments (QuorumVM "even number", "at least")', () => {
    expectError('input a\ndot r = a\noutput r', 'ERR_DSL_BAD_ARGUMENTS', 2, 9, /even number/);
    expectError('input a\ndot r = a a a\noutput r', 'ERR_DSL_BAD_ARGUMENTS', 2, 13);
    expectError('input a\ndot r\noutput r', 'ERR_DSL_BAD_ARGUMENTS', 2, 6);
    expectError('input x\npolyeval p = x\noutput p', 'ERR_DSL_BAD_ARGUMENTS', 2, 15, /at least/);
    expectError('input x\npolyeval p =\noutput p', 'ERR_DSL_BAD_ARGUMENTS', 2, 13);
  });

  it('invalid integer literals', () => {
    for (const lit of ['1.5', '0x10', '1e3', '1__0', '_1', '1_', '--1', '٣', 'seven', '#']) {
      expectError(`const c = ${lit}\noutput c`, 'ERR_DSL_INVALID_INTEGER', 1, 11);
    }
  });

  it('missing = (QuorumVM skips that token)', () => {
    expectError('input x\nadd t x x x\noutput t', 'ERR_DSL_MISSING_EQUALS', 2, 7, /expected '='/);
    expectError('const c 5 5', 'ERR_DSL_MISSING_EQUALS', 1, 9);
    expectError('input a\ndot d : a a', 'ERR_DSL_MISSING_EQUALS', 2, 7);
  });

  it('extra tokens, a trailing # comment among them (QuorumVM ignores them)', () => {
    expectError('input x y\noutput x', 'ERR_DSL_EXTRA_TOKEN', 1, 9);
    expectError('input x\nadd t = x x # twice x\noutput t', 'ERR_DSL_EXTRA_TOKEN', 2, 13, /unexpected token '#'/);
    expectError('const c = 1 2', 'ERR_DSL_EXTRA_TOKEN', 1, 13);
    expectError('input x\nneg n = x x', 'ERR_DSL_EXTRA_TOKEN', 2, 11);
    // in an output line a trailing comment is a name, and undefined
    expectError('input x\noutput x # result', 'ERR_DSL_UNDEFINED_IDENTIFIER', 2, 10);
  });

  it('invalid identifiers', () => {
    for (const name of ['1x', 'a-b', 'x.y', '=', 'é', '#x']) {
      expectError(`input ${name}\noutput x`, 'ERR_DSL_INVALID_IDENTIFIER', 1, 7);
    }
  });

  it('limits: identifier length, literal digits, node count, source length', () => {
    expect(ids(`input ${'a'.repeat(MAX_IDENTIFIER_LENGTH)}\noutput ${'a'.repeat(MAX_IDENTIFIER_LENGTH)}`)).toHaveLength(1);
    expectError(`input ${'a'.repeat(MAX_IDENTIFIER_LENGTH + 1)}`, 'ERR_DSL_LIMIT', 1, 7);
    expectError(`const c = ${'9'.repeat(MAX_INTEGER_DIGITS + 1)}`, 'ERR_DSL_LIMIT', 1, 11);
    expectError(`const c = ${'1_'.repeat(5000)}1`, 'ERR_DSL_LIMIT', 1, 11);
    // a macro name whose synthesized names would be too long
    expectError(`input a\ndot ${'d'.repeat(120)} = a a`, 'ERR_DSL_LIMIT', 2, 5);
    // a macro counts its expansion: K pairs make 2K − 1 nodes
    const pairs = (k: number): string => ' a a'.repeat(k);
    expectError(`input a\ndot d =${pairs(MAX_IR_NODES / 2 + 1)}`, 'ERR_DSL_LIMIT', 2, 1, /exceeds 100000 nodes/);
    const full = `input a\ndot d =${pairs(MAX_IR_NODES / 2 - 1)}\ninput b\ninput c`;
    expect(compileDsl(`${full}\noutput d`).nodes).toHaveLength(MAX_IR_NODES);
    expectError(`${full}\ninput e`, 'ERR_DSL_LIMIT', 5, 1);
    expectError(`${'#'.repeat(MAX_DSL_SOURCE_LENGTH)}\ninput x`, 'ERR_DSL_LIMIT', 1, MAX_DSL_SOURCE_LENGTH + 1, /source longer/);
  });

  it('refuses a non-string source with a TypeError', () => {
    expect(() => compileDsl(42 as unknown as string)).toThrow(TypeError);
  });

  it('quotes long tokens shortened', () => {
    expect(failure(`input x\nadd t = x ${'q'.repeat(100)}`).message).toMatch(/'q{40}…'$/);
  });
});
