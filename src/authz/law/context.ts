// What a law condition sees: the evaluation context LawOracle builds from one AuthorizationRequest.
// Upstream (Web4 law_oracle.py, commit 648e509d, `_norm_matches` / `_check_limit` /
// `_procedure_triggers`) looks a norm's selector up in the request's context dict (with a flat
// `"resource.storage"` key) and string-substitutes values into a Python eval() of the trigger; at
// upstream HEAD the engine passes only `request.context`, so `atp_cost` is never seen by the law.
// Ours is one fixed, documented context, always built the same way:
//
//   action     string   request.action                        always present
//   atp_cost   number   request.atpCost (a non-negative int)  always present
//   target     string   request.targetResource                always present
//   requester  string   request.requesterLct                  always present
//   timestamp  number   request.timestamp (epoch seconds)     always present
//   delegation string   request.delegationId                  absent when null
//   resource.N scalar   request.context["resource.N"] (upstream's flat key), else
//                       request.context.resource.N (a nested object)            absent when neither
//   context.P  scalar   request.context.P… (any dotted path into the context)   absent when not there
//
// A condition may name only these roots (a typo like `atp_cots` is refused when the document is
// read, with its position); `resource` and `context` need a field after them, the other roots
// take none. Values are read by the condition evaluator's rules (condition/evaluate.ts): own data
// properties of plain objects only, non-scalars are absent. Browser-safe.

import { readPath } from '../condition/evaluate.js';
import { syntaxError, tokenize } from '../condition/lexer.js';
import type { ConditionNode, ConditionOperand } from '../condition/parser.js';
import type { AuthorizationRequest } from '../types.js';

/** Roots that name one request field and take no sub-field, with the type the field always has. */
export const LAW_SCALAR_FIELDS: Readonly<Record<string, 'string' | 'number'>> = Object.freeze({
  action: 'string',
  atp_cost: 'number',
  target: 'string',
  requester: 'string',
  timestamp: 'number',
  delegation: 'string',
});

/** Roots that need a field after them: `resource.<name>`, `context.<path>`. */
export const LAW_OBJECT_FIELDS: readonly string[] = Object.freeze(['resource', 'context']);

/** Fields present in every context (all scalar fields but `delegation`). */
export const ALWAYS_PRESENT_FIELDS: ReadonlySet<string> = new Set(['action', 'atp_cost', 'target', 'requester', 'timestamp']);

/**
 * Checks that every field path in `text` (an already tokenizable condition) starts at a law
 * context root and has the right depth.
 * @throws ConditionSyntaxError at the offending identifier's position.
 */
export function checkLawFields(text: string): void {
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'ident') continue;
    const prev = tokens[i - 1];
    if (prev !== undefined && prev.kind === 'punct' && prev.value === '.') continue; // a sub-field
    const next = tokens[i + 1];
    const dotted = next !== undefined && next.kind === 'punct' && next.value === '.';
    if (Object.hasOwn(LAW_SCALAR_FIELDS, t.value)) {
      if (dotted) throw syntaxError(`field ${JSON.stringify(t.value)} has no sub-fields`, t.pos);
    } else if (LAW_OBJECT_FIELDS.includes(t.value)) {
      if (!dotted) throw syntaxError(`field ${JSON.stringify(t.value)} needs a sub-field (${t.value}.<name>)`, t.pos);
      if (t.value === 'resource' && tokens[i + 3]?.kind === 'punct' && (tokens[i + 3] as { value: string }).value === '.') {
        throw syntaxError('resource.<name> takes no further sub-fields', tokens[i + 3]!.pos);
      }
    } else {
      throw syntaxError(`unknown field ${JSON.stringify(t.value)} (fields: action, atp_cost, target, requester, timestamp, delegation, resource.<name>, context.<path>)`, t.pos);
    }
  }
}

/** Every field path a condition tree reads, as dotted strings (`resource.storage`), deduplicated. */
export function conditionFields(node: ConditionNode): Set<string> {
  const out = new Set<string>();
  const operand = (o: ConditionOperand): void => {
    if (o.type === 'path') out.add(o.path.join('.'));
  };
  const walk = (n: ConditionNode): void => {
    if (n.type === 'and' || n.type === 'or') {
      walk(n.left);
      walk(n.right);
    } else if (n.type === 'not') walk(n.operand);
    else if (n.type === 'compare') {
      operand(n.left);
      operand(n.right);
    } else if (n.type === 'value') operand(n.operand);
  };
  walk(node);
  return out;
}

/**
 * Builds the evaluation context of `request` (see the module header). `resourceNames` are the
 * `resource.<name>` fields the law reads — only those are looked up, so the cost is bounded by the
 * law, not by the size of the request's context.
 */
export function lawContext(request: AuthorizationRequest, resourceNames: readonly string[]): Record<string, unknown> {
  const ctx = request.context as unknown;
  // Plain literals (faster than null-prototype objects): the evaluator reads own properties only.
  const resource: Record<string, unknown> = {};
  for (const name of resourceNames) {
    const v = readPath(ctx, [`resource.${name}`]) ?? readPath(ctx, ['resource', name]);
    if (v === undefined) continue;
    if (name === '__proto__') Object.defineProperty(resource, name, { value: v, enumerable: true, writable: true, configurable: true });
    else resource[name] = v;
  }
  const out: Record<string, unknown> = {
    action: request.action,
    atp_cost: request.atpCost,
    target: request.targetResource,
    requester: request.requesterLct,
    timestamp: request.timestamp,
    resource,
    context: ctx,
  };
  if (request.delegationId !== null) out['delegation'] = request.delegationId;
  return out;
}

/** True when every field in `fields` reads as a scalar in `ctx` (a LIMIT applies only then). */
export function fieldsPresent(ctx: unknown, fields: readonly (readonly string[])[]): boolean {
  return fields.every((p) => readPath(ctx, p) !== undefined);
}
