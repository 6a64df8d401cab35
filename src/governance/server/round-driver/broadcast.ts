// Round phase 1, discover and broadcast: learn each peer's did (`GET /v1/node`; it must be the one
// the peers file pins) and give it the signed proposal. A peer that refuses is dropped; one that
// cannot be reached is retried with backoff by the ballot phase, and receives every vote collected
// meanwhile once it holds the proposal. Node-only.

import { ForbiddenError, InvalidArgumentError, IoError } from '../../../core/errors.js';
import { callService, ServiceCallError } from '../../../http/index.js';
import { backoffMs, isTransient, why, type PeerState, type RoundSession } from './session.js';

/** Records a failed call to `p`: retried later when transient, else the peer is out of the round. */
export function peerFailed(s: RoundSession, p: PeerState, e: unknown, what: string): void {
  if (!isTransient(e)) {
    p.ballot = 'refused';
    s.progress(`peer ${p.url} ${what}: ${why(e)}`);
    return;
  }
  if (p.ballot !== 'failing') {
    p.failingSince = s.now();
    p.pollFailures = 0;
  }
  p.ballot = 'failing';
  p.pollFailures++;
  p.nextPollAt = s.now() + backoffMs(p.pollFailures);
  s.progress(`peer ${p.url} ${what} (retrying): ${why(e)}`);
}

/** Learns `p`'s did and gives it the proposal (and the votes collected so far). @throws what the peer answered. */
export async function proposeTo(s: RoundSession, p: PeerState): Promise<void> {
  if (p.did === undefined) {
    const node = await callService<{ did?: unknown }>(p.url, '/v1/node');
    if (typeof node?.did !== 'string') throw new ForbiddenError(`peer ${p.url} did not say which did it is`);
    if (p.pinnedDid !== undefined && node.did !== p.pinnedDid) throw new ForbiddenError(`peer ${p.url} answers as ${node.did}, not ${p.pinnedDid}`);
    p.did = node.did;
  }
  await s.post(p, '/v1/proposals', { proposal: s.proposal.envelope });
  p.proposed = true;
  for (const [from, vote] of s.votes) if (from !== p.url) p.undelivered.set(from, vote);
}

/**
 * Broadcasts the proposal to every peer at once.
 * @throws InvalidArgumentError (a peer's 4xx) or IoError when no peer accepted it, with the first reason.
 */
export async function broadcast(s: RoundSession): Promise<void> {
  let first: unknown;
  await Promise.all(
    s.peers.map(async (p) => {
      try {
        await proposeTo(s, p);
      } catch (e) {
        first ??= e;
        peerFailed(s, p, e, 'did not accept the proposal');
      }
    }),
  );
  const accepted = s.proposed().length;
  if (accepted === 0) {
    const Refusal = first instanceof ServiceCallError && first.status < 500 ? InvalidArgumentError : IoError;
    throw new Refusal(`no peer accepted the proposal: ${why(first)}`);
  }
  s.progress(`proposal ${s.id} accepted by ${accepted}/${s.peers.length} peers`);
}
