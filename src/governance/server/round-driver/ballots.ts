// Round phases 2 and 3, collect ballots and deliver votes: ask each peer for its own signed vote
// (queued ones again every `pollMs`, failed ones with backoff, until the proposal expires), and
// hand every vote to every other peer the moment it is collected — never held back until a wait
// ends, so a vote cast in time is counted in time. Deliveries to one peer go one at a time; a
// transient failure is retried with backoff, a refusal (duplicate, late, invalid) is final.
// Node-only.

import type { Envelope } from '../../../envelope/types.js';
import type { BallotAnswer } from '../service.js';
import { peerFailed, proposeTo } from './broadcast.js';
import { backoffMs, isTransient, why, type PeerState, type RoundSession } from './session.js';

/** True while `p`'s ballot is still asked for. */
export function isPolled(p: PeerState): boolean {
  return p.ballot === 'pending' || p.ballot === 'queued' || p.ballot === 'failing';
}

/** Records `vote` (cast by the peer at `from`) and queues it for every other peer holding the proposal. */
export function collectVote(s: RoundSession, from: string, vote: Envelope): void {
  s.votes.set(from, vote);
  for (const p of s.proposed()) if (p.url !== from) p.undelivered.set(from, vote);
}

async function pollBallot(s: RoundSession, p: PeerState): Promise<void> {
  let answer: BallotAnswer;
  try {
    if (!p.proposed) await proposeTo(s, p);
    answer = await s.post<BallotAnswer>(p, '/ballot', {});
  } catch (e) {
    peerFailed(s, p, e, p.proposed ? 'gave no ballot' : 'did not accept the proposal');
    return;
  }
  p.pollFailures = 0;
  if (answer.status === 'cast' && answer.vote !== undefined) {
    p.ballot = 'cast';
    collectVote(s, p.url, answer.vote);
    await deliverVotes(s);
    return;
  }
  p.ballot = 'queued';
  p.nextPollAt = s.now() + s.pollMs;
  s.progress(`peer ${p.url}: vote queued for a human`);
}

/** Asks every peer whose ballot is due for it (and delivers each vote as it comes). */
export async function pollBallots(s: RoundSession): Promise<void> {
  const now = s.now();
  if (s.expired(now)) return;
  await Promise.all(s.peers.filter((p) => isPolled(p) && p.nextPollAt <= now).map((p) => pollBallot(s, p)));
}

async function deliverTo(s: RoundSession, p: PeerState): Promise<void> {
  p.delivering = true;
  try {
    for (let next = p.undelivered.entries().next(); !next.done; next = p.undelivered.entries().next()) {
      const [from, vote] = next.value;
      try {
        await s.post(p, '/votes', { vote });
        p.deliveryFailures = 0;
      } catch (e) {
        if (isTransient(e)) {
          p.deliveryFailures++;
          p.nextDeliveryAt = s.now() + backoffMs(p.deliveryFailures);
          s.progress(`peer ${p.url} did not take the vote from ${from} yet (retrying): ${why(e)}`);
          return;
        }
        s.progress(`peer ${p.url} refused the vote from ${from}: ${why(e)}`);
      }
      p.undelivered.delete(from);
    }
  } finally {
    p.delivering = false;
  }
}

/** Delivers every undelivered vote to every peer that is due (one delivery run per peer at a time). */
export async function deliverVotes(s: RoundSession): Promise<void> {
  const now = s.now();
  if (s.expired(now)) return;
  await Promise.all(s.proposed().filter((p) => p.undelivered.size > 0 && !p.delivering && p.nextDeliveryAt <= now).map((p) => deliverTo(s, p)));
}
