// Evaluating a parsed condition (parser.ts) against a request context — total and side-effect free:
// it reads own properties of plain objects only (never prototypes, getters or functions) and never
// throws. A path that is absent, or lands on anything but a number, string or boolean, is "absent".
// Comparisons: two numbers numerically; two strings == / != by value and < <= > >= by UTF-16 code
// units; two booleans == / != only; any other pairing — mismatched types, or an absent side — is
// false, whatever the operator (so `not (x == 1)` holds when x is absent). A bare operand holds only
// when it is the boolean true. The tree is compiled once into closures. Browser-safe.

import type { ConditionNode, ConditionOp, ConditionOperand } from './parser.js';

type Scalar = number | string | boolean | undefined;
type Getter = (ctx: unknown) => Scalar;
/** A compiled condition: true when it holds for `ctx`. */
export type CompiledCondition = (ctx: unknown) => boolean;

function scalar(v: unknown): Scalar {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Reads the scalar at `path` in `ctx` by the evaluator's rules: own data properties of plain objects
 * only (never prototypes, getters or functions); anything but a number, string or boolean is absent
 * (`undefined`). Never throws.
 * @example
 * readPath({ resource: { storage: 5 } }, ['resource', 'storage']); // 5
 */
export function readPath(ctx: unknown, path: readonly string[]): Scalar {
  let cur: unknown = ctx;
  for (const key of path) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, key)) return undefined;
    const d = Object.getOwnPropertyDescriptor(cur, key)!;
    if (!('value' in d)) return undefined; // an accessor: never called
    cur = d.value;
  }
  return scalar(cur);
}

function getter(o: ConditionOperand): Getter {
  if (o.type === 'literal') {
    const v = o.value;
    return () => v;
  }
  const path = o.path;
  return (ctx) => readPath(ctx, path);
}

function compare(op: ConditionOp, a: Scalar, b: Scalar): boolean {
  if (a === undefined || b === undefined || typeof a !== typeof b) return false;
  if (typeof a === 'boolean') return op === '==' ? a === b : op === '!=' ? a !== b : false;
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < (b as typeof a);
    case '<=': return a <= (b as typeof a);
    case '>': return a > (b as typeof a);
    case '>=': return a >= (b as typeof a);
  }
}

/** Compiles a condition tree into a total predicate over a request context. */
export function compileCondition(node: ConditionNode): CompiledCondition {
  switch (node.type) {
    case 'and': {
      const l = compileCondition(node.left);
      const r = compileCondition(node.right);
      return (ctx) => l(ctx) && r(ctx);
    }
    case 'or': {
      const l = compileCondition(node.left);
      const r = compileCondition(node.right);
      return (ctx) => l(ctx) || r(ctx);
    }
    case 'not': {
      const inner = compileCondition(node.operand);
      return (ctx) => !inner(ctx);
    }
    case 'compare': {
      const l = getter(node.left);
      const r = getter(node.right);
      const op = node.op;
      return (ctx) => compare(op, l(ctx), r(ctx));
    }
    case 'value': {
      const g = getter(node.operand);
      return (ctx) => g(ctx) === true;
    }
  }
}
