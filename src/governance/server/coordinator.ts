// Driving one consensus round over HTTP from the proposer's side (`quorumkit governance propose`),
// phase by phase (round-driver/): discover the peers and broadcast the signed proposal
// (broadcast.ts); collect each peer's ballot and deliver every vote to every other peer the moment
// it arrives (ballots.ts); finalize at one peer as soon as no vote is awaited — ballots queued for
// a human are waited for until `waitMs`, peers failing transiently are retried with backoff and
// waited for during `retryWindowMs`, nothing past the proposal's expiry — and, while a node
// answers "not settled yet" (409 ERR_CONSENSUS_FAILED), keep collecting and ask again on the next
// vote or after expiry (finalize.ts); verify the answer offline against the registry history
// (verify.ts: a forged result is skipped; none valid → ERR_SIGNATURE_INVALID); publish it to every
// other peer and gather Byzantine evidence (publish.ts). All mutating requests are signed for the
// peer they go to (audience = its did). Node-only.

import { IoError } from '../../core/errors.js';
import { SignatureInvalidError } from '../../pq/errors.js';
import { ConsensusResult } from '../index.js';
import { broadcast } from './round-driver/broadcast.js';
import { deliverVotes, isPolled, pollBallots } from './round-driver/ballots.js';
import { readyToFinalize, tryFinalize, type Finalized } from './round-driver/finalize.js';
import type { RoundOutcome, RunRoundOptions } from './round-driver/options.js';
import { gatherEvidence, publish } from './round-driver/publish.js';
import { RoundSession } from './round-driver/session.js';
import { ResultChecker } from './round-driver/verify.js';

export { parsePeers, MAX_PEERS, type Peer } from './round-driver/peers.js';
export type { Publication } from './round-driver/publish.js';
export type { RoundOutcome, RunRoundOptions } from './round-driver/options.js';

/** How long after the expiry finalization is still retried (peers' clocks may lag a little). */
const AFTER_EXPIRY_MS = 60_000;
/** Shortest and longest sleep between two passes of the round loop. */
const MIN_TICK_MS = 5;
const MAX_TICK_MS = 60_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How long until the loop has something to do: a ballot or delivery due, the wait or a retry window ending, the expiry. */
function nextWake(s: RoundSession): number {
  const now = s.now();
  const due = s.peers.filter(isPolled).map((p) => p.nextPollAt);
  for (const p of s.proposed()) if (p.undelivered.size > 0) due.push(p.nextDeliveryAt);
  const deadlines = [s.waitUntil, s.expiresAt + 1, ...s.peers.filter((p) => p.ballot === 'failing').map((p) => p.failingSince + s.retryWindowMs)];
  const next = Math.min(...due, ...deadlines.filter((t) => t > now), s.expired(now) ? now + s.pollMs : Infinity);
  return Math.max(MIN_TICK_MS, Math.min(next - now, MAX_TICK_MS));
}

/** What changed since the last finalize attempt: a new vote or a vote delivered. */
function progressKey(s: RoundSession): string {
  return `${s.votes.size}/${s.proposed().reduce((n, p) => n + p.undelivered.size, 0)}`;
}

/** Collects, delivers and asks for a result until one verifies. @throws SignatureInvalidError, IoError. */
async function decide(s: RoundSession, checker: ResultChecker): Promise<Finalized> {
  let attempted: string | undefined;
  for (;;) {
    await pollBallots(s);
    await deliverVotes(s);
    const now = s.now();
    if (readyToFinalize(s) && (progressKey(s) !== attempted || s.expired(now))) {
      attempted = progressKey(s);
      const attempt = await tryFinalize(s, checker);
      if (attempt.final !== undefined) return attempt.final;
      if (!attempt.unsettled) break;
    }
    if (now > s.expiresAt + AFTER_EXPIRY_MS) break;
    await sleep(nextWake(s));
  }
  if (s.forged !== undefined) throw new SignatureInvalidError(s.forged);
  throw new IoError(`no peer could finalize proposal ${s.id}`);
}

/**
 * Runs a full round over HTTP.
 * @throws QuorumkitError `ERR_INVALID_ARGUMENT` when no peer accepted the proposal (with the first
 *   refusal's reason), `ERR_IO` when no peer could finalize, `ERR_SIGNATURE_INVALID` when peers
 *   answered only with results that fail offline verification.
 * @example
 * const outcome = await runRound({ signer: alice, peers: parsePeers(peersJson), proposal, waitMs: 60_000 });
 * outcome.result.decision; // 'passed'
 */
export async function runRound(options: RunRoundOptions): Promise<RoundOutcome> {
  if (options.proposal?.envelope === undefined) throw new TypeError('"proposal" expected a signed proposal (envelope attached)');
  const s = new RoundSession(options);
  await broadcast(s);
  const final = await decide(s, new ResultChecker(s, options.history));
  const result = ConsensusResult.fromEnvelope(final.answer.result);
  s.progress(`finalized by ${final.coordinator.url}: ${result.decision} (${result.reason})`);
  const published = await publish(s, final);
  const evidence = await gatherEvidence(s);
  const missing = s.peers.map((p) => p.url).filter((u) => !s.votes.has(u));
  return { result, votes: final.answer.votes, evidence, coordinator: final.coordinator.url, missing, published };
}
