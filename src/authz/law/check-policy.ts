// checkPolicy: what a person should know about a law document before using it — rules that can
// never take effect, and rules that contradict each other — found by the sound, incomplete
// analysis of _analysis.ts (interval and type reasoning per field over the conditions' DNF): every
// finding is a proof, a missing finding proves nothing. Issue 11 "Policies a person can read and
// check"; the norm semantics are oracle.ts's. Browser-safe.
//
// Findings (severity, code):
//   error   duplicate-id               a norm, procedure or role id used twice (parseLawDocument refuses it)
//   error   unknown-procedure          a REQUIRE names a procedure that does not exist (refused too)
//   error   limit-never-passes         a LIMIT's condition can never hold: it forbids every request it applies to
//   error   allow-contradicts-limit    every request an ALLOW permits is forbidden by a LIMIT
//   error   require-contradicts-limit  every request a REQUIRE (or a procedure trigger) matches is forbidden by a LIMIT
//   warning never-holds                a `when` or a trigger that can never hold (the rule is unreachable)
//   warning shadowed                   a norm an earlier norm makes redundant
//   warning never-legal                a REQUIRE or procedure trigger matching only requests no ALLOW permits
//   warning allow-without-role         an ALLOW for actions no role (nor the default role) permits
//   warning role-max-atp-unreachable   a role's maxAtpPerAction above what an unconditional LIMIT allows
//   warning unreferenced-procedure     a procedure no trigger can start and no REQUIRE names
//   warning analysis-truncated         the work cap was reached; later checks did not run

import { parseConditionTree, type ConditionNode } from '../condition/parser.js';
import { and, dnf, type Dnf, pinned, presentIn, type Term, termSat, upperBound } from './_analysis.js';
import { ALWAYS_PRESENT_FIELDS, conditionFields } from './context.js';
import { findDanglingProcedures, findDuplicateIds, type LawDocument, type LawNorm, type LawRoleBody, readLawShape } from './document.js';

/** How bad a finding is: `error` — the law contradicts itself or is malformed; `warning` — a rule that never takes effect. */
export type PolicySeverity = 'error' | 'warning';

/** The finding codes of {@link checkPolicy} (module header: what each means). */
export const POLICY_FINDING_CODES = [
  'duplicate-id',
  'unknown-procedure',
  'limit-never-passes',
  'allow-contradicts-limit',
  'require-contradicts-limit',
  'never-holds',
  'shadowed',
  'never-legal',
  'allow-without-role',
  'role-max-atp-unreachable',
  'unreferenced-procedure',
  'analysis-truncated',
] as const;
/** One of {@link POLICY_FINDING_CODES}. */
export type PolicyFindingCode = (typeof POLICY_FINDING_CODES)[number];

/** One finding: severity, code, a sentence, and the JSON pointer of the rule it is about. */
export interface PolicyFinding {
  readonly severity: PolicySeverity;
  readonly code: PolicyFindingCode;
  readonly message: string;
  readonly path: string;
}

/** The most satisfiability checks (DNF terms examined) one checkPolicy run spends. */
export const MAX_POLICY_ANALYSIS_STEPS = 200_000;

const TRUNCATED = Symbol('truncated');

interface Rule {
  readonly tree: ConditionNode;
  readonly pos: Dnf;
  /** The DNF of the negation, computed on first use. */
  neg?: Dnf;
}

interface LimitRule {
  readonly norm: LawNorm & { type: 'LIMIT' };
  readonly index: number;
  readonly when: Rule | null;
  readonly cond: Rule;
  readonly fields: ReadonlySet<string>;
}

class Analysis {
  steps = MAX_POLICY_ANALYSIS_STEPS;
  readonly findings: PolicyFinding[] = [];

  add(severity: PolicySeverity, code: PolicyFindingCode, path: string, message: string): void {
    this.findings.push({ severity, code, message, path });
  }

  sat(t: Term): boolean {
    if (--this.steps < 0) throw TRUNCATED;
    return termSat(t);
  }

