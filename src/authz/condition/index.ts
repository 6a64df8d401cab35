// The condition language of quorumkit/authz law norms and policies (parser.ts: grammar; evaluate.ts:
// semantics). Browser-safe.

import { compileCondition, type CompiledCondition } from './evaluate.js';
import { parseConditionTree, type ConditionNode } from './parser.js';

/** A parsed, compiled condition. */
export interface Condition {
  /** The text it was parsed from. */
  readonly text: string;
  readonly tree: ConditionNode;
  /** True when the condition holds for `ctx` (never throws). */
  holds(ctx: unknown): boolean;
}

/**
 * Parses and compiles a condition.
 * @throws ConditionSyntaxError (`ERR_AUTHZ_CONDITION`) with the offending position; TypeError for a non-string.
 * @example
 * const c = parseCondition('atp_cost > 500 and action == "spend"');
 * c.holds({ atp_cost: 800, action: 'spend' }); // true
 */
export function parseCondition(text: string): Condition {
  const tree = parseConditionTree(text);
  const fn: CompiledCondition = compileCondition(tree);
  return Object.freeze({ text, tree, holds: (ctx: unknown) => fn(ctx) });
}

export { parseConditionTree, MAX_CONDITION_DEPTH, type ConditionNode, type ConditionOperand, type ConditionOp } from './parser.js';
export { compileCondition, readPath, type CompiledCondition } from './evaluate.js';
export { tokenize, MAX_CONDITION_CHARS, MAX_CONDITION_TOKENS, type ConditionToken } from './lexer.js';
