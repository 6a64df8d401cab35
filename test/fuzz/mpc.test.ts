// Fuzzing the MPC program toolchain's readers: compileDsl on garbage text, on programs of random
// DSL tokens and on mutations of valid sources; parseIr and parsePackage on random and hostile JSON
// values, on parsed JSON text and on mutations of genuine IRs and packages. Law: each returns, or
// throws its own typed errors only (DslCompileError; InvalidIrError; InvalidPackageError,
// ProgramIdMismatchError) — never a TypeError, RangeError or an engine error. Whatever compiles or
// parses is a valid IR: it reads back unchanged through irToJson/parseIr.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizePython } from '../../src/core/canonical-python.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { compileDsl } from '../../src/mpc/dsl/compile.js';
import { DslCompileError } from '../../src/mpc/dsl/errors.js';
import { irToJson, parseIr } from '../../src/mpc/ir-json.js';
import { buildPackage, packageToJson, parsePackage } from '../../src/mpc/package.js';
import { InvalidIrError, InvalidPackageError, ProgramIdMismatchError } from '../../src/mpc/program-errors.js';
import { fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, jsonText, jsonValue, mutateString, mutateValue, trickyString } from './_inputs.js';

const T = fuzzTimeout();

/** QuorumVM's test programs (tests/test_compiler.py), plus one with secrets. */
const SOURCES = [
  'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n',
  'input s\ninput a\ninput b\nmux r = s a b\nneg n = r\noutput r n',
  'input a1\ninput b1\ninput a2\ninput b2\ndot result = a1 b1 a2 b2\noutput result',
  'input x\nconst c0 = 1\nconst c1 = 2\nconst c2 = 3\npolyeval p = x c0 c1 c2\noutput p',
  '# scoring\nsecret w1\nsecret w2\ninput x1\ninput x2\nmul t1 = x1 w1\nmul t2 = x2 w2\nadd s = t1 t2\nsub d = s x1\noutput s\noutput d',
];

const token = fc.oneof(
  fc.constantFrom('input', 'secret', 'const', 'add', 'sub', 'mul', 'neg', 'mux', 'dot', 'polyeval', 'output', 'OUTPUT', '=', '#', 'x', 'y', 'a', 'b', '__dot_y_m_1', '0', '-1', '1_0', '1e3', '99999999999999999999999'),
  trickyString,
);
const name = fc.constantFrom('x', 'y', 'a', 'b');
/** A statement of the right shape on random names (often undefined or duplicate), or random tokens. */
const line = fc.oneof(
  fc.array(token, { maxLength: 7 }).map((t) => t.join(' ')),
  fc.tuple(fc.constantFrom('input', 'secret'), name).map((t) => t.join(' ')),
  fc.tuple(fc.constantFrom('add', 'sub', 'mul', 'dot'), name, name, name).map(([k, n, a, b]) => `${k} ${n} = ${a} ${b}`),
  fc.tuple(fc.constantFrom('neg', 'polyeval'), name, name, name).map(([k, n, a, b]) => `${k} ${n} = ${a}${k === 'neg' ? '' : ` ${b}`}`),
  fc.tuple(name, fc.bigInt()).map(([n, v]) => `const ${n} = ${v}`),
  fc.array(name, { minLength: 1, maxLength: 3 }).map((ns) => `output ${ns.join(' ')}`),
);
/** Programs of DSL statements and random tokens, with Python's line breaks. */
const tokenProgram = fc
  .tuple(fc.boolean(), fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\u2028'))
  .map(([declared, lines, sep]) => [...(declared ? ['input x', 'secret y'] : []), ...lines].join(sep));

/** Runs `f`; an error that is not one of `allowed` becomes an untyped failure. */
function onlyThrows(allowed: readonly (abstract new (...args: never[]) => Error)[], f: () => void): void {
  try {
    f();
  } catch (e) {
    if (allowed.some((C) => e instanceof C)) throw e;
    throw new Error(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : typeof e}`, { cause: e });
  }
}

function compileChecked(src: string): void {
  onlyThrows([DslCompileError], () => {
    const ir = compileDsl(src);
    expect(parseIr(irToJson(ir))).toEqual(ir);
  });
}

describe('compileDsl under fuzzing', () => {
  it('garbage text compiles or throws a DslCompileError', () => {
    fuzzSync('compileDsl(garbage)', fc.oneof(jsonText, fc.string({ maxLength: 200 }), trickyString), compileChecked);
  }, T);

  it('programs of random tokens compile or throw a DslCompileError', () => {
    fuzzSync('compileDsl(random tokens)', tokenProgram, compileChecked);
  }, T);

  it('mutated valid sources compile or throw a DslCompileError', () => {
    fuzzSync('compileDsl(mutated source)', fc.constantFrom(...SOURCES).chain(mutateString), compileChecked);
  }, T);
});

const IR_JSON = SOURCES.map((s) => irToJson(compileDsl(s)));
const PACKAGES = SOURCES.map((s) => parseStrict(canonicalizePython(packageToJson(buildPackage(compileDsl(s)))), { bigints: true }));

describe('parseIr and parsePackage under fuzzing', () => {
  const irChecked = (v: unknown): void => onlyThrows([InvalidIrError], () => {
    const ir = parseIr(v);
    expect(parseIr(irToJson(ir))).toEqual(ir);
  });
  const pkgChecked = (v: unknown): void => onlyThrows([InvalidIrError, InvalidPackageError, ProgramIdMismatchError], () => {
    parsePackage(v);
  });

  it('parseIr on any value, on parsed JSON text and on mutated IRs throws only InvalidIrError', () => {
    const parsed = jsonText.map((t) => { try { return parseStrict(t, { bigints: true }); } catch { return t; } });
    fuzzSync('parseIr(value)', fc.oneof(anyValue, jsonValue({ hostile: true }), parsed, fc.constantFrom(...IR_JSON).chain(mutateValue)), irChecked);
  }, T);

  it('parsePackage on any value and on mutated packages throws only its typed errors, and never accepts changed hashed content', () => {
    fuzzSync('parsePackage(value)', fc.oneof(anyValue, fc.constantFrom(...PACKAGES).chain(mutateValue)), pkgChecked);
    fuzzSync('parsePackage(mutated package) refused', fc.constantFrom(...PACKAGES).chain((p) => mutateValue(p).map((m) => [p, m] as const)), ([p, m], t) => {
      let changed: boolean;
      try {
        changed = canonicalizePython(m) !== canonicalizePython(p);
      } catch {
        changed = true;
      }
      if (!changed) return t.note('mutation changed nothing');
      pkgChecked(m); // throws when refused; returning means the hashed content is unchanged
      const { version: _v, ...hashed } = packageToJson(parsePackage(m));
      const { version: _w, ...original } = p as Record<string, unknown>;
      expect(canonicalizePython(hashed)).toBe(canonicalizePython(original));
      t.note('accepted: version changed (not hashed) or an equivalent encoding');
    });
  }, T);
});