  rule(text: string): Rule {
    const tree = parseConditionTree(text);
    return { tree, pos: dnf(tree) };
  }

  /** The satisfiable terms of `d`, or null when unknown. */
  live(d: Dnf): Term[] | null {
    return d === null ? null : d.filter((t) => this.sat(t));
  }

  never(d: Dnf): boolean {
    return d !== null && d.every((t) => !this.sat(t));
  }

  /** True when `term` provably implies `cond` (a null `cond` is "always"). */
  implies(term: Term, cond: Rule | null): boolean {
    if (cond === null) return true;
    const neg = this.negation(cond);
    return neg !== null && neg.every((t) => !this.sat([...term, ...t]));
  }

  negation(r: Rule): Dnf {
    if (r.neg === undefined) r.neg = dnf(r.tree, false);
    return r.neg;
  }

  /** True when every satisfiable term of `a` implies `b`. */
  impliesAll(a: Dnf, b: Rule | null): boolean {
    const terms = this.live(a);
    return terms !== null && terms.every((t) => this.implies(t, b));
  }

  /** The LIMIT that forbids every request `term` describes, or null. */
  limitFor(term: Term, limits: readonly LimitRule[]): LimitRule | null {
    const present = presentIn(term);
    for (const l of limits) {
      if (![...l.fields].every((f) => present.has(f))) continue;
      if (!this.implies(term, l.when)) continue;
      if (this.never(and([term], l.cond.pos))) return l;
    }
    return null;
  }

  /** The LIMITs forbidding all of `d` (one per satisfiable term), or null when some term escapes. */
  alwaysLimited(d: Dnf, limits: readonly LimitRule[]): LimitRule[] | null {
    const terms = this.live(d);
    if (terms === null || terms.length === 0) return null;
    const out: LimitRule[] = [];
    for (const t of terms) {
      const l = this.limitFor(t, limits);
      if (l === null) return null;
      if (!out.includes(l)) out.push(l);
    }
    return out;
  }

  /** True when no ALLOW can hold together with any satisfiable term of `d`. */
  neverAllowed(d: Dnf, allows: readonly Rule[]): boolean {
    const terms = this.live(d);
    if (terms === null || terms.length === 0) return false;
    return terms.every((t) => allows.every((a) => this.never(and([t], a.pos))));
  }
}

const ids = (ls: readonly LimitRule[]): string => ls.map((l) => l.norm.id).join(', ');

/**
 * Checks a law document: its shape is validated as {@link parseLawDocument} does (bad shape or a bad
 * condition throws), then duplicate ids and dangling procedure references are reported as
 * findings, and the analysis runs (module header: every finding code).
 * @throws LawDocumentError / ConditionSyntaxError / the JSON errors for a document that is not
 *   `quorumkit/authz-law/v1` in shape.
 * @example
 * for (const f of checkPolicy(text)) console.log(`${f.severity} ${f.code} ${f.path}: ${f.message}`);
 */
export function checkPolicy(input: unknown): PolicyFinding[] {
  const doc = readLawShape(input);
  const a = new Analysis();
  for (const d of [...findDuplicateIds(doc.norms, '/norms', 'id'), ...findDuplicateIds(doc.procedures, '/procedures', 'id'), ...findDuplicateIds(doc.roles, '/roles', 'role')]) {
    a.add('error', 'duplicate-id', d.path, `id ${JSON.stringify(d.id)} is already used at index ${d.first}`);
  }
  for (const d of findDanglingProcedures(doc)) a.add('error', 'unknown-procedure', d.path, `no procedure has id ${JSON.stringify(d.id)}`);
  try {
    analyse(doc, a);
  } catch (e) {
    if (e !== TRUNCATED) throw e;
    a.add('warning', 'analysis-truncated', '/', `analysis stopped after ${MAX_POLICY_ANALYSIS_STEPS} steps; later checks did not run`);
  }
  return a.findings;
}

