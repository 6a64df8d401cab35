// Sound, incomplete reasoning over condition trees for checkPolicy: "this can never hold", "this
// implies that". A condition is put in negation normal form and expanded to disjunctive normal form
// (capped at MAX_DNF_TERMS terms — past that, nothing is claimed); a conjunction of literals is
// unsatisfiable when, for one field, the literals that must hold conflict: two types (a comparison
// holds only between same-typed present values, condition/evaluate.ts), an empty numeric interval
// (bounds, == and != on numbers), an empty string set (== / != and order bounds), an empty boolean
// set, an ordering comparison with a boolean, or a constant false. A negated comparison constrains a
// field only when its type is already known (else it holds on an absent field). Law context facts
// (context.ts): action/target/requester/delegation are strings, atp_cost and timestamp numbers,
// atp_cost >= 0. Path-to-path comparisons are never reasoned about. "unsat" answers are proofs;
// "sat" answers mean "not proven unsat". Browser-safe.

import { compileCondition } from '../condition/evaluate.js';
import type { ConditionNode, ConditionOp } from '../condition/parser.js';
import { ALWAYS_PRESENT_FIELDS, LAW_SCALAR_FIELDS } from './context.js';

/** The most DNF terms one question may expand to before the analysis gives up (claims nothing). */
export const MAX_DNF_TERMS = 256;

type Value = number | string | boolean;
/** A literal: `field op value` holds (positive) or does not hold (negative); or a constant; or opaque. */
export type Literal =
  | { readonly kind: 'cmp'; readonly field: string; readonly op: ConditionOp; readonly value: Value; readonly positive: boolean }
  | { readonly kind: 'const'; readonly value: boolean }
  | { readonly kind: 'opaque'; readonly fields: readonly string[]; readonly positive: boolean };
/** A conjunction of literals. */
export type Term = readonly Literal[];

const FLIP: Record<ConditionOp, ConditionOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const NEGATE: Record<ConditionOp, ConditionOp> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

function literal(node: ConditionNode & { type: 'compare' | 'value' }, positive: boolean): Literal {
  if (node.type === 'value') {
    const o = node.operand;
    if (o.type === 'literal') return { kind: 'const', value: (o.value === true) === positive };
    return { kind: 'cmp', field: o.path.join('.'), op: '==', value: true, positive };
  }
  const { left, right, op } = node;
  if (left.type === 'literal' && right.type === 'literal') return { kind: 'const', value: compileCondition(node)(null) === positive };
  if (left.type === 'path' && right.type === 'literal') return { kind: 'cmp', field: left.path.join('.'), op, value: right.value, positive };
  if (left.type === 'literal' && right.type === 'path') return { kind: 'cmp', field: right.path.join('.'), op: FLIP[op], value: left.value, positive };
  const name = (o: typeof left): string => (o.type === 'path' ? o.path.join('.') : '');
  return { kind: 'opaque', fields: [name(left), name(right)], positive };
}

/** DNF of `node` (negated when `positive` is false), or null past {@link MAX_DNF_TERMS}. */
export function dnf(node: ConditionNode, positive = true): Term[] | null {
  switch (node.type) {
    case 'not':
      return dnf(node.operand, !positive);
    case 'compare':
    case 'value':
      return [[literal(node, positive)]];
    case 'and':
    case 'or': {
      const l = dnf(node.left, positive);
      const r = l === null ? null : dnf(node.right, positive);
      if (l === null || r === null) return null;
      if ((node.type === 'or') === positive) return l.length + r.length > MAX_DNF_TERMS ? null : [...l, ...r];
      if (l.length * r.length > MAX_DNF_TERMS) return null;
      return l.flatMap((a) => r.map((b) => [...a, ...b]));
    }
  }
}

interface Bound {
  v: Value;
  closed: boolean;
}

