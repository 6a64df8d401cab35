// The MPC program DSL compiler: QuorumVM's quorumvm/compiler/dsl_parser.py (`compile_source`), one
// statement per line, to the IR of ../ir.ts. Lines split as Python's str.splitlines(), tokens as
// str.split() (Python's whitespace set), keywords case-insensitive (`tokens[0].lower()`); a blank
// line or one whose first token starts with `#` is skipped, and a `#` later in a line is an
// ordinary token. The `dot` and `polyeval` macros expand exactly as QuorumVM's do — same
// synthesized names (`__dot_<n>_m_<k>`, `__poly_<n>_a_<k>`, …, one counter for the program), same
// node order — so the IR, and with it the program id, reproduces QuorumVM's.
//
// Grammar (QuorumVM's, plus `secret`):
//   input <n> | secret <n> | const <n> = <int> | add|sub|mul <n> = <a> <b> | neg <n> = <a>
//   mux <n> = <s> <a> <b> | dot <n> = <a1> <b1> … | polyeval <n> = <x> <c0> … <cN> | output <n> …
// Stricter than QuorumVM: the `=` must be there (QuorumVM skips the token unread), a statement may
// not have extra tokens, a defined name must match IDENTIFIER_PATTERN, `output` needs a name, and
// every size the source controls is capped (source length, nodes, identifier length, digits).
// Browser-safe.

import { IDENTIFIER_PATTERN, MAX_IDENTIFIER_LENGTH, MAX_INTEGER_DIGITS, MAX_IR_NODES } from '../ir.js';
import type { Ir, IrNode, OpType } from '../ir.js';
import {
  DslBadArgumentsError, DslCompileError, DslDuplicateIdentifierError, DslDuplicateOutputError, DslExtraTokenError,
  DslIncompleteStatementError, DslInvalidIdentifierError, DslInvalidIntegerError, DslLimitError, DslMissingEqualsError,
  DslNoOutputError, DslUndefinedIdentifierError, DslUnknownKeywordError, quoteToken,
} from './errors.js';

/** Longest source accepted, in UTF-16 code units (1 MiB of ASCII). */
export const MAX_DSL_SOURCE_LENGTH = 1 << 20;