function analyse(doc: LawDocument, a: Analysis): void {
  const allows: { rule: Rule; index: number }[] = [];
  const limits: LimitRule[] = [];
  const requires: { norm: LawNorm & { type: 'REQUIRE' }; rule: Rule; index: number }[] = [];
  doc.norms.forEach((n, index) => {
    if (n.type === 'ALLOW') allows.push({ rule: a.rule(n.when), index });
    else if (n.type === 'LIMIT') {
      const cond = a.rule(n.condition);
      limits.push({ norm: n, index, when: n.when === undefined ? null : a.rule(n.when), cond, fields: conditionFields(cond.tree) });
    } else requires.push({ norm: n, rule: a.rule(n.when), index });
  });
  const allowRules = allows.map((x) => x.rule);

  // Unreachable `when`s.
  const dead = new Set<number>();
  for (const { rule, index } of [...allows, ...requires, ...limits.filter((l) => l.when !== null).map((l) => ({ rule: l.when!, index: l.index }))]) {
    if (a.never(rule.pos)) {
      dead.add(index);
      a.add('warning', 'never-holds', `/norms/${index}/when`, `norm ${doc.norms[index]!.id}: its "when" can never hold, so it never applies`);
    }
  }

  // LIMITs that can never pass.
  for (const l of limits) {
    if (a.never(l.cond.pos)) a.add('error', 'limit-never-passes', `/norms/${l.index}/condition`, `LIMIT ${l.norm.id}: ${l.norm.condition} can never hold, so it forbids every request it applies to`);
  }

  // ALLOWs every request of which a LIMIT forbids.
  for (const { rule, index } of allows) {
    if (dead.has(index)) continue;
    const by = a.alwaysLimited(rule.pos, limits);
    if (by !== null) a.add('error', 'allow-contradicts-limit', `/norms/${index}`, `ALLOW ${doc.norms[index]!.id} permits only requests that LIMIT ${ids(by)} forbids`);
  }

  // REQUIREs: forbidden by a LIMIT, or never allowed.
  for (const { norm, rule, index } of requires) {
    if (dead.has(index)) continue;
    const by = a.alwaysLimited(rule.pos, limits);
    if (by !== null) a.add('error', 'require-contradicts-limit', `/norms/${index}`, `REQUIRE ${norm.id} applies only to requests that LIMIT ${ids(by)} forbids`);
    else if (a.neverAllowed(rule.pos, allowRules)) a.add('warning', 'never-legal', `/norms/${index}`, `REQUIRE ${norm.id} applies only to requests no ALLOW norm permits, so it never takes effect`);
  }

  shadowing(doc, a, allows, limits, requires, dead);

  // ALLOWs for actions no role permits.
  const roles: LawRoleBody[] = [...doc.roles, ...(doc.defaultRole === undefined ? [] : [doc.defaultRole])];
  const permitted = new Set(roles.flatMap((r) => r.actions));
  for (const { rule, index } of allows) {
    if (dead.has(index)) continue;
    const terms = a.live(rule.pos);
    if (terms === null || terms.length === 0) continue;
    const actions = terms.map((t) => pinned(t, 'action'));
    if (actions.some((v) => v === null || permitted.has(String(v)))) continue;
    a.add('warning', 'allow-without-role', `/norms/${index}`, `ALLOW ${doc.norms[index]!.id} is for action ${actions.map((v) => JSON.stringify(v)).join(', ')}, which no role permits`);
  }

  // Role maxima above an unconditional atp_cost LIMIT.
  let cap: { v: number; closed: boolean; id: string } | null = null;
  for (const l of limits) {
    if (l.when !== null && !a.never(a.negation(l.when))) continue;
    if (![...l.fields].every((f) => ALWAYS_PRESENT_FIELDS.has(f))) continue;
    const terms = a.live(l.cond.pos);
    if (terms === null || terms.length === 0) continue;
    let hi: { v: number; closed: boolean } | null = null;
    for (const t of terms) {
      const b = upperBound(t, 'atp_cost');
      if (b === null) {
        hi = null;
        break;
      }
      if (hi === null || b.v > hi.v || (b.v === hi.v && b.closed)) hi = b;
    }
    if (hi !== null && (cap === null || hi.v < cap.v || (hi.v === cap.v && !hi.closed))) cap = { ...hi, id: l.norm.id };
  }
  if (cap !== null) {
    const c = cap;
    const check = (r: LawRoleBody, path: string, what: string): void => {
      if (r.maxAtpPerAction > c.v || (r.maxAtpPerAction === c.v && !c.closed)) {
        a.add('warning', 'role-max-atp-unreachable', `${path}/maxAtpPerAction`, `${what} allows up to ${r.maxAtpPerAction} ATP per action, but LIMIT ${c.id} never lets atp_cost reach it (${c.closed ? '<=' : '<'} ${c.v})`);
      }
    };
    doc.roles.forEach((r, i) => check(r, `/roles/${i}`, `role ${JSON.stringify(r.role)}`));
    if (doc.defaultRole !== undefined) check(doc.defaultRole, '/defaultRole', 'the default role');
  }

  // Procedures: triggers, references.
  const named = new Set(requires.filter((r) => !dead.has(r.index)).map((r) => r.norm.procedure));
  doc.procedures.forEach((p, i) => {
    let live = 0;
    p.triggers.forEach((text, j) => {
      const rule = a.rule(text);
      const path = `/procedures/${i}/triggers/${j}`;
      if (a.never(rule.pos)) return a.add('warning', 'never-holds', path, `procedure ${p.id}: trigger ${text} can never hold`);
      live++;
      const by = a.alwaysLimited(rule.pos, limits);
      if (by !== null) a.add('error', 'require-contradicts-limit', path, `procedure ${p.id}: trigger ${text} holds only on requests that LIMIT ${ids(by)} forbids`);
      else if (a.neverAllowed(rule.pos, allowRules)) a.add('warning', 'never-legal', path, `procedure ${p.id}: trigger ${text} holds only on requests no ALLOW norm permits`);
    });
    if (live === 0 && !named.has(p.id)) a.add('warning', 'unreferenced-procedure', `/procedures/${i}`, `procedure ${p.id}: no trigger can start it and no REQUIRE names it`);
  });
}

