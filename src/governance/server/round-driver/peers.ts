// The peers a round driver talks to, as listed in a peers file (`peers.json`):
// `{ "peers": [ { "url": "http://127.0.0.1:7101", "did": "did:pqaid:…" } ] }` — the did (what
// `quorumkit keys show` prints for the node's key) pins who must answer at that URL. Node-only.

import { InvalidArgumentError } from '../../../core/errors.js';

/** A peer node: its base URL and, optionally, the did it must answer with. */
export interface Peer {
  readonly url: string;
  readonly did?: string;
}

/** Most peers a peers file may list. */
export const MAX_PEERS = 1000;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parsePeer(p: unknown, i: number): Peer {
  const o = typeof p === 'string' ? { url: p } : p;
  if (!isObject(o) || Object.keys(o).some((k) => k !== 'url' && k !== 'did')) throw new InvalidArgumentError(`peers[${i}] expected { url, did? }`);
  let u: URL;
  try {
    u = new URL(typeof o['url'] === 'string' ? o['url'] : '');
  } catch {
    throw new InvalidArgumentError(`peers[${i}].url is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidArgumentError(`peers[${i}].url expected http(s)`);
  const did = o['did'];
  if (did !== undefined && (typeof did !== 'string' || !did.startsWith('did:pqaid:'))) throw new InvalidArgumentError(`peers[${i}].did expected a did:pqaid`);
  return { url: u.origin, ...(did === undefined ? {} : { did }) };
}

/**
 * Parses a peers file: `{ "peers": [ { "url": "http://127.0.0.1:7001", "did": "did:pqaid:…" } ] }`
 * (did optional), or a bare array of such objects or URL strings.
 * @throws QuorumkitError `ERR_INVALID_ARGUMENT` naming the first problem.
 */
export function parsePeers(json: unknown): Peer[] {
  const list = Array.isArray(json) ? json : isObject(json) && Object.keys(json).join() === 'peers' ? json['peers'] : undefined;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_PEERS) throw new InvalidArgumentError(`peers expected { "peers": [ { "url", "did"? } ] } with 1..${MAX_PEERS} peers`);
  return list.map(parsePeer);
}
