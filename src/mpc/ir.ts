// The intermediate representation of an MPC program (QuorumVM's IR, quorumvm/compiler/ir.py): a
// list of nodes in definition order (every input of a node is defined before it) and the ids of the
// output nodes. The JSON form is QuorumVM's: { nodes: [{ id, type, op?, inputs, value? }],
// output_node_id, output_node_ids } — `op` present on operation nodes (equal to `type`), `value`
// only on `const` nodes, as an integer literal of any size (never rounded through a JS number).
// quorumkit adds one node type, `secret`: a parameter whose value is never in the IR — each
// custodian holds a Shamir share of it, supplied at install time by the model owner.
// Browser-safe.

/** Node types. `mux(s, a, b) = s·a + (1 − s)·b`. */
export type NodeType = 'input' | 'secret' | 'const' | 'add' | 'sub' | 'mul' | 'neg' | 'mux';

/** Operation node types (those that carry `op`). */
export type OpType = 'add' | 'sub' | 'mul' | 'neg' | 'mux';

/** Number of inputs each node type takes. */
export const NODE_ARITY: Readonly<Record<NodeType, number>> = Object.freeze({
  input: 0, secret: 0, const: 0, add: 2, sub: 2, mul: 2, neg: 1, mux: 3,
});

/** One node of the program DAG. */
export interface IrNode {
  /** Identifier, unique in the program. */
  readonly id: string;
  readonly type: NodeType;
  /** Equal to `type` on operation nodes; absent on input, secret and const nodes. */
  readonly op?: OpType;
  /** Ids of the nodes this one reads, each defined earlier in `nodes`. */
  readonly inputs: readonly string[];
  /** The integer of a `const` node (any size; reduced mod p when evaluated). */
  readonly value?: bigint;
}

/** A compiled program. */
export interface Ir {
  readonly nodes: readonly IrNode[];
  /** The outputs, in declaration order (at least one). */
  readonly outputNodeIds: readonly string[];
}

/** Largest program accepted anywhere (nodes); every cost an input controls is capped. */
export const MAX_IR_NODES = 100_000;
/** Longest identifier accepted. */
export const MAX_IDENTIFIER_LENGTH = 128;

/**
 * Most decimal digits of an integer literal (DSL `const`) or IR `value`: CPython's
 * `sys.int_info.default_max_str_digits` (4300), the limit QuorumVM's own `int()` enforces.
 */
export const MAX_INTEGER_DIGITS = 4300;

/** What an identifier looks like: an ASCII letter or `_`, then letters, digits and `_`. */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every node type, in the order of {@link NodeType}. */
export const NODE_TYPES: readonly NodeType[] = Object.freeze(['input', 'secret', 'const', 'add', 'sub', 'mul', 'neg', 'mux']);

/** True for the node types that carry `op` (operations). */
export function isOpType(type: NodeType): type is OpType {
  return type !== 'input' && type !== 'secret' && type !== 'const';
}

/** True when `id` is a valid identifier: {@link IDENTIFIER_PATTERN}, at most {@link MAX_IDENTIFIER_LENGTH} characters. */
export function isIdentifier(id: string): boolean {
  return id.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER_PATTERN.test(id);
}

/** True for the parameter node types: `input` (public query values) and `secret` (shared among custodians). */
export function isParameterType(type: NodeType): type is 'input' | 'secret' {
  return type === 'input' || type === 'secret';
}
