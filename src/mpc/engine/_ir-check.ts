// Structural checks of an IR before planning (internal): the shapes of src/mpc/ir.ts, every node
// defined before it is read, ids unique, sizes capped (MAX_IR_NODES, MAX_IDENTIFIER_LENGTH). Wrong
// JS types throw TypeError; a well-typed but malformed program throws MpcIrInvalidError.

import { describeType } from '../../core/assert.js';
import { MAX_IDENTIFIER_LENGTH, MAX_IR_NODES, NODE_ARITY, type Ir, type NodeType } from '../ir.js';
import { MpcIrInvalidError } from './errors.js';

/** Most outputs a program may declare. */
export const MAX_PLAN_OUTPUTS = 4096;

function checkId(where: string, id: unknown): asserts id is string {
  if (typeof id !== 'string') throw new TypeError(`"${where}" expected string, got ${describeType(id)}`);
  if (id.length === 0 || id.length > MAX_IDENTIFIER_LENGTH) {
    throw new MpcIrInvalidError(`"${where}" expected 1 to ${MAX_IDENTIFIER_LENGTH} characters, got ${id.length}`);
  }
}

/**
 * Checks `ir` and returns the node index of every id.
 * @throws TypeError for wrong types; MpcIrInvalidError for an unknown type, a wrong arity, a read of
 * an undefined or later node, a duplicate id, an unknown output or too many nodes/outputs.
 */
export function checkIr(ir: Ir): Map<string, number> {
  if (typeof ir !== 'object' || ir === null) throw new TypeError(`"ir" expected an object, got ${describeType(ir)}`);
  const { nodes, outputNodeIds } = ir;
  if (!Array.isArray(nodes)) throw new TypeError(`"ir.nodes" expected an array, got ${describeType(nodes)}`);
  if (!Array.isArray(outputNodeIds)) throw new TypeError(`"ir.outputNodeIds" expected an array, got ${describeType(outputNodeIds)}`);
  if (nodes.length > MAX_IR_NODES) throw new MpcIrInvalidError(`"ir.nodes" expected at most ${MAX_IR_NODES} nodes, got ${nodes.length}`);
  if (outputNodeIds.length === 0 || outputNodeIds.length > MAX_PLAN_OUTPUTS) {
    throw new MpcIrInvalidError(`"ir.outputNodeIds" expected 1 to ${MAX_PLAN_OUTPUTS} ids, got ${outputNodeIds.length}`);
  }
  const index = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) {
    const node: unknown = nodes[i];
    if (typeof node !== 'object' || node === null) throw new TypeError(`"ir.nodes[${i}]" expected an object, got ${describeType(node)}`);
    const { id, type, op, inputs, value } = node as Record<string, unknown>;
    checkId(`ir.nodes[${i}].id`, id);
    if (typeof type !== 'string' || !Object.hasOwn(NODE_ARITY, type)) throw new MpcIrInvalidError(`node "${id}" has an unknown type`);
    if (op !== undefined && op !== type) throw new MpcIrInvalidError(`node "${id}" has op different from its type`);
    if (!Array.isArray(inputs)) throw new TypeError(`"ir.nodes[${i}].inputs" expected an array, got ${describeType(inputs)}`);
    const arity = NODE_ARITY[type as NodeType];
    if (inputs.length !== arity) throw new MpcIrInvalidError(`node "${id}" (${type}) expected ${arity} inputs, got ${inputs.length}`);
    for (let j = 0; j < inputs.length; j++) {
      checkId(`ir.nodes[${i}].inputs[${j}]`, inputs[j]);
      if (!index.has(inputs[j] as string)) throw new MpcIrInvalidError(`node "${id}" reads a node not defined before it`);
    }
    if (type === 'const' && typeof value !== 'bigint') {
      throw new TypeError(`"ir.nodes[${i}].value" expected bigint, got ${describeType(value)}`);
    }
    if (index.has(id)) throw new MpcIrInvalidError(`node id "${id}" is defined twice`);
    index.set(id, i);
  }
  for (let i = 0; i < outputNodeIds.length; i++) {
    const id: unknown = outputNodeIds[i];
    checkId(`ir.outputNodeIds[${i}]`, id);
    if (!index.has(id)) throw new MpcIrInvalidError(`output "${id}" is not a node of the program`);
  }
  return index;
}
