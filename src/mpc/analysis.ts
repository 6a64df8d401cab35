// Static analysis of an IR: what a program costs under threshold MPC and how much an oracle user
// can learn from it.
// - Degree: each output as a polynomial in the `input` nodes (secrets and consts are coefficients,
//   degree 0): add/sub/neg take the max, mul the sum, mux(s, a, b) = s·(a − b) + b takes
//   deg s + max(deg a, deg b) (so a public-selector mux is max(deg a, deg b)). Formal degree,
//   saturating at Number.MAX_SAFE_INTEGER (a chain of squarings doubles it per node).
// - Extraction bound: an output of degree d in n inputs is a linear combination of the C(n + d, d)
//   monomials of degree ≤ d, so that many well-chosen evaluations determine every coefficient —
//   the secret-dependent parameters — by interpolation (the model-extraction bound that QuorumVM's
//   per-identity budget has to stay below). Saturates at 2^128.
// - Secure multiplications (Beaver triples, one opening round each): a product counts only when
//   both operands depend on an input or secret node; a product with a public constant is local.
//   A mux counts one when its selector and a − b both do. Multiplicative depth counts them along
//   the longest path. Browser-safe.

import type { Ir, IrNode } from './ir.js';
import { isParameterType } from './ir.js';

/** The value {@link extractionBound} saturates at: more evaluations than any budget could allow. */
export const EXTRACTION_BOUND_CAP = 1n << 128n;

const sat = (d: number): number => Math.min(d, Number.MAX_SAFE_INTEGER);

function nodeDegree(node: IrNode, deg: ReadonlyMap<string, number>): number {
  const d = node.inputs.map((i) => deg.get(i)!);
  switch (node.type) {
    case 'input': return 1;
    case 'secret': case 'const': return 0;
    case 'mul': return sat(d[0]! + d[1]!);
    case 'mux': return sat(d[0]! + Math.max(d[1]!, d[2]!));
    default: return Math.max(...d);
  }
}

/**
 * The total degree of each output in the program's `input` nodes, by output id in output order.
 * @example
 * outputDegrees(compileDsl('input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y')); // Map { 'y' => 2 }
 */
export function outputDegrees(ir: Ir): Map<string, number> {
  const deg = new Map<string, number>();
  for (const node of ir.nodes) deg.set(node.id, nodeDegree(node, deg));
  return new Map(ir.outputNodeIds.map((id) => [id, deg.get(id)!]));
}

/** C(n + d, d) = C(n + d, min(n, d)), exact below {@link EXTRACTION_BOUND_CAP}, else the cap. */
export function monomialCount(n: number, d: number): bigint {
  const k = BigInt(Math.min(n, d));
  const m = BigInt(n) + BigInt(d);
  let c = 1n;
  // C(m, i) grows with i up to m/2 ≥ k, so once the cap is passed the result is past it too.
  for (let i = 1n; i <= k && c < EXTRACTION_BOUND_CAP; i++) c = (c * (m - i + 1n)) / i;
  return c < EXTRACTION_BOUND_CAP ? c : EXTRACTION_BOUND_CAP;
}

/**
 * How many evaluations suffice to extract a program's secret-dependent coefficients: the maximum
 * over outputs of C(n + d, d), n the number of `input` nodes, d the output's degree; null when the
 * program has no `secret` node (nothing to extract). Saturates at {@link EXTRACTION_BOUND_CAP}.
 * @example
 * // 3 secret weights, 3 inputs, score = Σ wᵢ·xᵢ: degree 1, C(4, 1)
 * extractionBound(scoringIr); // 4n
 */
export function extractionBound(ir: Ir): bigint | null {
  if (!ir.nodes.some((n) => n.type === 'secret')) return null;
  const n = ir.nodes.filter((x) => x.type === 'input').length;
  let best = 0n;
  for (const d of outputDegrees(ir).values()) {
    const c = monomialCount(n, d);
    if (c > best) best = c;
  }
  return best;
}

/** Per node: does it depend on a parameter, and its multiplicative depth; plus the secure-mul count. */
function secureMulWalk(ir: Ir): { depth: Map<string, number>; count: number } {
  const priv = new Set<string>();
  const depth = new Map<string, number>();
  let count = 0;
  for (const node of ir.nodes) {
    const [a, b, c] = node.inputs;
    let d = Math.max(0, ...node.inputs.map((i) => depth.get(i)!));
    let secure = false;
    if (node.type === 'mul') secure = priv.has(a!) && priv.has(b!);
    else if (node.type === 'mux') secure = priv.has(a!) && (priv.has(b!) || priv.has(c!));
    if (secure) {
      d++;
      count++;
    }
    if (isParameterType(node.type) || node.inputs.some((i) => priv.has(i))) priv.add(node.id);
    depth.set(node.id, d);
  }
  return { depth, count };
}

/**
 * The multiplicative depth: the most secure multiplications (see the module header) on a path
 * from a parameter to an output — the opening rounds an evaluation needs in sequence.
 * @example
 * multiplicativeDepth(compileDsl('input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y')); // 1
 */
export function multiplicativeDepth(ir: Ir): number {
  const { depth } = secureMulWalk(ir);
  return ir.outputNodeIds.reduce((m, id) => Math.max(m, depth.get(id)!), 0);
}

/**
 * The number of secure multiplications (Beaver triples) one evaluation of every node of `ir`
 * consumes; run `optimizeIr` (optimize.ts) first to leave out dead nodes.
 */
export function countSecureMuls(ir: Ir): number {
  return secureMulWalk(ir).count;
}
