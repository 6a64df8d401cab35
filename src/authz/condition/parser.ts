// The condition language of law norms and policies — upstream evaluates them with Python eval();
// ours is small, total and side-effect free. Grammar (lowest precedence first):
//
//   or      := and ('or' and)*
//   and     := not ('and' not)*
//   not     := 'not' not | atom
//   atom    := '(' or ')' | operand (cmp operand)?
//   operand := NUMBER | STRING | 'true' | 'false' | path
//   path    := IDENT ('.' IDENT)*
//   cmp     := '==' | '!=' | '<' | '<=' | '>' | '>='
//
// A bare operand is a condition that holds only when it is the boolean true. Nesting (parentheses
// and `not`) is capped at MAX_CONDITION_DEPTH, text and tokens in lexer.ts. Everything else — calls,
// indexing, arithmetic, assignment, attribute access through anything but a dotted name — is not in
// the language: a ConditionSyntaxError with the offset. Browser-safe.

import { syntaxError, tokenize, type ConditionToken } from './lexer.js';

/** A comparison operator. */
export type ConditionOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A value in a condition: a literal, or a dotted path into the request context. */
export type ConditionOperand =
  | { readonly type: 'literal'; readonly value: number | string | boolean }
  | { readonly type: 'path'; readonly path: readonly string[] };

/** The parsed condition. */
export type ConditionNode =
  | { readonly type: 'and' | 'or'; readonly left: ConditionNode; readonly right: ConditionNode }
  | { readonly type: 'not'; readonly operand: ConditionNode }
  | { readonly type: 'compare'; readonly op: ConditionOp; readonly left: ConditionOperand; readonly right: ConditionOperand }
  | { readonly type: 'value'; readonly operand: ConditionOperand };

/** The deepest nesting of parentheses and `not` accepted. */
export const MAX_CONDITION_DEPTH = 32;

class Parser {
  #i = 0;
  #depth = 0;
  constructor(readonly tokens: readonly ConditionToken[]) {}

  get #peek(): ConditionToken {
    return this.tokens[this.#i]!;
  }

  #isKeyword(k: string): boolean {
    const t = this.#peek;
    return t.kind === 'keyword' && t.value === k;
  }

  #describe(t: ConditionToken): string {
    return t.kind === 'end' ? 'the end' : t.kind === 'string' ? 'a string' : t.kind === 'number' ? 'a number' : JSON.stringify(t.value);
  }

  #enter(pos: number): void {
    if (++this.#depth > MAX_CONDITION_DEPTH) throw syntaxError(`nested deeper than ${MAX_CONDITION_DEPTH}`, pos);
  }

  parse(): ConditionNode {
    const node = this.#or();
    const t = this.#peek;
    if (t.kind !== 'end') throw syntaxError(`expected and, or or the end, found ${this.#describe(t)}`, t.pos);
    return node;
  }

  #or(): ConditionNode {
    return this.#chain('or', () => this.#and());
  }

  #and(): ConditionNode {
    return this.#chain('and', () => this.#not());
  }

  /** `next (keyword next)*`, folded to the left. */
  #chain(keyword: 'and' | 'or', next: () => ConditionNode): ConditionNode {
    let left = next();
    while (this.#isKeyword(keyword)) {
      this.#i++;
      left = { type: keyword, left, right: next() };
    }
    return left;
  }

  #not(): ConditionNode {
    if (this.#isKeyword('not')) {
      const pos = this.#peek.pos;
      this.#i++;
      this.#enter(pos);
      const operand = this.#not();
      this.#depth--;
      return { type: 'not', operand };
    }
    return this.#atom();
  }

  #atom(): ConditionNode {
    const t = this.#peek;
    if (t.kind === 'punct' && t.value === '(') {
      this.#i++;
      this.#enter(t.pos);
      const inner = this.#or();
      this.#depth--;
      const close = this.#peek;
      if (close.kind !== 'punct' || close.value !== ')') throw syntaxError(`expected ")", found ${this.#describe(close)}`, close.pos);
      this.#i++;
      return inner;
    }
    const left = this.#operand();
    const op = this.#peek;
    if (op.kind !== 'op') return { type: 'value', operand: left };
    this.#i++;
    return { type: 'compare', op: op.value, left, right: this.#operand() };
  }

  #operand(): ConditionOperand {
    const t = this.#peek;
    if (t.kind === 'number' || t.kind === 'string') {
      this.#i++;
      return { type: 'literal', value: t.value };
    }
    if (t.kind === 'keyword' && (t.value === 'true' || t.value === 'false')) {
      this.#i++;
      return { type: 'literal', value: t.value === 'true' };
    }
    if (t.kind !== 'ident') throw syntaxError(`expected a value or a field, found ${this.#describe(t)}`, t.pos);
    const path = [t.value];
    this.#i++;
    for (;;) {
      const dot = this.#peek;
      if (dot.kind !== 'punct' || dot.value !== '.') break;
      this.#i++;
      const name = this.#peek;
      if (name.kind !== 'ident') throw syntaxError(`expected a field name after ".", found ${this.#describe(name)}`, name.pos);
      path.push(name.value);
      this.#i++;
    }
    return { type: 'path', path };
  }
}

/**
 * Parses a condition into its tree.
 * @throws ConditionSyntaxError (`ERR_AUTHZ_CONDITION`, `details.position`) for anything outside the
 *   language or its limits; TypeError when `text` is not a string.
 * @example
 * parseConditionTree('atp_cost <= 1000 and resource.storage <= 10000');
 */
export function parseConditionTree(text: string): ConditionNode {
  return new Parser(tokenize(text)).parse();
}
