// JSON Schema (draft 2020-12) validation for every HTTP/CLI payload (DESIGN.md "JSON Schema"),
// compiled once with ajv. A failure is QuorumkitError('ERR_SCHEMA_INVALID') naming the first
// offending location, never a crash. Note: ajv compiles to code (new Function), which runtimes
// with a no-eval policy forbid; services use it on Node.

import { Ajv2020 } from 'ajv/dist/2020.js';
import { SchemaInvalidError } from '../core/errors.js';

// `unicode: false`: minLength / maxLength count UTF-16 code units (`string.length`), never fewer
// than code points, so every bound holds at least as tightly — and Ajv's code-point counter is not
// run over every multi-kilobyte signature and key string of every request (a signed vote body:
// ~60 µs → ~7 µs). Ajv 8 still honours the option but names it deprecated on construction; that
// one notice is dropped, every other warning goes to the console as before.
const UNICODE_NOTICE = 'DEPRECATED: option unicode';
const logger = {
  log: (...args: unknown[]): void => console.log(...args),
  warn: (...args: unknown[]): void => {
    if (!String(args[0]).startsWith(UNICODE_NOTICE)) console.warn(...args);
  },
  error: (...args: unknown[]): void => console.error(...args),
};
const ajv = new Ajv2020({ strict: true, allErrors: false, allowUnionTypes: true, unicode: false, logger });

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
