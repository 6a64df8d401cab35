// A semantics-preserving optimizer for the IR: the two passes of QuorumVM's
// quorumvm/compiler/optimizer.py — common-subexpression elimination, then dead-node pruning —
// without its defects. QuorumVM's CSE signature of an `input` node is just "input|", so every
// input merges into the first (the `scoring` program's x2 reads x1's value); here `input` and
// `secret` nodes are never merged (each is its own parameter) and never pruned (they are the
// program's interface: callers supply them, custodians hold shares of them). Const nodes merge by
// exact value; add and mul merge up to operand order (commutative). An output node is never merged
// away, so output ids — the names of the results — stay as they were. Browser-safe.

import type { Ir, IrNode } from './ir.js';
import { isParameterType } from './ir.js';

function signature(node: IrNode, inputs: readonly string[]): string | null {
  if (isParameterType(node.type)) return null;
  if (node.type === 'const') return `const|${node.value ?? 0n}`;
  const operands = node.type === 'add' || node.type === 'mul' ? [...inputs].sort() : inputs;
  return `${node.type}|${operands.join('|')}`;
}

/**
 * Merges nodes that compute the same value: same const value, or same operation on the same
 * (already merged) operands, in either order for add and mul. Inputs, secrets and outputs stay.
 * @example
 * eliminateCommonSubexpressions(compileDsl('input x\nadd a = x x\nadd b = x x\nmul y = a b\noutput y'));
 * // y reads a twice; b is gone
 */
export function eliminateCommonSubexpressions(ir: Ir): Ir {
  const outputs = new Set(ir.outputNodeIds);
  const seen = new Map<string, string>();
  const remap = new Map<string, string>();
  const nodes: IrNode[] = [];
  for (const node of ir.nodes) {
    const inputs = node.inputs.map((i) => remap.get(i) ?? i);
    const sig = signature(node, inputs);
    const earlier = sig === null ? undefined : seen.get(sig);
    if (earlier !== undefined && !outputs.has(node.id)) {
      remap.set(node.id, earlier);
      continue;
    }
    if (sig !== null && earlier === undefined) seen.set(sig, node.id);
    nodes.push(inputs.every((x, i) => x === node.inputs[i]) ? node : { ...node, inputs });
  }
  return { nodes, outputNodeIds: [...ir.outputNodeIds] };
}

/**
 * Removes the nodes no output depends on, keeping every input and secret node.
 * One backward pass: nodes are in definition order, so a node's readers all come after it.
 */
export function pruneDeadNodes(ir: Ir): Ir {
  const live = new Set(ir.outputNodeIds);
  for (let i = ir.nodes.length - 1; i >= 0; i--) {
    const node = ir.nodes[i]!;
    if (live.has(node.id)) for (const x of node.inputs) live.add(x);
  }
  const nodes = ir.nodes.filter((n) => isParameterType(n.type) || live.has(n.id));
  return { nodes, outputNodeIds: [...ir.outputNodeIds] };
}

/**
 * {@link eliminateCommonSubexpressions} then {@link pruneDeadNodes}: QuorumVM's `optimize`, made
 * correct. The result evaluates, output by output, to the same values as `ir` on every input.
 * @example
 * optimizeIr(compileDsl('input x\nconst c = 3\nadd a = x c\nadd b = x c\nmul dead = x c\noutput a'));
 * // nodes x, c, a
 */
export function optimizeIr(ir: Ir): Ir {
  return pruneDeadNodes(eliminateCommonSubexpressions(ir));
}
