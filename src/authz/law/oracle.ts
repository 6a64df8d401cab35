// LawOracle: the norm-based law of a society (Web4 law_oracle.py, commit 648e509d: LawOracle,
// get_role_permissions, check_action_legality, check_witness_requirement), over a validated
// `quorumkit/authz-law/v1` document (document.ts) and the condition language instead of eval().
//
// Roles: `rolePermissions(id)` is the role bound to exactly `id`, else `defaultRole` (with
// `roleLct: id`), else null (the engine's role_mismatch). A role's `requiresWitness` is only what
// the document says — REQUIRE norms never make a whole role need witnesses (upstream does; see
// defaults.ts).
//
// Legality of one request, over the evaluation context of context.ts, in this order:
//   1. LIMIT norms, in document order: a LIMIT applies when its `when` holds (no `when`: always)
//      and every field its `condition` reads is present (upstream: "no value to limit" passes);
//      the first applicable LIMIT whose condition does not hold makes the request illegal —
//      violation `exceeds limit <id>: <condition>`.
//   2. ALLOW norms: unless at least one ALLOW's `when` holds, the request is illegal — violation
//      `no ALLOW norm permits action "<action>"` (default deny, as upstream).
//   3. Legal: the procedures triggered — a procedure whose trigger holds, or that a matching
//      REQUIRE names — in document order; witnessesRequired = the largest `witnesses` over the
//      matching REQUIRE norms and triggered procedures (0 when none). On an illegal verdict both
//      are empty: nothing can satisfy them.
// Pure: the same request always gets the same verdict. `digest` names the exact law (SHA-256 of the
// document's RFC 8785 canonical JSON) for decision records. Browser-safe.

import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8Encode } from '../../core/bytes.js';
import { canonicalize } from '../../core/canonical-json.js';
import { type Condition, parseCondition } from '../condition/index.js';
import { type AuthorizationRequest } from '../types.js';
import { conditionFields, fieldsPresent, lawContext } from './context.js';
import { defaultLawDocument } from './defaults.js';
import { type LawDocument, type LawProcedure, type LawRoleBody, parseLawDocument } from './document.js';
import { LEGAL, type Law, type LegalityVerdict, type RolePermissions } from './types.js';

interface CompiledLimit {
  readonly id: string;
  readonly when: Condition | null;
  readonly condition: Condition;
  readonly fields: readonly (readonly string[])[];
}
interface CompiledRequire {
  readonly when: Condition;
  readonly witnesses: number;
  readonly procedure: number | null;
}
interface CompiledProcedure {
  readonly procedure: LawProcedure;
  readonly triggers: readonly Condition[];
}

function permissions(roleLct: string, body: LawRoleBody): RolePermissions {
  return Object.freeze({
    roleLct,
    allowedActions: new Set(body.actions),
    resourceLimits: Object.freeze({ ...body.resourceLimits }),
    trustThreshold: body.trustThreshold,
    requiresWitness: body.requiresWitness,
    maxAtpPerAction: body.maxAtpPerAction,
  });
}

/**
 * A society's law from a `quorumkit/authz-law/v1` document: roles, norms ALLOW / LIMIT / REQUIRE
 * and procedures (module header: the exact semantics). Implements {@link Law}.
 * @example
 * const law = LawOracle.defaults('society:research');
 * law.checkLegality({ ...request, action: 'compute', atpCost: 700 });
 * // { legal: true, violation: null, witnessesRequired: 2, procedures: ['PROC-HIGH-VALUE'] }
 */
export class LawOracle implements Law {
  /** The validated document this oracle runs (frozen). */
  readonly document: LawDocument;
  /**
   * SHA-256 (hex) of the document's RFC 8785 canonical JSON: names this exact law in decision
   * records (upstream binds each authorization to the law dataset's hash).
   */
  readonly digest: string;
  readonly #roles: ReadonlyMap<string, LawRoleBody>;
  readonly #allows: readonly Condition[];
  readonly #limits: readonly CompiledLimit[];
  readonly #requires: readonly CompiledRequire[];
  readonly #procedures: readonly CompiledProcedure[];
  readonly #resourceNames: readonly string[];

