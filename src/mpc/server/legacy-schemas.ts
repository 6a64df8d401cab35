// Request bodies of the `--legacy` services, in QuorumVM's shapes (quorumvm/coordinator/app.py and
// quorumvm/custodian/app.py request models), validated once at the boundary. Field elements are
// left untyped here (they may arrive as exact bigints, which JSON Schema cannot type) and read with
// parseElement by the routes. Every list and map is capped; unknown members are refused.

import { compileSchema } from '../../http/schema.js';

const PROGRAM_ID = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const REQUEST_ID = { type: 'string', minLength: 1, maxLength: 128 };
const NODE_ID = { type: 'string', minLength: 1, maxLength: 256 };
const LOT_ID = { type: 'string', pattern: '^[0-9a-f]{32}$' };
const ELEMENT = {};
const SMALL_INT = { type: 'integer', minimum: 1, maximum: 1_000_000 };
const obj = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, required, properties });
const elementMap = (max: number) => ({ type: 'object', maxProperties: max, propertyNames: NODE_ID, additionalProperties: ELEMENT });
const POINT = obj(['x', 'y'], { x: ELEMENT, y: ELEMENT });
const INPUT_SHARES = { type: 'object', maxProperties: 1024, propertyNames: NODE_ID, additionalProperties: POINT };
const PAIR = { type: 'array', minItems: 2, maxItems: 2, items: ELEMENT };
const TRIPLE = obj(['a', 'b', 'c'], { a: PAIR, b: PAIR, c: PAIR });
const EPS_DELTA_SHARE = obj(['node_id', 'epsilon_share', 'delta_share'], { node_id: NODE_ID, epsilon_share: ELEMENT, delta_share: ELEMENT });
const XS = { type: 'array', minItems: 1, maxItems: 1024, items: ELEMENT };

/** A point `{ x, y }` of QuorumVM's input shares. */
export interface LegacyPoint { readonly x: unknown; readonly y: unknown }
/** One triple share `{ a: [x, y], b: [x, y], c: [x, y] }`. */
export interface LegacyTriple { readonly a: readonly unknown[]; readonly b: readonly unknown[]; readonly c: readonly unknown[] }
/** One custodian's ε, δ shares of a multiplication node. */
export interface LegacyEpsDeltaShare { readonly node_id: string; readonly epsilon_share: unknown; readonly delta_share: unknown }

