// What a governance node accepts: signed proposals (well formed, a sane time window, signed by
// their proposer with the key the registry holds, proposer a member, not expired), this node's own
// ballot (by its vote policy, or queued for a human; never two), and peers' signed votes (about
// this proposal and its hash, by a member of the round's registry, validly signed). Every check
// runs before anything changes; a Byzantine double vote is stored and logged as evidence, then
// refused with the evidence. Each signed document is parsed once per request: the signature is
// checked against the parsed envelope with the member's registered key, off the event loop where
// the runtime can (verifySignatureOffThread). Node-only.

import { canonicalize } from '../../core/canonical-json.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { parseRfc3339, toRfc3339 } from '../../core/clock.js';
import { base64Decode } from '../../core/bytes.js';
import { pae } from '../../envelope/pae.js';
import type { Envelope } from '../../envelope/types.js';
import { getHistoryInternals, memberSignatureError } from '../_history-internals.js';
import {
  ByzantineDetectedError, GovernanceNode, GovernanceProposal, InvalidProposalError, InvalidVoteError, ProposalExpiredError, SignedVote,
  byzantineDetectedEvent, byzantineEvidenceToJSON, proposalCreatedEvent, voteCastEvent, proposalWindowError, verifySignedVote, type ConsensusRound, type TallyOutcome,
} from '../index.js';
import { commitWithEvents, type NodeContext } from './context.js';
import type { ProposalRow } from './store.js';

/** Answer of a ballot request. */
export type BallotAnswer = { readonly status: 'cast'; readonly vote: Envelope } | { readonly status: 'queued'; readonly proposalId: string };

/** True when `env` carries a valid signature by `did` with the key registry `version` holds for it. */
export async function signedByMember(ctx: NodeContext, env: Envelope, did: string, version = ctx.history.version): Promise<boolean> {
  const member = getHistoryInternals(ctx.history)?.at(version)?.members.get(did);
  const entry = env.signatures.find((s) => s.keyid === did);
  if (member === undefined || entry === undefined) return false;
  return (await memberSignatureError(entry, member, pae(env.payloadType, base64Decode(env.payload)), { offThread: true })) === null;
}

/**
 * True when `sv` is signed by its voter, a member of registry `version`, with the key that version
 * holds for it: the entry must embed exactly that key, and `verifySignedVote` (which checks the
 * embedded key hashes to the did) remembers the answer, so the tally does not verify it again.
 */
async function voteSignedByMember(ctx: NodeContext, sv: SignedVote, version: number): Promise<boolean> {
  const member = getHistoryInternals(ctx.history)?.at(version)?.members.get(sv.voterDid);
  const entry = sv.envelope.signatures.find((s) => s.keyid === sv.voterDid);
  if (member === undefined || entry === undefined || entry.alg !== member.alg || entry.publicKey !== member.publicKeyB64) return false;
  return verifySignedVote(sv, { offThread: true });
}

function parseProposal(envelope: unknown): GovernanceProposal {
  const p = GovernanceProposal.fromEnvelope(envelope);
  const window = proposalWindowError(p);
  if (window !== null) throw new InvalidProposalError(`invalid proposal: ${window}`);
  return p;
}

/**
 * Accepts a signed proposal and opens its round under the current registry version.
 * @returns `created` false when the identical proposal was already stored.
 * @throws InvalidProposalError (400), ForbiddenError (proposer not a member), ProposalExpiredError,
 *   ConflictError (another proposal with this id).
 */
export async function submitProposal(ctx: NodeContext, envelope: unknown): Promise<{ created: boolean; row: ProposalRow }> {
  const p = parseProposal(envelope);
  if (!ctx.history.isMemberAt(p.proposerDid)) throw new ForbiddenError(`proposer ${p.proposerDid} is not a registry member`);
  if (!(await signedByMember(ctx, p.envelope!, p.proposerDid))) throw new InvalidProposalError('proposal signature verification failed');
  return ctx.locks.run(p.proposalId, async () => {
    const have = ctx.store.proposal(p.proposalId);
    if (have !== undefined) {
      if (canonicalize(ctx.store.proposalEnvelope(p.proposalId)) !== canonicalize(p.envelope)) throw new ConflictError(`a different proposal with id ${p.proposalId} exists`);
      return { created: false, row: have };
    }
    if (p.isExpired(ctx.clock)) throw new ProposalExpiredError(`proposal ${p.proposalId} is expired`);
    const version = ctx.history.version;
    await commitWithEvents(ctx, () => ctx.store.insertProposal(p, version), [proposalCreatedEvent(p)]);
    const row = ctx.store.proposal(p.proposalId)!;
    ctx.rounds.open(p, row);
    return { created: true, row };
  });
}

/** The stored proposal's columns, or NotFoundError. */
export function proposalRow(ctx: NodeContext, proposalId: string): ProposalRow {
  const row = ctx.store.proposal(proposalId);
  if (row === undefined) throw new NotFoundError(`no proposal ${proposalId}`);
  return row;
}

/** The round of an open proposal (call under its lock). @throws NotFoundError, ConflictError when decided. */
export async function openRound(ctx: NodeContext, proposalId: string): Promise<{ row: ProposalRow; round: ConsensusRound }> {
  const hit = ctx.rounds.cached(proposalId);
  if (hit !== undefined) return hit;
  const row = proposalRow(ctx, proposalId);
  if (row.status !== 'open') throw new ConflictError(`proposal ${proposalId} is ${row.status}, not open`);
  return { row, round: await ctx.rounds.get(row) };
}

