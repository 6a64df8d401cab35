// JSON Schema (draft 2020-12) validation for every HTTP/CLI payload (DESIGN.md "JSON Schema"),
// compiled once with ajv. A failure is QuorumkitError('ERR_SCHEMA_INVALID') naming the first
// offending location, never a crash. Note: ajv compiles to code (new Function), which runtimes
// with a no-eval policy forbid; services use it on Node.

import { Ajv2020 } from 'ajv/dist/2020.js';
import { SchemaInvalidError } from '../core/errors.js';

const ajv = new Ajv2020({ strict: true, allErrors: false, allowUnionTypes: true });

/** A compiled validator: returns the value typed, or throws ERR_SCHEMA_INVALID. */
export type Validator<T> = (value: unknown, what?: string) => T;

/**
 * Compiles a draft 2020-12 schema.
 * @throws Error when the schema itself is invalid (a programming error, at start-up).
 * @example
 * const checkVote = compileSchema<VoteBody>({ type: 'object', required: ['decision'], properties: { decision: { enum: ['approve', 'reject', 'abstain'] } } });
 */
export function compileSchema<T>(schema: object): Validator<T> {
  const validate = ajv.compile(schema);
  return (value: unknown, what = 'body'): T => {
    if (validate(value)) return value as T;
    const e = validate.errors?.[0];
    const where = e?.instancePath ? `${what}${e.instancePath}` : what;
    throw new SchemaInvalidError(`${where} ${e?.message ?? 'is invalid'}`);
  };
}