function shadowing(
  doc: LawDocument,
  a: Analysis,
  allows: readonly { rule: Rule; index: number }[],
  limits: readonly LimitRule[],
  requires: readonly { norm: LawNorm & { type: 'REQUIRE' }; rule: Rule; index: number }[],
  dead: ReadonlySet<number>,
): void {
  const report = (index: number, by: number, why: string): void =>
    a.add('warning', 'shadowed', `/norms/${index}`, `norm ${doc.norms[index]!.id} is redundant: ${why} norm ${doc.norms[by]!.id} (index ${by})`);
  allows.forEach((x, k) => {
    if (dead.has(x.index)) return;
    const by = allows.slice(0, k).find((y) => !dead.has(y.index) && a.impliesAll(x.rule.pos, y.rule));
    if (by !== undefined) report(x.index, by.index, 'everything it permits is already permitted by');
  });
  requires.forEach((x, k) => {
    if (dead.has(x.index)) return;
    const by = requires.slice(0, k).find(
      (y) => !dead.has(y.index) && (y.norm.witnesses ?? 0) >= (x.norm.witnesses ?? 0) && (x.norm.procedure === undefined || x.norm.procedure === y.norm.procedure) && a.impliesAll(x.rule.pos, y.rule),
    );
    if (by !== undefined) report(x.index, by.index, 'wherever it applies, at least as much is already required by');
  });
  limits.forEach((x, k) => {
    if (dead.has(x.index)) return;
    const by = limits.slice(0, k).find((y) => {
      if (![...y.fields].every((f) => x.fields.has(f) || ALWAYS_PRESENT_FIELDS.has(f))) return false;
      if (x.when !== null ? !a.impliesAll(x.when.pos, y.when) : y.when !== null && !a.never(a.negation(y.when))) return false;
      return a.impliesAll(y.cond.pos, x.cond);
    });
    if (by !== undefined) report(x.index, by.index, 'whenever it could fail, the request was already refused by');
  });
}
