// Request bodies of resharing and rotation (QuorumVM's /reshare, /rotate and the custodians'
// reshare_* endpoints, with sealed boxes instead of plaintext values), validated once at the
// boundary. Abscissas are JSON integers (QuorumVM's shape), capped like the key cards' x; every list
// is capped (MAX_RESHARE_TARGETS); the domain code checks what a schema cannot (cards, boxes).

import { compileSchema } from '../../http/schema.js';

const PROGRAM_ID = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const ROUND_ID = { type: 'string', pattern: '^[0-9a-f]{32}$' };
const X = { type: 'integer', minimum: 1, maximum: 9_999_999 };
const XS = { type: 'array', maxItems: 64, items: X };
const B64 = { type: 'string', maxLength: 96 * 1024 * 1024, pattern: '^[A-Za-z0-9+/]*={0,2}$' };
const CARD = { type: 'object' };
/** A signed envelope (its signatures are checked by the domain code). */
const ENVELOPE = { type: 'object' };
const obj = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, required, properties });
const SEALED_FROM = { type: 'array', maxItems: 64, items: obj(['from_x', 'box'], { from_x: X, box: B64 }) };
const INDEX = { type: 'integer', minimum: 0, maximum: 1023 };

/** A sealed vector on the wire. */
export interface WireSealedFrom {
  from_x: number;
  box: string;
}

/** Validators of the resharing bodies (custodian, coordinator, dealer). */
export const reshareSchemas = {
  generate: compileSchema<{ program_id: string; round_id: string; k: number; targets: unknown[]; onboard_x_coords?: number[] }>(
    obj(['program_id', 'round_id', 'k', 'targets'], { program_id: PROGRAM_ID, round_id: ROUND_ID, k: { type: 'integer', minimum: 1, maximum: 1024 }, targets: { type: 'array', minItems: 1, maxItems: 64, items: CARD }, onboard_x_coords: XS }),
  ),
  apply: compileSchema<{ program_id: string; round_id: string; sub_shares: WireSealedFrom[] }>(obj(['program_id', 'round_id', 'sub_shares'], { program_id: PROGRAM_ID, round_id: ROUND_ID, sub_shares: SEALED_FROM })),
  partial: compileSchema<{ program_id: string; round_id: string; target_x: number; participant_x_coords: number[]; recipient: unknown; authorization: unknown }>(
    obj(['program_id', 'round_id', 'target_x', 'participant_x_coords', 'recipient', 'authorization'], { program_id: PROGRAM_ID, round_id: ROUND_ID, target_x: X, participant_x_coords: XS, recipient: CARD, authorization: ENVELOPE }),
  ),
  setShare: compileSchema<{ program_id: string; round_id: string; share_x: number; program_package: unknown; partials: WireSealedFrom[] }>(
    obj(['program_id', 'round_id', 'share_x', 'program_package', 'partials'], { program_id: PROGRAM_ID, round_id: ROUND_ID, share_x: X, program_package: { type: 'object' }, partials: SEALED_FROM }),
  ),
  reshare: compileSchema<{ program_id: string }>(obj(['program_id'], { program_id: PROGRAM_ID })),
  rotate: compileSchema<{ program_id: string; retire_indices: number[]; onboard_urls: string[]; onboard_x_coords?: number[]; authorization?: unknown }>(
    obj(['program_id', 'retire_indices', 'onboard_urls'], {
      program_id: PROGRAM_ID,
      authorization: ENVELOPE,
      retire_indices: { type: 'array', maxItems: 64, items: INDEX },
      onboard_urls: { type: 'array', maxItems: 16, items: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^https?://' } },
      onboard_x_coords: { type: 'array', maxItems: 16, items: X },
    }),
  ),
  /** The dealer's /deal, optionally at an explicit custodian set (after a rotation). */
  deal: compileSchema<{ program_id: string; count: number; custodians?: { index: number; url: string }[] }>(
    obj(['program_id', 'count'], {
      program_id: PROGRAM_ID, count: { type: 'integer', minimum: 1, maximum: 1_000_000 },
      custodians: { type: 'array', minItems: 1, maxItems: 64, items: obj(['index', 'url'], { index: INDEX, url: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^https?://' } }) },
    }),
  ),
};
