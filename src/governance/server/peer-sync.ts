// Anti-entropy between governance nodes: a node that missed a publish (down, partitioned, slow)
// catches up by pulling from its peers — for each open round, a peer's recorded result that met
// participation (re-verified offline by publishResult before it changes anything; a peer's
// participation failure is never pulled, it may be that peer's partial view) or, when no peer has one yet, the votes the
// peers hold (each re-verified by submitVote; a vote a peer accepted before the expiry still counts
// after it); and for each round this node decided as a participation failure, a peer's verifiable
// result that met participation (it supersedes, both are kept). A pass runs on start, every
// `syncIntervalMs`, and for one round right before this node finalizes it, so a node never
// finalizes on a partial view while reachable peers hold votes or a result. Peers are read with
// plain GETs; nothing a peer answers is trusted unverified. Node-only.

import { describeValue } from '../../core/assert.js';
import { isQuorumkitError } from '../../core/errors.js';
import { callService, ServiceCallError } from '../../http/client.js';
import type { Envelope } from '../../envelope/types.js';
import { ConsensusResult } from '../index.js';
import { isParticipationFailure } from '../policy.js';
import type { NodeContext } from './context.js';
import { publishResult } from './decide.js';
import { submitVote } from './intake.js';

/** A peer to pull from (its did is not needed: reads are unsigned). */
export interface SyncPeer {
  readonly url: string;
}

/** What one sync pass did. */
export interface SyncReport {
  /** Rounds looked at. */
  readonly rounds: number;
  /** Results recorded from peers (including supersessions). */
  readonly results: number;
  /** Votes counted from peers. */
  readonly votes: number;
  /** Peer requests that failed (unreachable, 5xx, unverifiable answers). */
  readonly failures: number;
}

/** Default time between sync passes. */
export const DEFAULT_SYNC_INTERVAL_MS = 30_000;
/** Most open rounds one pass looks at (newest first). */
const MAX_OPEN_PER_PASS = 256;
/** Most participation-failure results one pass re-checks (newest first). */
const MAX_FAILURES_PER_PASS = 64;
const PEER_TIMEOUT_MS = 5_000;

const path = (id: string, tail = ''): string => `/v1/proposals/${encodeURIComponent(id)}${tail}`;

async function get<T>(peer: SyncPeer, p: string): Promise<T | undefined> {
  try {
    return await callService<T>(peer.url, p, { timeoutMs: PEER_TIMEOUT_MS });
  } catch (e) {
    if (e instanceof ServiceCallError && e.status === 404) return undefined;
    throw e;
  }
}

interface Tally {
  rounds: number;
  results: number;
  votes: number;
  failures: number;
}

/** True when a result envelope claims a participation failure (a decision taken on too few votes). */
function claimsParticipationFailure(env: Envelope): boolean {
  try {
    return isParticipationFailure(ConsensusResult.fromEnvelope(env).reason);
  } catch {
    return false;
  }
}

/**
 * Pulls a result for `proposalId` from the first peer that has a verifiable one; true when recorded.
 * A peer's participation failure is never pulled: it may be a partial view (that peer was cut off),
 * and this node's own view is at least as good — adopting it would spread the partial view.
 */
async function pullResult(ctx: NodeContext, peers: readonly SyncPeer[], proposalId: string, t: Tally): Promise<boolean> {
  for (const peer of peers) {
    try {
      const answer = await get<{ result: Envelope; votes: Envelope[] }>(peer, `/v1/results/${encodeURIComponent(proposalId)}`);
      if (answer === undefined || claimsParticipationFailure(answer.result)) continue;
      const out = await publishResult(ctx, answer.result, answer.votes);
      if (out.recorded) t.results++;
      return out.recorded;
    } catch (e) {
      // Unreachable, or an answer that does not verify / does not supersede: try the next peer.
      if (!isQuorumkitError(e)) throw e;
      t.failures++;
    }
  }
  return false;
}

/** Adds the votes peers hold for an open round. */
async function pullVotes(ctx: NodeContext, peers: readonly SyncPeer[], proposalId: string, t: Tally): Promise<void> {
  for (const peer of peers) {
    let held: { votes: Envelope[] } | undefined;
    try {
      held = await get<{ votes: Envelope[] }>(peer, path(proposalId, '/votes'));
    } catch (e) {
      if (!isQuorumkitError(e)) throw e;
      t.failures++;
      continue;
    }
    for (const vote of held?.votes ?? []) {
      try {
        if ((await submitVote(ctx, proposalId, vote, true)) === 'counted') t.votes++;
      } catch (e) {
        // Duplicates of the round's own equivocators, late or invalid votes: nothing to add.
        if (!isQuorumkitError(e)) throw e;
      }
    }
  }
}

/**
 * Brings one round up to date from `peers`: a peer's result when one verifies, else the peers'
 * votes. Returns true when a result was recorded.
 */
export async function syncRound(ctx: NodeContext, peers: readonly SyncPeer[], proposalId: string, t: Tally = { rounds: 0, results: 0, votes: 0, failures: 0 }): Promise<boolean> {
  t.rounds++;
  if (await pullResult(ctx, peers, proposalId, t)) return true;
  if (ctx.store.proposal(proposalId)?.status === 'open') await pullVotes(ctx, peers, proposalId, t);
  return false;
}

/** One pass over the open rounds and the participation failures. */
export async function syncPass(ctx: NodeContext, peers: readonly SyncPeer[]): Promise<SyncReport> {
  const t: Tally = { rounds: 0, results: 0, votes: 0, failures: 0 };
  if (peers.length === 0) return t;
  const open = ctx.store.proposals({ status: 'open' }).slice(-MAX_OPEN_PER_PASS).map((r) => r.proposalId);
  for (const id of [...open, ...ctx.store.participationFailures(MAX_FAILURES_PER_PASS)]) await syncRound(ctx, peers, id, t);
  return t;
}

/** Runs sync passes on a timer (never two at once); `stop()` ends it. */
export class PeerSync {
  readonly #ctx: NodeContext;
  readonly #peers: readonly SyncPeer[];
  readonly #intervalMs: number;
  readonly #onError: (e: unknown) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<SyncReport> | undefined;
  #stopped = false;

  constructor(ctx: NodeContext, peers: readonly SyncPeer[], intervalMs = DEFAULT_SYNC_INTERVAL_MS, onError: (e: unknown) => void = () => undefined) {
    if (!Number.isSafeInteger(intervalMs) || intervalMs < 0) throw new RangeError(`"syncIntervalMs" expected a non-negative integer, got ${describeValue(intervalMs)}`);
    this.#ctx = ctx;
    this.#peers = peers.map((p) => ({ url: p.url }));
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  /** The peers pulled from. */
  get peers(): readonly SyncPeer[] {
    return this.#peers;
  }

  /** Runs a pass now (or joins the one running). */
  pass(): Promise<SyncReport> {
    this.#running ??= syncPass(this.#ctx, this.#peers).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Starts: one pass now, then one every interval (0: only the first). */
  start(): void {
    const tick = (): void => {
      this.pass()
        .catch(this.#onError)
        .finally(() => {
          if (this.#stopped || this.#intervalMs === 0) return;
          this.#timer = setTimeout(tick, this.#intervalMs);
          (this.#timer as { unref?: () => void }).unref?.();
        });
    };
    tick();
  }

  /** Stops the timer and waits for a running pass. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }
}
