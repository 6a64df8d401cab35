// The JSON form of the IR, QuorumVM's `IR.to_dict()` (quorumvm/compiler/ir.py):
//   { nodes: [{ id, type, op?, inputs, value? }], output_node_id, output_node_ids }
// `op` on operation nodes only (equal to `type`), `value` on const nodes only, written as an exact
// integer literal (a bigint here, so quorumkit's JSON encoders never round it through a double).
// `parseIr` reads that form back from a value `parseStrict(text, { bigints: true })` returned and
// checks all of it: field types, node types, arity, op, value, define-before-use, unique ids,
// outputs, and every size the document controls. Like QuorumVM's IR model it accepts either
// `output_node_id` or `output_node_ids` alone; given both, the first of the list must be the single.
// Browser-safe.

import { describeType, isPlainObject } from '../core/assert.js';
import { jsonPointer } from '../core/canonical-json.js';
import { InvalidIrError } from './program-errors.js';
import {
  MAX_IDENTIFIER_LENGTH, MAX_INTEGER_DIGITS, MAX_IR_NODES, NODE_ARITY, NODE_TYPES, isIdentifier, isOpType,
  type Ir, type IrNode, type NodeType,
} from './ir.js';

/** One node in QuorumVM's JSON form: the same members as an {@link IrNode}. */
export type IrNodeJson = IrNode;

/** An IR in QuorumVM's JSON form (`IR.to_dict()`). */
export interface IrJson {
  readonly nodes: readonly IrNodeJson[];
  /** The first output (QuorumVM's legacy single-output field). */
  readonly output_node_id: string;
  readonly output_node_ids: readonly string[];
}

/** A JSON path, as member names and array indices. */
export type IrJsonPath = readonly (string | number)[];

const INTEGER_BOUND = 10n ** BigInt(MAX_INTEGER_DIGITS);
const ROOT_KEYS = new Set(['nodes', 'output_node_id', 'output_node_ids']);
const NODE_KEYS = new Set(['id', 'type', 'op', 'inputs', 'value']);
const TYPE_SET: ReadonlySet<string> = new Set(NODE_TYPES);

/**
 * QuorumVM's JSON form of `ir`, with keys in QuorumVM's order. Const values stay bigints: serialize
 * with `canonicalizePython` (Python ints) or a bigint-aware writer, not `JSON.stringify`.
 * @example
 * canonicalizePython(irToJson(compileDsl('input x\noutput x')));
 * // '{"nodes":[{"id":"x","inputs":[],"type":"input"}],"output_node_id":"x","output_node_ids":["x"]}'
 */
export function irToJson(ir: Ir): IrJson {
  const nodes = ir.nodes.map((n): IrNodeJson => ({
    id: n.id,
    type: n.type,
    ...(isOpType(n.type) ? { op: n.type } : {}),
    inputs: [...n.inputs],
    ...(n.type === 'const' ? { value: n.value ?? 0n } : {}),
  }));
  return { nodes, output_node_id: ir.outputNodeIds[0]!, output_node_ids: [...ir.outputNodeIds] };
}

function invalid(path: IrJsonPath, what: string): InvalidIrError {
  return new InvalidIrError(`invalid IR at ${jsonPointer(path)}: ${what}`);
}

function readObject(v: unknown, path: IrJsonPath, allowed: ReadonlySet<string>): Record<string, unknown> {
  if (!isPlainObject(v)) throw invalid(path, `expected object, got ${describeType(v)}`);
  for (const k of Object.keys(v)) if (!allowed.has(k)) throw invalid([...path, k], 'unknown member');
  return v;
}

function readArray(v: unknown, path: IrJsonPath, max: number): readonly unknown[] {
  if (!Array.isArray(v)) throw invalid(path, `expected array, got ${describeType(v)}`);
  if (v.length > max) throw invalid(path, `expected at most ${max} items, got ${v.length}`);
  return v;
}

function readId(v: unknown, path: IrJsonPath): string {
  if (typeof v !== 'string') throw invalid(path, `expected identifier string, got ${describeType(v)}`);
  if (!isIdentifier(v)) throw invalid(path, `not an identifier ([A-Za-z_][A-Za-z0-9_]*, at most ${MAX_IDENTIFIER_LENGTH} characters)`);
  return v;
}

function readRef(v: unknown, path: IrJsonPath, defined: ReadonlySet<string>): string {
  const id = readId(v, path);
  if (!defined.has(id)) throw invalid(path, `undefined node "${id}" (every input is defined earlier)`);
  return id;
}

