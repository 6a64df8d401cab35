// JSON Schemas (draft 2020-12) shared by every service's request bodies: a signed envelope's wire
// shape (DESIGN.md "Wire formats"; signatures are checked by the domain code, not here) and the
// empty body of a signed action route. Plain objects: compile them with compileSchema (schema.ts).
// Browser-safe.

/** Schema of a signed envelope (shape only). */
export const ENVELOPE_SCHEMA = {
  type: 'object',
  required: ['payloadType', 'payload', 'signatures'],
  additionalProperties: false,
  properties: {
    payloadType: { type: 'string', minLength: 1, maxLength: 256 },
    payload: { type: 'string', minLength: 1, maxLength: 1_000_000 },
    signatures: {
      type: 'array',
      minItems: 1,
      maxItems: 16,
      items: {
        type: 'object',
        required: ['keyid', 'alg', 'sig'],
        additionalProperties: false,
        properties: {
          keyid: { type: 'string', minLength: 1, maxLength: 512 },
          alg: { type: 'string', minLength: 1, maxLength: 32 },
          sig: { type: 'string', minLength: 1, maxLength: 16_384 },
          publicKey: { type: 'string', minLength: 1, maxLength: 8192 },
        },
      },
    },
  },
} as const;

/** Schema of an empty object body (`{}`). */
export const EMPTY_SCHEMA = { type: 'object', additionalProperties: false, maxProperties: 0 } as const;
