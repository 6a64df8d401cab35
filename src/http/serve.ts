// Serving a Hono app over real HTTP on Node (@hono/node-server), loopback by default, with
// graceful shutdown: stop accepting, let in-flight requests finish, then close idle sockets.
// Node-only.

import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import { assertOptions, optionKeys } from '../core/assert.js';
import { IoError } from '../core/errors.js';

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:43117`. */
  readonly url: string;
  readonly port: number;
  /** Graceful close: resolves when every connection is closed (forced after `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

/** Options of {@link serveApp}. */
export interface ServeOptions {
  /** TCP port; default 0 (ephemeral). */
  readonly port?: number;
  /** Interface to listen on; default `127.0.0.1` (loopback). */
  readonly hostname?: string;
}

const SERVE_OPTION_KEYS = optionKeys<ServeOptions>({ port: true, hostname: true });

/**
 * Listens on `hostname:port` (port 0 = ephemeral) and resolves once listening.
 * @throws QuorumkitError `ERR_IO` when the port cannot be bound; TypeError for an unknown option.
 */
export function serveApp(app: Hono<any>, options?: ServeOptions): Promise<RunningServer> {
  const o = assertOptions('options', options, SERVE_OPTION_KEYS);
  const hostname = o.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: o.port ?? 0, hostname }) as unknown as Server;
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new IoError(`cannot listen on ${hostname}:${o.port ?? 0}: ${err.code ?? err.message}`, { cause: err })),
    );
    server.once('listening', () => {
      const { port } = server.address() as AddressInfo;
      const host = hostname.includes(':') ? `[${hostname}]` : hostname;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: (graceMs = 5000) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