/** True when the literals on one field can all hold together (or it cannot tell). */
function fieldSat(field: string, lits: readonly (Literal & { kind: 'cmp' })[]): boolean {
  const domain: string | undefined = LAW_SCALAR_FIELDS[field];
  // A negation says something only about a present field of known type: one that is always there,
  // or one a positive literal of this term makes present.
  let type: string | undefined = ALWAYS_PRESENT_FIELDS.has(field) ? domain : undefined;
  for (const l of lits) {
    if (!l.positive) continue;
    const t = typeof l.value;
    if ((domain !== undefined && domain !== t) || (type !== undefined && type !== t)) return false;
    type = t;
  }
  if (type === undefined) return true; // only negations: all hold when the field is absent
  let lo: Bound | null = field === 'atp_cost' ? { v: 0, closed: true } : null;
  let hi: Bound | null = null;
  let eq: Value | undefined;
  const ne: Value[] = [];
  for (const raw of lits) {
    if (typeof raw.value !== type) {
      if (raw.positive) return false; // unreachable: types checked above
      continue; // a negated comparison of mismatched types always holds
    }
    if (type === 'boolean' && raw.op !== '==' && raw.op !== '!=') {
      if (raw.positive) return false; // booleans have no order
      continue;
    }
    const op = raw.positive ? raw.op : NEGATE[raw.op];
    const v = raw.value;
    if (op === '==') {
      if (eq !== undefined && eq !== v) return false;
      eq = v;
    } else if (op === '!=') ne.push(v);
    else if (op === '<' || op === '<=') {
      const closed = op === '<=';
      if (hi === null || v < hi.v || (v === hi.v && !closed)) hi = { v, closed };
    } else {
      const closed = op === '>=';
      if (lo === null || v > lo.v || (v === lo.v && !closed)) lo = { v, closed };
    }
  }
  if (type === 'boolean') {
    const allowed = [true, false].filter((b) => (eq === undefined || eq === b) && !ne.includes(b));
    return allowed.length > 0;
  }
  if (eq !== undefined) {
    if (ne.includes(eq)) return false;
    if (lo !== null && (eq < lo.v || (eq === lo.v && !lo.closed))) return false;
    if (hi !== null && (eq > hi.v || (eq === hi.v && !hi.closed))) return false;
    return true;
  }
  if (lo !== null && hi !== null) {
    if (lo.v > hi.v) return false;
    if (lo.v === hi.v) return lo.closed && hi.closed && !ne.includes(lo.v);
  }
  return true;
}

/** False only when `term` provably cannot hold. */
export function termSat(term: Term): boolean {
  const byField = new Map<string, (Literal & { kind: 'cmp' })[]>();
  for (const l of term) {
    if (l.kind === 'const') {
      if (!l.value) return false;
    } else if (l.kind === 'cmp') {
      const list = byField.get(l.field) ?? [];
      list.push(l);
      byField.set(l.field, list);
    }
  }
  for (const [field, lits] of byField) if (!fieldSat(field, lits)) return false;
  return true;
}

/** A condition's DNF, or null when too large — `null` means "cannot tell". */
export type Dnf = Term[] | null;

/** `a ∧ b` as DNF (null when either is unknown or it grows past {@link MAX_DNF_TERMS}). */
export function and(a: Dnf, b: Dnf): Dnf {
  if (a === null || b === null || a.length * b.length > MAX_DNF_TERMS) return null;
  return a.flatMap((x) => b.map((y) => [...x, ...y]));
}

/** Fields that are present whenever `term` holds: positive comparisons, plus those always present. */
export function presentIn(term: Term): Set<string> {
  const out = new Set(ALWAYS_PRESENT_FIELDS);
  for (const l of term) if (l.kind === 'cmp' && l.positive) out.add(l.field);
  return out;
}

/** The value a positive `field == v` in `term` pins `field` to, or null when none does. */
export function pinned(term: Term, field: string): Value | null {
  for (const l of term) if (l.kind === 'cmp' && l.positive && l.op === '==' && l.field === field) return l.value;
  return null;
}

/** An upper bound on `field` (a number) where `term` holds, as `{ v, closed }`, or null when unbounded. */
export function upperBound(term: Term, field: string): { v: number; closed: boolean } | null {
  let hi: { v: number; closed: boolean } | null = null;
  for (const l of term) {
    if (l.kind !== 'cmp' || l.field !== field || typeof l.value !== 'number') continue;
    const op = l.positive ? l.op : ALWAYS_PRESENT_FIELDS.has(field) && LAW_SCALAR_FIELDS[field] === 'number' ? NEGATE[l.op] : null;
    if (op === '<' || op === '<=' || op === '==') {
      const closed = op !== '<';
      if (hi === null || l.value < hi.v || (l.value === hi.v && !closed)) hi = { v: l.value, closed };
    }
  }
  return hi;
}