// Python's str.splitlines() boundaries and str.split()/strip() whitespace (str.isspace()).
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
const TOKEN = /[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
// Python int() of a base-10 string: optional sign, ASCII digits, single underscores between digits.
const INTEGER = /^[+-]?[0-9](?:_?[0-9])*$/;

type DslErrorClass = new (what: string, line: number, column: number) => DslCompileError;

interface Token {
  readonly text: string;
  /** 1-based column in the raw line. */
  readonly column: number;
}

function tokenize(raw: string): Token[] {
  const out: Token[] = [];
  for (const m of raw.matchAll(TOKEN)) out.push({ text: m[0], column: m.index + 1 });
  return out;
}

/** Position just past the end of `text` (its last line, the column after its last character). */
function endPosition(text: string): [number, number] {
  const lines = text.split(LINE_BREAK);
  return [lines.length, lines[lines.length - 1]!.length + 1];
}

/** One compilation: the program so far and the line being read. */
class DslCompiler {
  readonly nodes: IrNode[] = [];
  readonly outputs: string[] = [];
  private readonly defined = new Set<string>();
  private readonly outputSet = new Set<string>();
  private counter = 0;
  private line = 0;
  private tokens: Token[] = [];

  fail(C: DslErrorClass, what: string, at?: Token): DslCompileError {
    const last = this.tokens[this.tokens.length - 1];
    const column = at?.column ?? (last === undefined ? 1 : last.column + last.text.length);
    return new C(what, this.line, column);
  }

  /** Reads one line (`line` is 1-based). */
  statement(line: number, raw: string): void {
    this.line = line;
    this.tokens = tokenize(raw);
    const head = this.tokens[0];
    if (head === undefined || head.text.startsWith('#')) return;
    const keyword = head.text.toLowerCase();
    switch (keyword) {
      case 'input': case 'secret': return this.parameter(keyword);
      case 'const': return this.constant();
      case 'add': case 'sub': case 'mul': return this.operation(keyword, 2);
      case 'neg': return this.operation('neg', 1);
      case 'mux': return this.operation('mux', 3);
      case 'dot': return this.dot();
      case 'polyeval': return this.polyeval();
      case 'output': return this.output();
      default: throw this.fail(DslUnknownKeywordError, `unknown keyword ${quoteToken(keyword)}`, head);
    }
  }

  private token(i: number): Token {
    const t = this.tokens[i];
    if (t === undefined) throw this.fail(DslIncompleteStatementError, 'incomplete statement');
    return t;
  }

  /** The name a statement defines (token 1): an identifier not defined yet. */
  private defineName(): string {
    const t = this.token(1);
    if (t.text.length > MAX_IDENTIFIER_LENGTH) throw this.fail(DslLimitError, `identifier longer than ${MAX_IDENTIFIER_LENGTH} characters`, t);
    if (!IDENTIFIER_PATTERN.test(t.text)) throw this.fail(DslInvalidIdentifierError, `invalid identifier ${quoteToken(t.text)}`, t);
    if (this.defined.has(t.text)) throw this.fail(DslDuplicateIdentifierError, `duplicate identifier ${quoteToken(t.text)}`, t);
    return t.text;
  }

  private expectEquals(): void {
    const t = this.token(2);
    if (t.text !== '=') throw this.fail(DslMissingEqualsError, `expected '=', got ${quoteToken(t.text)}`, t);
  }

  private reference(t: Token): string {
    if (!this.defined.has(t.text)) throw this.fail(DslUndefinedIdentifierError, `undefined identifier ${quoteToken(t.text)}`, t);
    return t.text;
  }

  private noExtra(count: number): void {
    const t = this.tokens[count];
    if (t !== undefined) throw this.fail(DslExtraTokenError, `unexpected token ${quoteToken(t.text)} after the statement`, t);
  }

  private reserve(count: number): void {
    if (this.nodes.length + count > MAX_IR_NODES) throw this.fail(DslLimitError, `program exceeds ${MAX_IR_NODES} nodes`, this.tokens[0]);
  }

  private push(node: IrNode): void {
    this.nodes.push(node);
    this.defined.add(node.id);
  }

  private pushOp(id: string, op: OpType, inputs: readonly string[]): void {
    this.push({ id, type: op, op, inputs });
  }

  /** QuorumVM's `_synth_name`: `__<prefix>_<counter>`, the counter shared by the whole program. */
  private synthName(prefix: string): string {
    const id = `__${prefix}_${++this.counter}`;
    const at = this.tokens[1];
    if (id.length > MAX_IDENTIFIER_LENGTH) throw this.fail(DslLimitError, `macro name too long: its expansion needs identifiers longer than ${MAX_IDENTIFIER_LENGTH} characters`, at);
    if (this.defined.has(id)) throw this.fail(DslDuplicateIdentifierError, `duplicate identifier ${quoteToken(id)} (synthesized by the macro)`, at);
    return id;
  }

  private parameter(type: 'input' | 'secret'): void {
    const id = this.defineName();
    this.noExtra(2);
    this.reserve(1);
    this.push({ id, type, inputs: [] });
  }

  private constant(): void {
    const id = this.defineName();
    this.expectEquals();
    const value = this.integer(this.token(3));
    this.noExtra(4);
    this.reserve(1);
    this.push({ id, type: 'const', inputs: [], value });
  }

  private integer(t: Token): bigint {
    const s = t.text;
    // A cheap bound before the pattern: at most one underscore between two digits, one sign.
    if (s.length > 2 * MAX_INTEGER_DIGITS) throw this.fail(DslLimitError, `integer literal longer than ${MAX_INTEGER_DIGITS} digits`, t);
    if (!INTEGER.test(s)) throw this.fail(DslInvalidIntegerError, `invalid integer literal ${quoteToken(s)}`, t);
    const digits = s.replace(/[+_-]/g, '');
    if (digits.length > MAX_INTEGER_DIGITS) throw this.fail(DslLimitError, `integer literal longer than ${MAX_INTEGER_DIGITS} digits`, t);
    const v = BigInt(digits);
    return s.startsWith('-') ? -v : v;
  }

  private operation(op: OpType, arity: number): void {
    const id = this.defineName();
    this.expectEquals();
    // QuorumVM reads every argument token before it checks any (IndexError first).
    const args = Array.from({ length: arity }, (_, i) => this.token(3 + i));
    const inputs = args.map((t) => this.reference(t));
    this.noExtra(3 + arity);
    this.reserve(1);
    this.pushOp(id, op, inputs);
  }

  /** Token 1 (the name), the `=` when there is a token 2, and the arguments after it. */
  private macroHead(): [string, Token[]] {
    const id = this.defineName();
    if (this.tokens.length > 2) this.expectEquals();
    return [id, this.tokens.slice(3)];
  }

  /** `dot n = a1 b1 … aK bK`: K muls, then K − 1 adds (the last named n), or a `+ 0` alias when K = 1. */
  private dot(): void {
    const [id, args] = this.macroHead();
    if (args.length < 2 || args.length % 2 !== 0) {
      throw this.fail(DslBadArgumentsError, 'dot requires an even number of arguments (pairs)', args.length % 2 === 1 ? args[args.length - 1] : undefined);
    }
    const names = args.map((t) => this.reference(t));
    const k = names.length / 2;
    this.reserve(k === 1 ? 3 : 2 * k - 1);
    const partials: string[] = [];
    for (let i = 0; i < k; i++) {
      const m = this.synthName(`dot_${id}_m`);
      this.pushOp(m, 'mul', [names[2 * i]!, names[2 * i + 1]!]);
      partials.push(m);
    }
    let acc = partials[0]!;
    for (let i = 1; i < k; i++) {
      const s = i === k - 1 ? id : this.synthName(`dot_${id}_s`);
      this.pushOp(s, 'add', [acc, partials[i]!]);
      acc = s;
    }
    if (k === 1) this.aliasWithZero(id, partials[0]!, `dot_${id}_z`);
  }

  /** `polyeval n = x c0 … cN`: Horner from cN down (a mul and an add per step), or a `+ 0` alias when N = 0. */
  private polyeval(): void {
    const [id, args] = this.macroHead();
    if (args.length < 2) throw this.fail(DslBadArgumentsError, 'polyeval requires at least x and one coefficient');
    const [x, ...coeffs] = args.map((t) => this.reference(t)) as [string, ...string[]];
    this.reserve(coeffs.length === 1 ? 2 : 2 * (coeffs.length - 1));
    if (coeffs.length === 1) return this.aliasWithZero(id, coeffs[0]!, `poly_${id}_z`);
    let acc = coeffs[coeffs.length - 1]!;
    for (let i = coeffs.length - 2; i >= 0; i--) {
      const m = this.synthName(`poly_${id}_m`);
      this.pushOp(m, 'mul', [acc, x]);
      const a = i === 0 ? id : this.synthName(`poly_${id}_a`);
      this.pushOp(a, 'add', [m, coeffs[i]!]);
      acc = a;
    }
  }

  /** QuorumVM's alias for a macro whose value is an existing node: `const z = 0`, `add id = of z`. */
  private aliasWithZero(id: string, of: string, zeroPrefix: string): void {
    const z = this.synthName(zeroPrefix);
    this.push({ id: z, type: 'const', inputs: [], value: 0n });
    this.pushOp(id, 'add', [of, z]);
  }

  private output(): void {
    if (this.tokens.length < 2) throw this.fail(DslIncompleteStatementError, 'incomplete statement: output needs at least one name');
    for (const t of this.tokens.slice(1)) {
      const id = this.reference(t);
      if (this.outputSet.has(id)) throw this.fail(DslDuplicateOutputError, `duplicate output ${quoteToken(id)}`, t);
      this.outputSet.add(id);
      this.outputs.push(id);
    }
  }
}

/**
 * Compiles DSL `source` to an IR, as QuorumVM's `compile_source` does (see the module header for
 * the grammar and where quorumkit is stricter).
 * @throws TypeError when `source` is not a string; a {@link DslCompileError} subclass (HTTP 400,
 *   `details: { line, column }`) for every error in the program: duplicate or undefined identifier,
 *   unknown keyword, incomplete statement, missing `=`, extra token, bad macro arguments, invalid
 *   integer or identifier, duplicate output, no output, or a size limit.
 * @example
 * compileDsl('input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y');
 * // { nodes: [x, c, t, y], outputNodeIds: ['y'] }
 */
export function compileDsl(source: string): Ir {
  if (typeof source !== 'string') throw new TypeError(`"source" expected string, got ${source === null ? 'null' : typeof source}`);
  if (source.length > MAX_DSL_SOURCE_LENGTH) {
    const [line, column] = endPosition(source.slice(0, MAX_DSL_SOURCE_LENGTH));
    throw new DslLimitError(`source longer than ${MAX_DSL_SOURCE_LENGTH} characters`, line, column);
  }
  const c = new DslCompiler();
  source.split(LINE_BREAK).forEach((raw, i) => c.statement(i + 1, raw));
  if (c.outputs.length === 0) {
    const [line, column] = endPosition(source);
    throw new DslNoOutputError('no output statement found', line, column);
  }
  return { nodes: c.nodes, outputNodeIds: c.outputs };
}
