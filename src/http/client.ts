// A small client for quorumkit services: JSON in and out, optional request signing, and error
// bodies turned back into QuorumkitError with the server's code. Uses global fetch (any runtime).

import { utf8Encode } from '../core/bytes.js';
import { canonicalize } from '../core/canonical-json.js';
import { QuorumkitError, type QuorumkitErrorCode } from '../core/errors.js';
import type { EnvelopeSigner } from '../envelope/types.js';
import { signRequest } from './signed-request.js';

/** Options of {@link callService}. */
export interface CallOptions {
  readonly method?: string;
  /** JSON body (sent as canonical JSON). */
  readonly body?: unknown;
  /** Sign the request with this identity. */
  readonly signer?: EnvelopeSigner;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

/** Error thrown for a non-2xx response; `code` is the server's, `status` the HTTP status. */
export class ServiceCallError extends QuorumkitError {
  readonly status: number;
  readonly requestId: string | undefined;
  /** The server's whole `error` object, including any extra fields (e.g. Byzantine evidence). */
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: QuorumkitErrorCode, message: string, status: number, requestId?: string, details: Record<string, unknown> = {}) {
    super(code, message);
    this.name = 'ServiceCallError';
    this.status = status;
    this.requestId = requestId;
    this.details = details;
  }
}

/**
 * Calls `baseUrl + path` and returns the parsed JSON response.
 * @throws ServiceCallError for a non-2xx answer; QuorumkitError `ERR_IO` when the service cannot be reached.
 */
export async function callService<T = unknown>(baseUrl: string, path: string, options: CallOptions = {}): Promise<T> {
  const method = (options.method ?? (options.body === undefined ? 'GET' : 'POST')).toUpperCase();
  const body = options.body === undefined ? new Uint8Array(0) : utf8Encode(canonicalize(options.body));
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.signer) Object.assign(headers, await signRequest(options.signer, { method, path, body }));
  let res: Response;
  try {
    res = await fetch(new URL(path, baseUrl), {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: body as Uint8Array<ArrayBuffer> }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (cause) {
    throw new QuorumkitError('ERR_IO', `cannot reach ${baseUrl}: ${(cause as Error).message}`, { cause });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text.length ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; requestId?: string } } | null)?.error;
    const details = e !== null && typeof e === 'object' ? (e as Record<string, unknown>) : {};
    throw new ServiceCallError((e?.code as QuorumkitErrorCode) ?? 'ERR_IO', e?.message ?? `HTTP ${res.status}`, res.status, e?.requestId, details);
  }
  return json as T;
}
