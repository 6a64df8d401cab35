// The Hono app every quorumkit service starts from (DESIGN.md "Services"): request ids
// (`x-request-id`), one structured JSON log line per request (method, path, status, time, caller —
// never bodies, keys or shares), a request-body limit (413), strict JSON bodies (duplicate keys
// rejected, 400), schema validation (400), signed-request authentication (401/403), and errors as
// `{ error: { code, message, requestId } }` with the status of the error's class and, on a 4xx, its
// JSON-safe `details` (errors.ts) — one handler for every service. Web-standard: runs on any fetch runtime.

import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { assertOptions, optionKeys } from '../core/assert.js';
import { utf8Decode } from '../core/bytes.js';
import { InvalidArgumentError, NotFoundError, PayloadTooLargeError } from '../core/errors.js';
import { parseStrict } from '../core/parse-strict.js';
import { limitBody } from './_body-limit.js';
import { errorResponse } from './errors.js';
import type { Validator } from './schema.js';
import { acceptSignedRequest, VERIFY_REQUEST_OPTION_KEYS, type VerifyRequestOptions } from './signed-request.js';

/** Per-request variables services can read (`c.get('requestId')`, `c.get('caller')`). */
export interface ServiceEnv {
  Variables: { requestId: string; caller: string | undefined };
}

/** A structured log sink: one JSON-serialisable object per event. */
export type LogSink = (entry: Record<string, unknown>) => void;

/** Default log sink: one JSON line on stderr. */
export const stderrLog: LogSink = (entry) => {
  console.error(JSON.stringify(entry));
};

/** Options of {@link createServiceApp}. */
export interface ServiceAppOptions {
  /** Service name, in every log line. */
  readonly service: string;
  /** Largest accepted request body (default 1 MiB). */
  readonly maxBodyBytes?: number;
  readonly log?: LogSink;
}

const SERVICE_APP_OPTION_KEYS = optionKeys<ServiceAppOptions>({ service: true, maxBodyBytes: true, log: true });

/** Largest request body by default. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Creates a Hono app with the quorumkit service middleware installed. Add routes to it.
 * @throws TypeError for an options object with an unknown key.
 */
export function createServiceApp(options: ServiceAppOptions): Hono<ServiceEnv> {
  assertOptions('options', options, SERVICE_APP_OPTION_KEYS);
  const log = options.log ?? stderrLog;
  const maxSize = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = new Hono<ServiceEnv>();

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID_RE.test(incoming) ? incoming : globalThis.crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('caller', undefined);
    // Set before the response exists: Hono merges it into every c.json/c.body answer (errors and
    // 404 too). Setting it afterwards makes Hono rebuild the finished Response (~40 µs a request).
    c.header('x-request-id', requestId);
    const t0 = performance.now();
    await next();
    log({
      t: new Date().toISOString(),
      service: options.service,
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - t0) * 100) / 100,
      ...(c.get('caller') ? { caller: c.get('caller') } : {}),
    });
  });
  app.use('*', limitBody(maxSize, (c) => c.json(errorResponse(new PayloadTooLargeError(`request body exceeds ${maxSize} bytes`), c.get('requestId')).body, 413)));
  app.onError((err, c) => {
    const { status, body } = errorResponse(err, c.get('requestId') ?? '');
    if (status >= 500) log({ t: new Date().toISOString(), service: options.service, requestId: c.get('requestId'), level: 'error', error: String((err as Error)?.message ?? err) });
    return c.json(body, status as 400);
  });
  app.notFound((c) => c.json(errorResponse(new NotFoundError(`no route for ${c.req.method} ${new URL(c.req.url).pathname}`), c.get('requestId')).body, 404));
  return app;
}

/** Raw request body bytes (cached by Hono, so middleware and handler may both read it). */
export async function readBodyBytes(c: Context): Promise<Uint8Array> {
  return new Uint8Array(await c.req.arrayBuffer());
}

/**
 * Reads the body as strict JSON (duplicate keys rejected) and validates it. With `{ bigints: true }`
 * integer literals beyond 2^53 arrive as exact bigints (QuorumVM's integer JSON), never rounded.
 * @throws QuorumkitError `ERR_JSON_PARSE` / `ERR_JSON_DUPLICATE_KEY` / `ERR_ENCODING` /
 *   `ERR_SCHEMA_INVALID` — all 400.
 */
export async function readJsonBody<T>(c: Context, validate?: Validator<T>, options?: { readonly bigints?: boolean }): Promise<T> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new InvalidArgumentError('content-type must be application/json');
  const value = parseStrict(utf8Decode(await readBodyBytes(c)), options?.bigints === true ? { bigints: true } : undefined);
  return validate ? validate(value) : (value as T);
}

/** Path and query exactly as requested: what a signed request signs. */
export function requestPath(c: Context): string {
  const u = new URL(c.req.url);
  return `${u.pathname}${u.search}`;
}

/**
 * Middleware: requires a valid signed request (see signed-request.ts) and stores the caller's
 * did in `c.get('caller')`. 401 when unsigned or wrongly signed, 403 when not allowed. With a
 * durable replay guard the handler runs while the nonce is being recorded — its own writes queue
 * behind the nonce's in the same ordered group commit — and the answer is sent only once the nonce
 * is durable (an error answer when it could not be recorded).
 */
export function requireSignedRequest(options: VerifyRequestOptions = {}): MiddlewareHandler<ServiceEnv> {
  assertOptions('options', options, VERIFY_REQUEST_OPTION_KEYS);
  return async (c, next) => {
    const { caller, nonceRecorded } = await acceptSignedRequest(
      { method: c.req.method, path: requestPath(c), body: await readBodyBytes(c), headers: (n) => c.req.header(n) },
      options,
    );
    c.set('caller', caller);
    // Settled below; a handler that throws first must not leave this rejection unobserved.
    nonceRecorded.catch(() => undefined);
    await next();
    await nonceRecorded;
  };
}
