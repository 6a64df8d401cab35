// The HTTP conventions of `--legacy` mode (QuorumVM's FastAPI services): JSON with exact integer
// literals both ways (bodies read with parseStrict `{ bigints: true }`, answers written with the
// Python-compat encoder, so a value up to p − 1 never passes through a rounded JS number), and error
// bodies that carry FastAPI's `{ "detail": "<message>" }` — QuorumVM's clients read
// `resp.json()["detail"]` — beside quorumkit's `{ error: { code, message, requestId } }`, with the
// same statuses as the default handler (http/errors.ts). Node-free.

import type { Context, Hono } from 'hono';
import { canonicalizePython } from '../../core/canonical-python.js';
import { InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import { readJsonBody, type ServiceEnv } from '../../http/app.js';
import { errorResponse, type HttpErrorBody } from '../../http/errors.js';
import type { Validator } from '../../http/schema.js';
import { parseElement } from '../wire.js';

/** An error body in both shapes: FastAPI's `detail` and quorumkit's `error`. */
export type LegacyErrorBody = HttpErrorBody & { readonly detail: string };

/** The legacy error body and status for any thrown value (internals still never leak). */
export function legacyErrorResponse(err: unknown, requestId: string): { status: number; body: LegacyErrorBody } {
  const { status, body } = errorResponse(err, requestId);
  return { status, body: { detail: body.error.message, ...body } };
}

/**
 * Makes `app` answer errors (thrown ones and unknown routes) with {@link LegacyErrorBody}. Call
 * after createServiceApp, before adding routes.
 */
export function useLegacyErrors(app: Hono<ServiceEnv>): void {
  app.onError((err, c) => {
    const { status, body } = legacyErrorResponse(err, c.get('requestId') ?? '');
    return c.json(body, status as 400);
  });
  app.notFound((c) => c.json(legacyErrorResponse(new NotFoundError('Not Found'), c.get('requestId') ?? '').body, 404));
}

/** Answers `value` as JSON with exact integer literals (bigints included). */
export function legacyJson(c: Context, value: unknown, status = 200): Response {
  return c.body(canonicalizePython(value), status as 200, { 'content-type': 'application/json' });
}

/** Reads and validates a legacy body (integer literals beyond 2^53 exact). */
export function readLegacyBody<T>(c: Context, validate: Validator<T>): Promise<T> {
  return readJsonBody(c, validate, { bigints: true });
}

/**
 * Reads `{ name: element }` (QuorumVM's `Dict[str, int]`, strings accepted too) into bigints.
 * @throws InvalidArgumentError (400) for a value that is not a field element.
 */
export function readElementMap(name: string, o: Readonly<Record<string, unknown>>): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const [k, v] of Object.entries(o)) m.set(k, parseElement(`${name}.${k}`, v));
  return m;
}

/**
 * Reads a custodian abscissa: a field element that is not 0.
 * @throws InvalidArgumentError (400) otherwise.
 */
export function readAbscissa(name: string, v: unknown): bigint {
  const x = parseElement(name, v);
  if (x === 0n) throw new InvalidArgumentError(`"${name}" expected an abscissa in [1, p)`);
  return x;
}
