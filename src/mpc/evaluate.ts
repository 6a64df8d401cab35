// The reference evaluator: a program run on plain values in F_p (p = 2^127 − 1), node by node in
// definition order — the specification the share-level execution is tested against. Plain BigInt
// arithmetic (variable time): it is for tests, the extraction analysis and QuorumVM's legacy
// `/eval_share` endpoint, never for secret values on a server. Browser-safe.

import { P } from '../field/constants.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Ir } from './ir.js';

const mod = (v: bigint): bigint => {
  const r = v % P;
  return r < 0n ? r + P : r;
};

/**
 * Evaluates `ir` on plain values: `inputs` maps every `input` (and `secret`) node id to its value
 * (reduced mod p); const values are reduced mod p. Returns the outputs by id, in `outputNodeIds` order.
 * `mux(s, a, b)` is s·a + (1 − s)·b.
 * @throws InvalidArgumentError when an input or secret value is missing.
 * @example
 * evaluatePlain(ir, { x: 3n }); // Map { 'y' => 100n } for (x + 7)²
 */
export function evaluatePlain(ir: Ir, inputs: Readonly<Record<string, bigint>>): Map<string, bigint> {
  const wires = new Map<string, bigint>();
  const at = (id: string): bigint => wires.get(id)!;
  for (const node of ir.nodes) {
    const [a, b, c] = node.inputs;
    let v: bigint;
    switch (node.type) {
      case 'input':
      case 'secret': {
        const given = Object.hasOwn(inputs, node.id) ? inputs[node.id] : undefined;
        if (typeof given !== 'bigint') throw new InvalidArgumentError(`missing ${node.type} value for "${node.id}"`);
        v = mod(given);
        break;
      }
      case 'const': v = mod(node.value ?? 0n); break;
      case 'add': v = mod(at(a!) + at(b!)); break;
      case 'sub': v = mod(at(a!) - at(b!)); break;
      case 'mul': v = mod(at(a!) * at(b!)); break;
      case 'neg': v = mod(-at(a!)); break;
      case 'mux': { const s = at(a!); v = mod(s * at(b!) + (1n - s) * at(c!)); break; }
    }
    wires.set(node.id, v);
  }
  const out = new Map<string, bigint>();
  for (const id of ir.outputNodeIds) out.set(id, at(id));
  return out;
}
