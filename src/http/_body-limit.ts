// Request-body size limit for service apps (DESIGN.md "Services": body limit → 413). A request
// whose `content-length` header states its size (and that is not chunked) is judged by the header
// alone: Node's HTTP parser (and every fetch runtime) delivers exactly that many body bytes, so
// nothing more can arrive, and the body is left untouched for the handler to read once — Hono's
// `bodyLimit` reads `c.req.raw.body` first, which on @hono/node-server turns the lightweight request
// into a full web Request with a ReadableStream over the socket, a cost paid on every request. A
// request without a usable `content-length` (chunked) is counted while it streams, by Hono's
// `bodyLimit`. GET and HEAD carry no body a handler reads. Web-standard.

import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Middleware answering `tooLarge(c)` for a body over `maxSize` bytes. */
export function limitBody(maxSize: number, tooLarge: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  const streaming = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && /^\d{1,16}$/.test(length) && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > maxSize ? tooLarge(c) : next();
    }
    return streaming(c, next);
  };
}