/** This node as a GovernanceNode (its weight in the current registry, 0 when not a member). */
export function selfNode(ctx: NodeContext): GovernanceNode {
  return new GovernanceNode({ identity: ctx.identity, name: ctx.name, weight: ctx.history.memberAt(ctx.did)?.weight ?? 0, clock: ctx.clock });
}

/**
 * This node's signed vote on an open proposal: the one it already cast, a new one decided by its
 * vote policy, or `queued` for a human. Never signs twice.
 * @throws NotFoundError, ConflictError (not open), ForbiddenError (not a member of the round's registry).
 */
export function ballot(ctx: NodeContext, proposalId: string): Promise<BallotAnswer> {
  return ctx.locks.run(proposalId, async () => {
    const { round } = await openRound(ctx, proposalId);
    const mine = round.tally.validVotes.find((v) => v.voterDid === ctx.did);
    if (mine !== undefined) return { status: 'cast', vote: mine.envelope } as const;
    if (!round.registry.isMember(ctx.did)) throw new ForbiddenError(`this node ${ctx.did} is not a member of the round's registry`);
    const verdict = ctx.votePolicy.decide(round.proposal);
    if (verdict.decision === 'queue') {
      await ctx.store.commit(() => ctx.store.enqueue(proposalId, toRfc3339(ctx.clock.now())));
      return { status: 'queued', proposalId } as const;
    }
    const vote = await selfNode(ctx).castVote(round.proposal, verdict.decision, verdict.rationale, { clock: ctx.clock });
    await cast(ctx, round, vote);
    return { status: 'cast', vote: vote.envelope } as const;
  });
}

function parseVote(proposalId: string, envelope: unknown): SignedVote {
  const sv = SignedVote.fromEnvelope(envelope);
  if (sv.vote.proposalId !== proposalId) throw new InvalidVoteError('proposal id mismatch');
  return sv;
}

/**
 * Adds a peer's signed vote to the tally of an open round. With `heldByPeer` (a vote pulled from a
 * peer that accepted it, see peer-sync.ts) it is taken after the expiry too, provided its signed
 * `castAt` is not after the proposal's `expiresAt`.
 * @returns `counted` or `duplicate`.
 * @throws InvalidVoteError (400), ForbiddenError (non-member voter), ConflictError (round not open,
 *   voter caught equivocating), NotFoundError; ByzantineDetectedError (evidence stored first).
 */
export async function submitVote(ctx: NodeContext, proposalId: string, envelope: unknown, heldByPeer = false): Promise<TallyOutcome> {
  const sv = parseVote(proposalId, envelope);
  // Only columns that never change are read here (status is checked under the lock).
  const row = ctx.rounds.cached(proposalId)?.row ?? proposalRow(ctx, proposalId);
  if (sv.vote.proposalHash !== row.proposalHash) throw new InvalidVoteError('proposal hash mismatch');
  if (!(await voteSignedByMember(ctx, sv, row.registryVersion))) {
    if (getHistoryInternals(ctx.history)?.at(row.registryVersion)?.members.has(sv.voterDid) !== true) throw new ForbiddenError('non-member voter');
    throw new InvalidVoteError('invalid signature');
  }
  return ctx.locks.run(proposalId, async () => {
    const { round } = await openRound(ctx, proposalId);
    return cast(ctx, round, sv, heldByPeer && castInTime(sv, round));
  });
}

/** True when the vote's signed cast time is not after its proposal's expiry. */
function castInTime(sv: SignedVote, round: ConsensusRound): boolean {
  try {
    return parseRfc3339(sv.vote.castAt).getTime() <= parseRfc3339(round.proposal.expiresAt).getTime();
  } catch {
    return false;
  }
}

/**
 * Casts a verified vote into the round and records it (or the evidence of a double vote).
 * `inTime` replays it without the expiry check (a vote a peer accepted before the expiry).
 */
export async function cast(ctx: NodeContext, round: ConsensusRound, sv: SignedVote, inTime = false): Promise<TallyOutcome> {
  const id = round.proposal.proposalId;
  let outcome: TallyOutcome;
  try {
    outcome = await (inTime ? round.replay(sv) : round.cast(sv));
  } catch (e) {
    if (e instanceof ByzantineDetectedError) await recordEquivocation(ctx, e, sv);
    // A late vote (ProposalExpiredError) changes nothing: the round can still be finalized on the
    // votes cast in time.
    throw e;
  }
  if (outcome === 'rejected') throw new ConflictError(`voter ${sv.voterDid} was caught equivocating on ${id}; its votes no longer count`);
  if (outcome === 'counted') {
    await guarded(ctx, id, () =>
      commitWithEvents(ctx, () => {
        ctx.store.insertVote(sv);
        if (sv.voterDid === ctx.did) ctx.store.dequeue(id);
      }, [voteCastEvent(sv)]),
    );
  }
  return outcome;
}

async function recordEquivocation(ctx: NodeContext, e: ByzantineDetectedError, sv: SignedVote): Promise<void> {
  const id = sv.vote.proposalId;
  await guarded(ctx, id, () =>
    commitWithEvents(ctx, () => {
      if (!ctx.store.hasVote(sv.vote.voteId)) ctx.store.insertVote(sv);
      ctx.store.insertEvidence(byzantineEvidenceToJSON(e.evidence));
    }, [byzantineDetectedEvent(e.evidence)]),
  );
}

/** Runs a commit whose in-memory twin already changed; a failed commit drops the round so it is rebuilt from the store. */
async function guarded<T>(ctx: NodeContext, proposalId: string, commit: () => Promise<T>): Promise<T> {
  try {
    return await commit();
  } catch (e) {
    ctx.rounds.evict(proposalId);
    throw e;
  }
}
