// The options and the outcome of `runRound` (coordinator.ts), shared by the round driver's phases.
// Node-only.

import type { Envelope, EnvelopeSigner } from '../../../envelope/types.js';
import type { ByzantineEvidenceJSON, ConsensusResult, GovernanceProposal, RegistryHistory } from '../../index.js';
import type { Peer } from './peers.js';
import type { Publication } from './publish.js';

/** What `runRound` reports. */
export interface RoundOutcome {
  readonly result: ConsensusResult;
  readonly votes: Envelope[];
  /** Byzantine evidence any peer recorded for this proposal. */
  readonly evidence: ByzantineEvidenceJSON[];
  /** URL of the peer that finalized. */
  readonly coordinator: string;
  /** Peers that gave no vote (unreachable, queued past the deadline, or refusing). */
  readonly missing: string[];
  /** Per-peer publication outcome. */
  readonly published: Publication[];
}

/** Options of `runRound`. */
export interface RunRoundOptions {
  /** The proposer (signs requests; must be a registry member). */
  readonly signer: EnvelopeSigner;
  readonly peers: readonly Peer[];
  /** A proposal signed by its proposer (envelope attached). */
  readonly proposal: GovernanceProposal;
  /** How long to wait for votes queued for humans, default 0 (never past the proposal's expiry). */
  readonly waitMs?: number;
  /** Pause between polls of a queued ballot, default 250 ms. */
  readonly pollMs?: number;
  /**
   * How long a peer failing transiently (unreachable, 5xx) is waited for before the round is
   * finalized without its vote, default 10 s; it is retried with backoff until the proposal expires.
   */
  readonly retryWindowMs?: number;
  /** Progress lines (e.g. to stderr); each distinct line is reported once. */
  readonly progress?: (line: string) => void;
  /**
   * The registry history to verify the result against. Default: the history served by every
   * accepted peer (the result must verify under each one that knows its registry version).
   */
  readonly history?: RegistryHistory;
}