/** Validators of the legacy coordinator's and custodian's bodies. */
export const legacySchemas = {
  coordinatorInstall: compileSchema<{ program_package: unknown; generate_beaver?: boolean; beaver_pool_size?: number }>(
    obj(['program_package'], { program_package: { type: 'object' }, generate_beaver: { type: 'boolean' }, beaver_pool_size: { type: 'integer', minimum: 0, maximum: 10_000 } }),
  ),
  approve: compileSchema<{ program_id: string; custodian_index: number; signature: string }>(
    obj(['program_id', 'custodian_index', 'signature'], { program_id: PROGRAM_ID, custodian_index: { type: 'integer', minimum: 0, maximum: 1023 }, signature: { type: 'string', maxLength: 256 } }),
  ),
  eval: compileSchema<{ identity_id: string; program_id: string; inputs: Record<string, unknown> }>(
    obj(['identity_id', 'program_id', 'inputs'], { identity_id: { type: 'string', minLength: 1, maxLength: 256 }, program_id: PROGRAM_ID, inputs: elementMap(1024) }),
  ),
  replenish: compileSchema<{ program_id: string; pool_size?: number }>(obj(['program_id'], { program_id: PROGRAM_ID, pool_size: { type: 'integer', minimum: 1, maximum: 10_000 } })),
  custodianInstall: compileSchema<{ program_package: unknown; share_x: unknown; share_y: unknown }>(
    obj(['program_package', 'share_x', 'share_y'], { program_package: { type: 'object' }, share_x: ELEMENT, share_y: ELEMENT }),
  ),
  programRef: compileSchema<{ program_id: string }>(obj(['program_id'], { program_id: PROGRAM_ID })),
  installBeaver: compileSchema<{ program_id: string; triple_shares: Record<string, LegacyTriple | LegacyTriple[]>; lot_id?: string }>(
    obj(['program_id', 'triple_shares'], {
      program_id: PROGRAM_ID, lot_id: LOT_ID,
      triple_shares: { type: 'object', maxProperties: 1024, propertyNames: NODE_ID, additionalProperties: { anyOf: [TRIPLE, { type: 'array', maxItems: 100_000, items: TRIPLE }] } },
    }),
  ),
  evalShare: compileSchema<{ program_id: string; request_id: string; input_shares: Record<string, LegacyPoint> }>(
    obj(['program_id', 'request_id', 'input_shares'], { program_id: PROGRAM_ID, request_id: REQUEST_ID, input_shares: INPUT_SHARES }),
  ),
  evalBeaver: compileSchema<{ program_id: string; request_id: string; input_shares: Record<string, LegacyPoint>; triple?: { lot_id: string; offset: number } }>(
    obj(['program_id', 'request_id', 'input_shares'], { program_id: PROGRAM_ID, request_id: REQUEST_ID, input_shares: INPUT_SHARES, triple: obj(['lot_id', 'offset'], { lot_id: LOT_ID, offset: { type: 'integer', minimum: 0, maximum: 1_000_000 } }) }),
  ),
  round2: compileSchema<{ program_id: string; request_id: string; resolutions: { node_id: string; epsilon: unknown; delta: unknown }[] }>(
    obj(['program_id', 'request_id', 'resolutions'], { program_id: PROGRAM_ID, request_id: REQUEST_ID, resolutions: { type: 'array', maxItems: 100_000, items: obj(['node_id', 'epsilon', 'delta'], { node_id: NODE_ID, epsilon: ELEMENT, delta: ELEMENT }) } }),
  ),
  beaverShares: compileSchema<{ request_id: string; from_custodian: unknown; shares: LegacyEpsDeltaShare[] }>(
    obj(['request_id', 'from_custodian', 'shares'], { request_id: REQUEST_ID, from_custodian: ELEMENT, shares: { type: 'array', maxItems: 100_000, items: EPS_DELTA_SHARE } }),
  ),
  resolveP2p: compileSchema<{ program_id: string; request_id: string; mul_node_ids: string[] }>(
    obj(['program_id', 'request_id', 'mul_node_ids'], { program_id: PROGRAM_ID, request_id: REQUEST_ID, mul_node_ids: { type: 'array', maxItems: 100_000, items: NODE_ID } }),
  ),
  reshareGenerate: compileSchema<{ program_id: string; target_x_coords: unknown[]; k: number }>(
    obj(['program_id', 'target_x_coords', 'k'], { program_id: PROGRAM_ID, target_x_coords: XS, k: SMALL_INT }),
  ),
  reshareApply: compileSchema<{ program_id: string; sub_shares: unknown[] }>(obj(['program_id', 'sub_shares'], { program_id: PROGRAM_ID, sub_shares: { type: 'array', maxItems: 1024, items: ELEMENT } })),
  reshareSetShare: compileSchema<{ program_id: string; share_x: unknown; share_y: unknown; program_package?: unknown }>(
    obj(['program_id', 'share_x', 'share_y'], { program_id: PROGRAM_ID, share_x: ELEMENT, share_y: ELEMENT, program_package: { type: 'object' } }),
  ),
  lagrangePartial: compileSchema<{ program_id: string; target_x: unknown; participant_x_coords: unknown[] }>(
    obj(['program_id', 'target_x', 'participant_x_coords'], { program_id: PROGRAM_ID, target_x: ELEMENT, participant_x_coords: XS }),
  ),
};
