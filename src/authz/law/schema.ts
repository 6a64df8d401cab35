// The JSON Schema (draft 2020-12) of the law document `quorumkit/authz-law/v1` (document.ts) — for
// people and for tools (editors, CI, the HTTP service's schema compiler). It states the shape and
// every cap; what a schema cannot say — each condition is in the condition language and names only
// law-context fields, ids are unique, a REQUIRE's procedure exists — parseLawDocument adds, so the
// schema is necessary, not sufficient (test/authz/law-document.test.ts checks the two agree on the
// shape). Data only: browser-safe.

import { MAX_CONDITION_CHARS } from '../condition/lexer.js';
import {
  LAW_LABEL_PATTERN,
  LAW_NAME_PATTERN,
  LAW_SCHEMA_ID,
  MAX_LAW_ID_CHARS,
  MAX_LAW_LIST_ITEMS,
  MAX_LAW_NORMS,
  MAX_LAW_PROCEDURES,
  MAX_LAW_RESOURCE_LIMITS,
  MAX_LAW_ROLES,
  MAX_LAW_TEXT_CHARS,
  MAX_LAW_WITNESSES,
} from './document.js';

const name = { type: 'string', minLength: 1, maxLength: MAX_LAW_ID_CHARS, pattern: LAW_NAME_PATTERN } as const;
const label = { type: 'string', minLength: 1, maxLength: MAX_LAW_ID_CHARS, pattern: LAW_LABEL_PATTERN } as const;
const text = { type: 'string', minLength: 1, maxLength: MAX_LAW_TEXT_CHARS } as const;
const condition = { type: 'string', description: 'a condition in the quorumkit/authz condition language over the law context', maxLength: MAX_CONDITION_CHARS } as const;
const witnesses = { type: 'integer', minimum: 1, maximum: MAX_LAW_WITNESSES } as const;
const count = (min: number) => ({ type: 'integer', minimum: min, maximum: Number.MAX_SAFE_INTEGER }) as const;

const roleBodyProperties = {
  actions: { type: 'array', maxItems: MAX_LAW_LIST_ITEMS, uniqueItems: true, items: name },
  resourceLimits: { type: 'object', maxProperties: MAX_LAW_RESOURCE_LIMITS, propertyNames: name, additionalProperties: count(0) },
  trustThreshold: { type: 'number', minimum: 0, maximum: 1 },
  requiresWitness: { type: 'boolean' },
  maxAtpPerAction: count(0),
} as const;
const roleBodyRequired = ['actions', 'resourceLimits', 'trustThreshold', 'requiresWitness', 'maxAtpPerAction'] as const;

/** The JSON Schema of a `quorumkit/authz-law/v1` document. */
export const LAW_DOCUMENT_SCHEMA = Object.freeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://quorumkit.dev/schemas/authz-law.v1.json',
  title: 'quorumkit authorization law (roles, norms ALLOW / LIMIT / REQUIRE, procedures)',
  type: 'object',
  additionalProperties: false,
  required: ['schema', 'version', 'society', 'roles', 'norms', 'procedures'],
  properties: {
    schema: { const: LAW_SCHEMA_ID },
    version: label,
    society: label,
    lawOracle: label,
    previousVersion: label,
    roles: {
      type: 'array',
      maxItems: MAX_LAW_ROLES,
      items: { type: 'object', additionalProperties: false, required: ['role', ...roleBodyRequired], properties: { role: label, ...roleBodyProperties } },
    },
    defaultRole: { type: 'object', additionalProperties: false, required: [...roleBodyRequired], properties: roleBodyProperties },
    norms: {
      type: 'array',
      maxItems: MAX_LAW_NORMS,
      items: {
        oneOf: [
          { type: 'object', additionalProperties: false, required: ['id', 'type', 'when'], properties: { id: name, type: { const: 'ALLOW' }, when: condition, reason: text } },
          { type: 'object', additionalProperties: false, required: ['id', 'type', 'condition'], properties: { id: name, type: { const: 'LIMIT' }, when: condition, condition, reason: text } },
          {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'type', 'when'],
            properties: { id: name, type: { const: 'REQUIRE' }, when: condition, witnesses, procedure: name, reason: text },
            anyOf: [
              { type: 'object', required: ['witnesses'], properties: { witnesses } },
              { type: 'object', required: ['procedure'], properties: { procedure: name } },
            ],
          },
        ],
      },
    },
    procedures: {
      type: 'array',
      maxItems: MAX_LAW_PROCEDURES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'triggers', 'witnesses'],
        properties: {
          id: name,
          triggers: { type: 'array', maxItems: MAX_LAW_LIST_ITEMS, items: condition },
          witnesses: { type: 'integer', minimum: 0, maximum: MAX_LAW_WITNESSES },
          quorum: { type: 'integer', minimum: 0, maximum: MAX_LAW_WITNESSES },
          steps: { type: 'array', maxItems: MAX_LAW_LIST_ITEMS, items: text },
          timeoutSeconds: { type: ['integer', 'null'], minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
        },
      },
    },
  },
});
