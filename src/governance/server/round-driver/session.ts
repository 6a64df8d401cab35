// The state of one round driven from the proposer's side (`runRound`): the proposal, each peer's
// progress (did learned, proposal accepted, ballot state, votes it still has to receive), the votes
// collected, the clocks that bound waiting (the `--wait` deadline, the retry window, the proposal's
// expiry), and the signed call every phase makes. Transient failures (the peer unreachable, 5xx,
// 408, 429) are retried with capped, jittered exponential backoff; any other answer is final.
// Node-only.

import { IoError } from '../../../core/errors.js';
import type { Envelope, EnvelopeSigner } from '../../../envelope/types.js';
import { callService, ServiceCallError } from '../../../http/index.js';
import type { GovernanceProposal } from '../../index.js';
import type { RunRoundOptions } from './options.js';
import type { Peer } from './peers.js';

/** Where a peer's ballot stands. */
export type BallotState = 'pending' | 'queued' | 'cast' | 'failing' | 'refused';

/** One peer as the driver sees it. */
export interface PeerState {
  readonly url: string;
  /** The did the peers file pins for it, if any. */
  readonly pinnedDid: string | undefined;
  /** The did it answers with (`GET /v1/node`), once learned: the audience of requests to it. */
  did: string | undefined;
  /** True once it accepted (or already held) the proposal. */
  proposed: boolean;
  ballot: BallotState;
  /** When its ballot (or proposal) is asked for next, ms since the epoch. */
  nextPollAt: number;
  /** Consecutive transient failures of the current run, and when the run began. */
  pollFailures: number;
  failingSince: number;
  /** Votes (by the voting peer's URL) this peer has not received yet. */
  readonly undelivered: Map<string, Envelope>;
  nextDeliveryAt: number;
  deliveryFailures: number;
  delivering: boolean;
}

/** Default pause between polls of a ballot queued for a human. */
export const DEFAULT_POLL_MS = 250;
/** Default time a transiently failing peer is waited for before the round is finalized without it. */
export const DEFAULT_RETRY_WINDOW_MS = 10_000;
/** First retry delay and the cap of the exponential backoff (before jitter). */
export const RETRY_BASE_MS = 100;
export const RETRY_MAX_MS = 2_000;
/** Most distinct progress lines remembered to print each only once. */
const MAX_REMEMBERED_LINES = 4096;

/** A one-line reason for a failed call. */
export function why(e: unknown): string {
  return e instanceof ServiceCallError ? `${e.status} ${e.code}: ${e.message}` : e instanceof Error ? e.message : 'unknown failure';
}

/** True for failures worth retrying: the peer unreachable or timing out, 5xx, 408, 429. */
export function isTransient(e: unknown): boolean {
  if (e instanceof ServiceCallError) return e.status >= 500 || e.status === 408 || e.status === 429;
  return e instanceof IoError;
}

/** The delay before retry number `failures` (1-based): capped exponential, with 50–100 % jitter. */
export function backoffMs(failures: number): number {
  const capped = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(failures - 1, 16));
  return Math.round(capped * (0.5 + Math.random() / 2));
}

/** A progress sink that prints each distinct line once (a poll repeated every 250 ms says it once). */
export function onceEach(sink: (line: string) => void): (line: string) => void {
  const seen = new Set<string>();
  return (line) => {
    if (seen.has(line)) return;
    if (seen.size >= MAX_REMEMBERED_LINES) seen.clear();
    seen.add(line);
    sink(line);
  };
}

function peerState(p: Peer): PeerState {
  return {
    url: p.url, pinnedDid: p.did, did: undefined, proposed: false, ballot: 'pending', nextPollAt: 0, pollFailures: 0, failingSince: 0,
    undelivered: new Map(), nextDeliveryAt: 0, deliveryFailures: 0, delivering: false,
  };
}

/** One round in progress. */
export class RoundSession {
  readonly proposal: GovernanceProposal;
  readonly id: string;
  readonly signer: EnvelopeSigner;
  readonly peers: readonly PeerState[];
  /** Collected votes by the URL of the peer that cast them. */
  readonly votes = new Map<string, Envelope>();
  readonly progress: (line: string) => void;
  readonly pollMs: number;
  readonly retryWindowMs: number;
  /** The proposal's expiry (NaN-safe: an unparsable expiry counts as already expired). */
  readonly expiresAt: number;
  /** Until when ballots queued for a human are waited for (never past the expiry). */
  readonly waitUntil: number;
  /** The first result that failed verification, reported when no valid one comes. */
  forged: string | undefined;

  constructor(o: RunRoundOptions) {
    this.proposal = o.proposal;
    this.id = o.proposal.proposalId;
    this.signer = o.signer;
    this.peers = o.peers.map(peerState);
    this.progress = onceEach(o.progress ?? (() => undefined));
    this.pollMs = o.pollMs ?? DEFAULT_POLL_MS;
    this.retryWindowMs = o.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS;
    const exp = Date.parse(o.proposal.expiresAt);
    this.expiresAt = Number.isFinite(exp) ? exp : 0;
    this.waitUntil = Math.min(this.expiresAt, Date.now() + (o.waitMs ?? 0));
  }

  /** The current time, ms since the epoch. */
  now(): number {
    return Date.now();
  }

  /** True once the proposal has expired. */
  expired(now = this.now()): boolean {
    return now > this.expiresAt;
  }

  /** The peers that hold the proposal. */
  proposed(): PeerState[] {
    return this.peers.filter((p) => p.proposed);
  }

  /** A signed POST to `p` (its did must be known) at `/v1/proposals/{id}{tail}`, or at `path` when it starts with `/v1/`. */
  post<T>(p: PeerState, path: string, body: unknown): Promise<T> {
    const full = path.startsWith('/v1/') ? path : `/v1/proposals/${encodeURIComponent(this.id)}${path}`;
    return callService<T>(p.url, full, { body, signer: this.signer, audience: p.did! });
  }

  /** An unsigned GET to `p` at `/v1/proposals/{id}{tail}`, or at `path` when it starts with `/v1/`. */
  get<T>(p: PeerState, path: string): Promise<T> {
    return callService<T>(p.url, path.startsWith('/v1/') ? path : `/v1/proposals/${encodeURIComponent(this.id)}${path}`);
  }
}
