// A keep-alive node:http transport for callService (client.ts), for services that call other
// services many times a second (the MPC coordinator fans out to every custodian in every round).
// Global fetch (undici) spends ~0.7 ms of CPU per small loopback exchange on the reference machine
// (2 cores), node:http with a keep-alive agent ~0.2 ms: the transport only moves bytes — signing,
// strict JSON parsing and error mapping stay in callService. Bodies are read whole, capped at
// `maxResponseBytes`; a request that does not complete within its timeout is destroyed (IoError
// upstream). A request sent on a reused keep-alive socket that the server had closed meanwhile
// (ECONNRESET / EPIPE before any answer: the server read none of it, Node's http docs) is sent once
// more on a fresh connection — safe for signed requests, whose nonce a server refuses twice. Node-only.

import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { IoError } from '../core/errors.js';
import type { HttpTransport } from './client.js';

/** Options of {@link nodeTransport}. */
export interface NodeTransportOptions {
  /** Largest response body read (default 256 MiB); a longer one fails the call. */
  readonly maxResponseBytes?: number;
  /** Idle keep-alive sockets kept per host (default 16). */
  readonly maxFreeSockets?: number;
}

/**
 * A transport over node:http / node:https with keep-alive agents of its own.
 * @example
 * const transport = nodeTransport();
 * await callService(url, '/health', { transport });
 */
export function nodeTransport(o: NodeTransportOptions = {}): HttpTransport {
  const max = o.maxResponseBytes ?? 256 * 1024 * 1024;
  const agents = { http: new Agent({ keepAlive: true, maxFreeSockets: o.maxFreeSockets ?? 16 }), https: new HttpsAgent({ keepAlive: true, maxFreeSockets: o.maxFreeSockets ?? 16 }) };
  const once = (url: URL, r: Parameters<HttpTransport>[1], fresh: boolean): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      let settled = false;
      let answered = false;
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(e);
      };
      const secure = url.protocol === 'https:';
      const headers: Record<string, string | number> = { ...r.headers, 'content-length': r.body?.length ?? 0 };
      const agent = fresh ? false : secure ? agents.https : agents.http;
      const req = (secure ? httpsRequest : httpRequest)(url, { method: r.method, headers, agent, timeout: r.timeoutMs }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (d: Buffer) => {
          size += d.length;
          if (size > max) fail(new IoError(`response body exceeds ${max} bytes`));
          else chunks.push(d);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks, size).toString('utf8') });
        });
        res.on('error', fail);
      });
      // An overall deadline (the socket `timeout` bounds inactivity only).
      const timer = setTimeout(() => fail(new IoError(`no answer within ${r.timeoutMs} ms`)), r.timeoutMs);
      req.on('timeout', () => fail(new IoError(`no answer within ${r.timeoutMs} ms`)));
      req.on('error', (e: Error & { code?: string }) => {
        if (!settled && !answered && req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) {
          settled = true;
          clearTimeout(timer);
          once(url, r, true).then(resolve, reject);
          return;
        }
        fail(e);
      });
      req.end(r.body === undefined || r.body.length === 0 ? undefined : r.body);
    });
  return (url, r) => once(url, r, false);
}
