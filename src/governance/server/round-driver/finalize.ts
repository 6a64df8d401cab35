// Round phase 4, finalize: once no vote is still awaited (every ballot in, refused, queued past the
// `--wait` deadline, or failing past the retry window — or the proposal expired), ask one peer to
// finalize as coordinator: the proposer's own node first, then the others, skipping before expiry
// any that has not received every collected vote. A node refuses while the outcome is unsettled
// before expiry (409 ERR_CONSENSUS_FAILED): the driver then keeps collecting and asks again on the
// next vote or after expiry. A peer that already decided is asked for its stored result. Every
// answer is verified (verify.ts) before it is used. Node-only.

import { ServiceCallError } from '../../../http/index.js';
import { why, type PeerState, type RoundSession } from './session.js';
import type { ResultChecker, RoundAnswer } from './verify.js';

/** A verified result and the peer that signed it. */
export interface Finalized {
  readonly answer: RoundAnswer;
  readonly coordinator: PeerState;
}

/** What one finalize attempt gave: a verified result, or whether some peer said "not settled yet". */
export type FinalizeAttempt = { readonly final: Finalized } | { readonly final?: undefined; readonly unsettled: boolean };

/** True while `p` may still give a vote worth waiting for before finalizing. */
function isAwaited(s: RoundSession, p: PeerState, now: number): boolean {
  if (s.expired(now)) return false;
  switch (p.ballot) {
    case 'pending':
      return true;
    case 'queued':
      return now < s.waitUntil;
    case 'failing':
      return now < Math.max(s.waitUntil, p.failingSince + s.retryWindowMs);
    default:
      return false;
  }
}

/** True when no vote is awaited any more (the round can be finalized on what was collected). */
export function readyToFinalize(s: RoundSession): boolean {
  const now = s.now();
  return !s.peers.some((p) => isAwaited(s, p, now));
}

/** The peers to ask, in order: the proposer's own node first; before expiry only those holding every vote. */
function candidates(s: RoundSession): PeerState[] {
  const expired = s.expired();
  const ready = s.proposed().filter((p) => expired || p.undelivered.size === 0);
  return ready.sort((a, b) => Number(b.did === s.signer.did) - Number(a.did === s.signer.did));
}

/** Asks `p` to finalize: its answer, `unsettled`, or undefined when it could not. */
async function finalizeAt(s: RoundSession, p: PeerState): Promise<RoundAnswer | 'unsettled' | undefined> {
  try {
    return await s.post<RoundAnswer>(p, '/finalize', {});
  } catch (e) {
    if (e instanceof ServiceCallError && e.status === 409 && e.code === 'ERR_CONSENSUS_FAILED') {
      s.progress(`peer ${p.url} will not finalize yet: ${why(e)}`);
      return 'unsettled';
    }
    if (e instanceof ServiceCallError && e.status === 409) {
      try {
        return await s.get<RoundAnswer>(p, `/v1/results/${encodeURIComponent(s.id)}`);
      } catch {
        /* fall through: try the next peer */
      }
    }
    s.progress(`peer ${p.url} could not finalize: ${why(e)}`);
    return undefined;
  }
}

/** One pass over the candidates; the first answer that verifies wins, forged ones are skipped and remembered. */
export async function tryFinalize(s: RoundSession, checker: ResultChecker): Promise<FinalizeAttempt> {
  const asked = candidates(s);
  // Before expiry every peer may still be waiting for a vote being retried: not a failure yet.
  let unsettled = asked.length === 0 && !s.expired();
  s.progress(`collected ${s.votes.size} votes; asking for a result`);
  for (const p of asked) {
    const answer = await finalizeAt(s, p);
    if (answer === 'unsettled') unsettled = true;
    if (answer === 'unsettled' || answer === undefined) continue;
    const bad = await checker.check(answer);
    if (bad === null) return { final: { answer, coordinator: p } };
    const line = `peer ${p.url} answered with a result that does not verify: ${bad}`;
    s.forged ??= line;
    s.progress(line);
  }
  return { unsettled };
}
