// The transparency-log routes every quorumkit service serves for its audit trail (DESIGN.md
// "Persistence and logs"): newest entries, a signed checkpoint of the current tree, one entry with
// its RFC 6962 leaf hash, and inclusion and consistency proofs (RFC 9162 §2.1.3–2.1.4) a client
// verifies offline with `verifyInclusion` / `verifyConsistency` against the checkpoint's root.
// Read-only: the routes see the trail through `AuditReader`, never the store. Browser-safe.

import type { Hono } from 'hono';
import { base64Decode, base64Encode, toHex, utf8Decode } from '../core/bytes.js';
import { parseStrict } from '../core/parse-strict.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Envelope } from '../envelope/types.js';
import type { ServiceEnv } from './app.js';

/** What the log routes read (an `AuditTrail` is one). */
export interface AuditReader {
  readonly size: number;
  recent(limit: number): { index: number; entry: unknown }[];
  entry(index: number): unknown;
  entryBytes(index: number): Uint8Array;
  leafHash(index: number): Uint8Array;
  rootHash(size?: number): Uint8Array;
  inclusionProof(index: number, size?: number): Uint8Array[];
  consistencyProof(oldSize: number, newSize?: number): Uint8Array[];
  /** A signed checkpoint covering every entry so far. */
  checkpoint(): Promise<Envelope>;
}

/** Most entries `GET …/audit` returns. */
export const MAX_AUDIT_LIMIT = 1000;

function intParam(name: string, v: string | undefined, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  if (v === undefined || !/^\d{1,15}$/.test(v)) throw new InvalidArgumentError(`"${name}" expected a non-negative integer`);
  return Number(v);
}

/** Runs a read whose RangeError means the caller asked for an index or size the log has not. */
function inRange<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError) throw new InvalidArgumentError(e.message);
    throw e;
  }
}

/**
 * Adds `GET {prefix}/audit?limit=`, `{prefix}/log/checkpoint`, `{prefix}/log/entries/{i}`,
 * `{prefix}/log/proofs/inclusion?index=&size=` and `{prefix}/log/proofs/consistency?from=&to=`.
 * @example
 * mountLogRoutes(app, () => service.auditLog());
 */
export function mountLogRoutes(app: Hono<ServiceEnv>, reader: () => AuditReader, prefix = '/v1'): void {
  app.get(`${prefix}/audit`, (c) => c.json({ entries: reader().recent(Math.min(intParam('limit', c.req.query('limit'), 100), MAX_AUDIT_LIMIT)) }));
  app.get(`${prefix}/log/checkpoint`, async (c) => {
    const checkpoint = await reader().checkpoint();
    // Our own signed body: report the size it covers (entries appended meanwhile are not in it).
    const { treeSize } = parseStrict(utf8Decode(base64Decode(checkpoint.payload))) as { treeSize: number };
    return c.json({ treeSize, checkpoint });
  });
  app.get(`${prefix}/log/entries/:index`, (c) => {
    const r = reader();
    const index = intParam('index', c.req.param('index'));
    return inRange(() => c.json({ index, entry: r.entry(index), data: base64Encode(r.entryBytes(index)), leafHash: toHex(r.leafHash(index)) }));
  });
  app.get(`${prefix}/log/proofs/inclusion`, (c) => {
    const r = reader();
    const index = intParam('index', c.req.query('index'));
    const size = intParam('size', c.req.query('size'), r.size);
    return inRange(() => {
      if (index >= size) throw new RangeError(`"index" expected < size ${size}`);
      return c.json({ index, treeSize: size, leafHash: toHex(r.leafHash(index)), rootHash: toHex(r.rootHash(size)), proof: r.inclusionProof(index, size).map(toHex) });
    });
  });
  app.get(`${prefix}/log/proofs/consistency`, (c) => {
    const r = reader();
    const from = intParam('from', c.req.query('from'));
    const to = intParam('to', c.req.query('to'), r.size);
    return inRange(() => {
      if (from > to) throw new RangeError('"from" expected <= "to"');
      return c.json({ from, to, fromRoot: toHex(r.rootHash(from)), toRoot: toHex(r.rootHash(to)), proof: r.consistencyProof(from, to).map(toHex) });
    });
  });
}
