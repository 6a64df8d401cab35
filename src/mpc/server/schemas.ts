// Request bodies of the MPC services (default mode), validated once at the boundary. Shapes follow
// QuorumVM's endpoints; shares travel as base64 of packed elements or of sealed boxes. Every string
// and list is capped; the domain code checks what a schema cannot (program ids, counts, boxes).

import { compileSchema } from '../../http/schema.js';
import type { Envelope } from '../../envelope/types.js';

const PROGRAM_ID = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const REQUEST_ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' };
const LOT_ID = { type: 'string', pattern: '^[0-9a-f]{32}$' };
// Base64 fields are capped here and checked strictly where they are read (base64Decode /
// decodePacked: canonical padded base64 or 400; the coordinator checks the boxes it forwards):
// a schema `pattern` runs as a unicode-mode RegExp, ~20 MB/s — 45 ms per 10,000-evaluation batch
// at every custodian — where the strict decoder runs at native speed.
const B64 = { type: 'string', maxLength: 96 * 1024 * 1024 };
const COUNT = { type: 'integer', minimum: 1, maximum: 1_000_000 };
const ENVELOPE = { type: 'object' };
const obj = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, required, properties });
const TRIPLES = { type: 'array', maxItems: 1024, items: obj(['lot_id', 'offset', 'count'], { lot_id: LOT_ID, offset: { type: 'integer', minimum: 0, maximum: 1_000_000 }, count: COUNT }) };

/** Validators of the custodian's, coordinator's and dealer's bodies. */
export const mpcSchemas = {
  custodianInstall: compileSchema<{ program_package: unknown; secret_shares?: string }>(obj(['program_package'], { program_package: { type: 'object' }, secret_shares: B64 })),
  programRef: compileSchema<{ program_id: string }>(obj(['program_id'], { program_id: PROGRAM_ID })),
  installBeaver: compileSchema<{ program_id: string; lot_id: string; count: number; box: string }>(obj(['program_id', 'lot_id', 'count', 'box'], { program_id: PROGRAM_ID, lot_id: LOT_ID, count: COUNT, box: B64 })),
  evalBeaver: compileSchema<{ program_id: string; request_id: string; batch: number; inputs: string; triples: { lot_id: string; offset: number; count: number }[] }>(
    obj(['program_id', 'request_id', 'batch', 'inputs', 'triples'], { program_id: PROGRAM_ID, request_id: REQUEST_ID, batch: { type: 'integer', minimum: 1, maximum: 100_000 }, inputs: B64, triples: TRIPLES }),
  ),
  round2: compileSchema<{ program_id: string; request_id: string; epsilon: string; delta: string }>(obj(['program_id', 'request_id', 'epsilon', 'delta'], { program_id: PROGRAM_ID, request_id: REQUEST_ID, epsilon: B64, delta: B64 })),
  coordinatorInstall: compileSchema<{ program_package: unknown; generate_beaver?: boolean; beaver_pool_size?: number; allow_extraction?: boolean }>(
    obj(['program_package'], { program_package: { type: 'object' }, generate_beaver: { type: 'boolean' }, beaver_pool_size: { type: 'integer', minimum: 0, maximum: 100_000 }, allow_extraction: { type: 'boolean' } }),
  ),
  approve: compileSchema<{ program_id: string; custodian_index: number; signature: Envelope }>(obj(['program_id', 'custodian_index', 'signature'], { program_id: PROGRAM_ID, custodian_index: { type: 'integer', minimum: 0, maximum: 1023 }, signature: ENVELOPE })),
  eval: compileSchema<{ program_id: string; request_id: string; batch: number; inputs: Record<string, string> }>(
    obj(['program_id', 'request_id', 'batch', 'inputs'], { program_id: PROGRAM_ID, request_id: REQUEST_ID, batch: { type: 'integer', minimum: 1, maximum: 100_000 }, inputs: { type: 'object', maxProperties: 1024, propertyNames: { pattern: '^(0|[1-9][0-9]{0,3})$' }, additionalProperties: B64 } }),
  ),
  replenish: compileSchema<{ program_id: string; pool_size?: number }>(obj(['program_id'], { program_id: PROGRAM_ID, pool_size: { type: 'integer', minimum: 1, maximum: 100_000 } })),
  deal: compileSchema<{ program_id: string; count: number }>(obj(['program_id', 'count'], { program_id: PROGRAM_ID, count: COUNT })),
};

/** Largest body the MPC services accept (a 100,000-evaluation batch of several inputs fits). */
export const MPC_MAX_BODY_BYTES = 128 * 1024 * 1024;