  /**
   * Builds the oracle from a document — JSON text or a parsed value; it is validated here, so an
   * oracle never runs an unchecked law.
   * @throws LawDocumentError / ConditionSyntaxError / the JSON errors, as {@link parseLawDocument}.
   */
  constructor(document: unknown) {
    const doc = parseLawDocument(document);
    this.document = doc;
    this.digest = toHex(sha256(utf8Encode(canonicalize(doc))));
    this.#roles = new Map(doc.roles.map((r) => [r.role, r]));
    const resources = new Set<string>();
    const compile = (text: string): Condition => {
      const c = parseCondition(text);
      for (const f of conditionFields(c.tree)) if (f.startsWith('resource.')) resources.add(f.slice('resource.'.length));
      return c;
    };
    const procIndex = new Map(doc.procedures.map((p, i) => [p.id, i]));
    const allows: Condition[] = [];
    const limits: CompiledLimit[] = [];
    const requires: CompiledRequire[] = [];
    for (const n of doc.norms) {
      if (n.type === 'ALLOW') allows.push(compile(n.when));
      else if (n.type === 'LIMIT') {
        const condition = compile(n.condition);
        limits.push({ id: n.id, when: n.when === undefined ? null : compile(n.when), condition, fields: [...conditionFields(condition.tree)].map((f) => f.split('.')) });
      } else requires.push({ when: compile(n.when), witnesses: n.witnesses ?? 0, procedure: n.procedure === undefined ? null : procIndex.get(n.procedure)! });
    }
    this.#allows = allows;
    this.#limits = limits;
    this.#requires = requires;
    this.#procedures = doc.procedures.map((procedure) => ({ procedure, triggers: procedure.triggers.map(compile) }));
    this.#resourceNames = [...resources];
  }

  /**
   * The upstream default law for `societyId` (defaults.ts): ALLOW read / write / compute; LIMIT
   * `atp_cost <= 1000`, `resource.storage <= 10000`; REQUIRE delete → 1 witness, `atp_cost > 500` →
   * 2; procedures PROC-HIGH-VALUE and PROC-DELETE; every role gets the derived default role.
   */
  static defaults(societyId: string, version = '1.0.0'): LawOracle {
    return new LawOracle(defaultLawDocument(societyId, version));
  }

  /** The law's version (the document's `version`). */
  get version(): string {
    return this.document.version;
  }

  /** The society the law governs. */
  get society(): string {
    return this.document.society;
  }

  /** The role bound to exactly `roleLct`, else the default role, else null. */
  rolePermissions(roleLct: string): RolePermissions | null {
    const body = this.#roles.get(roleLct) ?? this.document.defaultRole;
    return body === undefined ? null : permissions(roleLct, body);
  }

  /** The procedure with id `id`, or null. */
  procedure(id: string): LawProcedure | null {
    return this.document.procedures.find((p) => p.id === id) ?? null;
  }

  /** Whether `request` is legal, its witnesses and procedures (module header: the order and rules). */
  checkLegality(request: AuthorizationRequest): LegalityVerdict {
    const ctx = lawContext(request, this.#resourceNames);
    for (const l of this.#limits) {
      if (l.when !== null && !l.when.holds(ctx)) continue;
      // Presence is asked only of a failing condition: a holding one passes either way.
      if (!l.condition.holds(ctx) && fieldsPresent(ctx, l.fields)) return illegal(`exceeds limit ${l.id}: ${l.condition.text}`);
    }
    if (!this.#allows.some((a) => a.holds(ctx))) return illegal(`no ALLOW norm permits action ${JSON.stringify(request.action)}`);
    const triggered = new Set<number>();
    let witnesses = 0;
    for (const r of this.#requires) {
      if (!r.when.holds(ctx)) continue;
      witnesses = Math.max(witnesses, r.witnesses);
      if (r.procedure !== null) triggered.add(r.procedure);
    }
    this.#procedures.forEach((p, i) => {
      if (p.triggers.some((t) => t.holds(ctx))) triggered.add(i);
    });
    if (witnesses === 0 && triggered.size === 0) return LEGAL;
    const procedures = [...triggered].sort((a, b) => a - b).map((i) => this.#procedures[i]!.procedure);
    for (const p of procedures) witnesses = Math.max(witnesses, p.witnesses);
    return Object.freeze({ legal: true, violation: null, witnessesRequired: witnesses, procedures: Object.freeze(procedures.map((p) => p.id)) });
  }
}

function illegal(violation: string): LegalityVerdict {
  return Object.freeze({ legal: false, violation, witnessesRequired: 0, procedures: Object.freeze([]) });
}

/**
 * The document of `oracle`, as a fresh plain JSON value: `new LawOracle(lawToDocument(o))` is the
 * same law, and `parseLawDocument(JSON.stringify(lawToDocument(o)))` gives it back unchanged.
 */
export function lawToDocument(oracle: LawOracle): LawDocument {
  return structuredClone(oracle.document) as LawDocument;
}
