// JSON Schemas (draft 2020-12) of every governance node request body — the wire contract of the
// REST API (README "Governance node API"). Bodies are also size-limited by the service app.

import { compileSchema } from '../../http/index.js';
import type { Envelope } from '../../envelope/types.js';
import { EMPTY_SCHEMA, ENVELOPE_SCHEMA } from '../../http/envelope-schema.js';

export { EMPTY_SCHEMA, ENVELOPE_SCHEMA };

/** Most votes a published result may carry. */
export const MAX_RESULT_VOTES = 10_000;

/** `POST /v1/proposals` body. */
export const SUBMIT_PROPOSAL_SCHEMA = { type: 'object', required: ['proposal'], additionalProperties: false, properties: { proposal: ENVELOPE_SCHEMA } } as const;
/** `POST /v1/proposals/{id}/votes` body. */
export const SUBMIT_VOTE_SCHEMA = { type: 'object', required: ['vote'], additionalProperties: false, properties: { vote: ENVELOPE_SCHEMA } } as const;
/** `POST /v1/results` body. */
export const PUBLISH_RESULT_SCHEMA = {
  type: 'object',
  required: ['result', 'votes'],
  additionalProperties: false,
  properties: { result: ENVELOPE_SCHEMA, votes: { type: 'array', maxItems: MAX_RESULT_VOTES, items: ENVELOPE_SCHEMA } },
} as const;

/** Compiled validators. */
export const validate = {
  submitProposal: compileSchema<{ proposal: Envelope }>(SUBMIT_PROPOSAL_SCHEMA),
  submitVote: compileSchema<{ vote: Envelope }>(SUBMIT_VOTE_SCHEMA),
  publishResult: compileSchema<{ result: Envelope; votes: Envelope[] }>(PUBLISH_RESULT_SCHEMA),
  empty: compileSchema<Record<string, never>>(EMPTY_SCHEMA),
};
