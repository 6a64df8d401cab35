// A small client for quorumkit services: JSON in and out, optional request signing, and error
// bodies turned back into QuorumkitError with the server's code. Uses global fetch (any runtime).
// Response bodies are parsed with parseStrict (DESIGN.md "Parsing JSON"), never JSON.parse.
// A caller may plug in another `transport` (e.g. node-transport.ts: keep-alive node:http, a third of
// fetch's CPU per call) — signing, strict parsing and error mapping stay the same.

import { assertOptions, optionKeys } from '../core/assert.js';
import { utf8Encode } from '../core/bytes.js';
import { canonicalize } from '../core/canonical-json.js';
import { IoError, QuorumkitError, type JsonValue } from '../core/errors.js';
import { parseStrict } from '../core/parse-strict.js';
import type { EnvelopeSigner } from '../envelope/types.js';
import { signRequest } from './signed-request.js';

/** One HTTP exchange as {@link callService} needs it: the request out, status and body text back. */
export type HttpTransport = (
  url: URL,
  request: { readonly method: string; readonly headers: Readonly<Record<string, string>>; readonly body: Uint8Array | undefined; readonly timeoutMs: number },
) => Promise<{ readonly status: number; readonly text: string }>;

/** The default transport: global fetch. */
export const fetchTransport: HttpTransport = async (url, r) => {
  const res = await fetch(url, {
    method: r.method,
    headers: r.headers,
    ...(r.body === undefined ? {} : { body: r.body as Uint8Array<ArrayBuffer> }),
    signal: AbortSignal.timeout(r.timeoutMs),
  });
  return { status: res.status, text: await res.text() };
};

/** Options of {@link callService} besides signing. */
export interface BaseCallOptions {
  readonly method?: string;
  /** JSON body (sent as canonical JSON). */
  readonly body?: unknown;
  /**
   * A body already serialized as JSON text, sent as is (instead of `body`): for documents whose
   * wire form is not RFC 8785, e.g. QuorumVM packages with exact big integer literals.
   */
  readonly bodyText?: string;
  /** Read integer literals beyond 2^53 in the answer as exact bigints (default: numbers). */
  readonly bigints?: boolean;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
  /** How the request is sent (default {@link fetchTransport}). */
  readonly transport?: HttpTransport;
}

/** Options of {@link callService}: a signed call names its `audience`, the did of the service called. */
export type CallOptions = BaseCallOptions &
  (
    | { readonly signer?: undefined; readonly audience?: string }
    | {
        /** Sign the request with this identity. */
        readonly signer: EnvelopeSigner;
        /** The did of the service called: signed into the request so no other service accepts it. */
        readonly audience: string;
      }
  );

const CALL_OPTION_KEYS = optionKeys<BaseCallOptions & { signer?: unknown; audience?: unknown }>({ method: true, body: true, bodyText: true, bigints: true, signer: true, audience: true, headers: true, timeoutMs: true, transport: true });

/**
 * Error thrown for a non-2xx response (class code `ERR_SERVICE_CALL`). Unlike other errors, an
 * instance carries the server's answer: `code` is the server's code, `status` the HTTP status
 * received, `details` the server's whole `error` object (e.g. Byzantine `evidence`).
 */
export class ServiceCallError extends QuorumkitError {
  static override readonly code: string = 'ERR_SERVICE_CALL';
  static override readonly status: number = 500;
  /** The server's code (`ERR_IO` when its answer named none). */
  override readonly code: string;
  readonly requestId: string | undefined;
  /** The server's whole `error` object, including any extra fields (e.g. Byzantine evidence). */
  override readonly details: Readonly<Record<string, JsonValue>>;
  readonly #status: number;
  constructor(code: string, message: string, status: number, requestId?: string, details: Record<string, JsonValue> = {}) {
    super(message);
    this.code = code;
    this.#status = status;
    this.requestId = requestId;
    this.details = details;
  }

  /** The HTTP status the server answered with. */
  override get status(): number {
    return this.#status;
  }
}

/**
 * Calls `baseUrl + path` and returns the parsed JSON response (null for an empty body).
 * @throws ServiceCallError for a non-2xx answer; QuorumkitError `ERR_IO` when the service cannot be
 *   reached or a 2xx answer is not strict JSON (duplicate keys, lone surrogates, syntax errors);
 *   TypeError for an unknown option.
 */
export async function callService<T = unknown>(baseUrl: string, path: string, options: CallOptions = {}): Promise<T> {
  assertOptions('options', options, CALL_OPTION_KEYS);
  if (options.body !== undefined && options.bodyText !== undefined) throw new TypeError('"body" and "bodyText" are exclusive');
  if (options.bodyText !== undefined && typeof options.bodyText !== 'string') throw new TypeError('"bodyText" expected a string');
  const hasBody = options.body !== undefined || options.bodyText !== undefined;
  const method = (options.method ?? (hasBody ? 'POST' : 'GET')).toUpperCase();
  const body = options.bodyText !== undefined ? utf8Encode(options.bodyText) : options.body === undefined ? new Uint8Array(0) : utf8Encode(canonicalize(options.body));
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (hasBody) headers['content-type'] = 'application/json';
  if (options.signer) {
    if (options.audience === undefined) throw new TypeError('"audience" expected the did of the service called (required with "signer")');
    Object.assign(headers, await signRequest(options.signer, { method, path, body, audience: options.audience }));
  }
  let res: { readonly status: number; readonly text: string };
  try {
    res = await (options.transport ?? fetchTransport)(new URL(path, baseUrl), { method, headers, body: hasBody ? body : undefined, timeoutMs: options.timeoutMs ?? 30_000 });
  } catch (cause) {
    throw new IoError(`cannot reach ${baseUrl}: ${(cause as Error).message}`, { cause });
  }
  const text = res.text;
  const ok = res.status >= 200 && res.status < 300;
  let json: unknown = null;
  let parseError: unknown;
  try {
    if (text.length > 0) json = parseStrict(text, options.bigints === true ? { bigints: true } : undefined);
  } catch (err) {
    parseError = err;
  }
  if (ok && parseError !== undefined) {
    throw new IoError(`${baseUrl} answered HTTP ${res.status} with a body that is not strict JSON: ${(parseError as Error).message}`, { cause: parseError });
  }
  if (!ok) {
    const e = (json as { error?: unknown } | null)?.error;
    const details = e !== null && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, JsonValue>) : {};
    const field = (k: string): string | undefined => (typeof details[k] === 'string' ? (details[k] as string) : undefined);
    throw new ServiceCallError(field('code') ?? 'ERR_IO', field('message') ?? `HTTP ${res.status}`, res.status, field('requestId'), details);
  }
  return json as T;
}