function readValue(v: unknown, path: IrJsonPath): bigint {
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else throw invalid(path, `expected integer, got ${typeof v === 'number' ? 'a non-integral or unsafe number' : describeType(v)}`);
  if (b >= INTEGER_BOUND || b <= -INTEGER_BOUND) throw invalid(path, `integer longer than ${MAX_INTEGER_DIGITS} digits`);
  return b;
}

function readNode(v: unknown, path: IrJsonPath, defined: ReadonlySet<string>): IrNode {
  const o = readObject(v, path, NODE_KEYS);
  const id = readId(o['id'], [...path, 'id']);
  if (defined.has(id)) throw invalid([...path, 'id'], `duplicate node id "${id}"`);
  const type = o['type'];
  if (typeof type !== 'string' || !TYPE_SET.has(type)) throw invalid([...path, 'type'], 'expected a node type (input, secret, const, add, sub, mul, neg, mux)');
  const t = type as NodeType;
  const arity = NODE_ARITY[t];
  const rawInputs = readArray(o['inputs'], [...path, 'inputs'], arity);
  if (rawInputs.length !== arity) throw invalid([...path, 'inputs'], `a ${t} node takes ${arity} inputs, got ${rawInputs.length}`);
  const inputs = rawInputs.map((x, i) => readRef(x, [...path, 'inputs', i], defined));
  if (isOpType(t) ? o['op'] !== t : Object.hasOwn(o, 'op')) throw invalid([...path, 'op'], isOpType(t) ? `expected "${t}" (equal to type)` : `not allowed on a ${t} node`);
  if (t !== 'const') {
    if (Object.hasOwn(o, 'value')) throw invalid([...path, 'value'], `not allowed on a ${t} node`);
    return isOpType(t) ? { id, type: t, op: t, inputs } : { id, type: t, inputs };
  }
  return { id, type: t, inputs, value: readValue(o['value'], [...path, 'value']) };
}

function readOutputs(o: Record<string, unknown>, path: IrJsonPath, defined: ReadonlySet<string>): string[] {
  const single = o['output_node_id'] ?? null;
  const list = Object.hasOwn(o, 'output_node_ids') ? readArray(o['output_node_ids'], [...path, 'output_node_ids'], defined.size) : [];
  const ids = list.map((x, i) => readRef(x, [...path, 'output_node_ids', i], defined));
  if (new Set(ids).size !== ids.length) throw invalid([...path, 'output_node_ids'], 'duplicate output');
  if (single === null) {
    if (ids.length === 0) throw invalid(path, 'no output (output_node_id or output_node_ids)');
    return ids;
  }
  const first = readRef(single, [...path, 'output_node_id'], defined);
  if (ids.length === 0) return [first];
  if (first !== ids[0]) throw invalid([...path, 'output_node_id'], 'expected the first of output_node_ids');
  return ids;
}

/**
 * {@link parseIr} for an IR embedded in a larger document: error messages name `path` + the
 * pointer inside the IR (e.g. `/ir/nodes/2/op`).
 * @throws InvalidIrError as {@link parseIr}.
 */
export function parseIrAt(value: unknown, path: IrJsonPath): Ir {
  const o = readObject(value, path, ROOT_KEYS);
  const rawNodes = readArray(o['nodes'], [...path, 'nodes'], MAX_IR_NODES);
  const defined = new Set<string>();
  const nodes: IrNode[] = [];
  for (let i = 0; i < rawNodes.length; i++) {
    const n = readNode(rawNodes[i], [...path, 'nodes', i], defined);
    nodes.push(n);
    defined.add(n.id);
  }
  return { nodes, outputNodeIds: readOutputs(o, path, defined) };
}

/**
 * Reads an IR in QuorumVM's JSON form from a value `parseStrict(text, { bigints: true })` returned
 * (const values: safe-integer numbers or bigints). Unknown members are refused.
 * @throws InvalidIrError (`ERR_INVALID_IR`, 400) naming the JSON pointer of the first problem: a
 *   wrong type, unknown node type, wrong arity, `op` missing or different from `type`, `value` off a
 *   const node or not an integer, an input not defined earlier, a duplicate id, outputs missing,
 *   unknown, repeated or inconsistent, more than MAX_IR_NODES nodes, an identifier that is not one
 *   or longer than MAX_IDENTIFIER_LENGTH, a value of more than MAX_INTEGER_DIGITS digits.
 * @example
 * parseIr(parseStrict(text, { bigints: true }));
 */
export function parseIr(value: unknown): Ir {
  return parseIrAt(value, []);
}
