// How a round ends on a node: finalized here with this node as coordinator (before the proposal
// expires only once the outcome is settled, so no single member can end a round early), or
// published by a peer and re-verified offline (signature, membership at the round's registry
// version, every vote, tally and policy recomputed) before anything changes. Recording a result
// applies a passed membership change, records the grant and logs what the governance domain says
// the result means (`resultEvents`). A result that failed only for participation is superseded by
// a verifiable result that met it — the old one is kept as evidence — so a node that decided on a
// partial view converges with the network. Node-only.

import { describeValue } from '../../core/assert.js';
import { canonicalize } from '../../core/canonical-json.js';
import { ConflictError, InvalidArgumentError } from '../../core/errors.js';
import type { Envelope } from '../../envelope/types.js';
import {
  ConsensusFailedError, ConsensusResult, GovernanceProposal, RegistryTransitionError, SignedVote, resultEvents, verifyResultOffline,
  type MembershipChange,
} from '../index.js';
import { isParticipationFailure } from '../policy.js';
import { commitWithEvents, REGISTRY_LOCK, type NodeContext } from './context.js';
import { openRound, proposalRow, selfNode } from './intake.js';
import type { ProposalRow, RegistrySnapshot, ResultRow } from './store.js';

/** A round's recorded outcome. */
export interface DecidedRound {
  readonly result: Envelope;
  readonly votes: Envelope[];
}

/**
 * Finalizes an open round with this node as coordinator and records the signed result.
 * @throws NotFoundError, ConflictError (not open), ConsensusFailedError (409: not expired and not
 *   settled yet).
 */
export function finalize(ctx: NodeContext, proposalId: string): Promise<DecidedRound> {
  return ctx.locks.run(proposalId, async () => {
    const { row, round } = await openRound(ctx, proposalId);
    if (!round.proposal.isExpired(ctx.clock) && !round.isSettled()) {
      throw new ConsensusFailedError(
        `round for proposal ${proposalId} is not settled: weight ${round.remainingWeight()} has not voted and could change the decision; finalize once it votes or after ${row.expiresAt}`,
      );
    }
    const result = await round.finalize(selfNode(ctx));
    const votes = round.tally.validVotes.map((v) => v.envelope);
    await record(ctx, row, round.proposal, result, votes, false);
    return { result: result.envelope!, votes };
  });
}

/** Parses a published result envelope. @throws InvalidArgumentError naming the problem. */
function parseResult(envelope: unknown): ConsensusResult {
  try {
    return ConsensusResult.fromEnvelope(envelope);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** True when `incoming` (verified) supersedes `have`: `have` failed only for participation and `incoming` met it. */
function supersedes(have: ResultRow, incoming: ConsensusResult): boolean {
  const old = ConsensusResult.fromEnvelope(have.envelope);
  return old.decision === 'rejected' && isParticipationFailure(old.reason) && !isParticipationFailure(incoming.reason);
}

/**
 * Accepts a result published by a peer coordinator after re-verifying it offline.
 * @returns `recorded` false when this exact result was already recorded.
 * @throws InvalidArgumentError (400) naming the mismatch, NotFoundError, ConflictError (a different
 *   result is recorded and this one does not supersede it).
 */
export async function publishResult(ctx: NodeContext, envelope: unknown, votes: readonly unknown[]): Promise<{ recorded: boolean; superseded: boolean; proposalId: string; decision: string }> {
  const result = parseResult(envelope);
  const row = proposalRow(ctx, result.proposalId);
  return ctx.locks.run(result.proposalId, async () => {
    const have = ctx.store.result(result.proposalId);
    const answer = { proposalId: result.proposalId, decision: result.decision };
    if (have !== undefined && canonicalize(have.envelope) === canonicalize(result.envelope)) return { recorded: false, superseded: false, ...answer };
    if (have !== undefined && !supersedes(have, result)) throw new ConflictError(`a different result for ${result.proposalId} is recorded`);
    const proposal = GovernanceProposal.fromEnvelope(ctx.store.proposalEnvelope(row.proposalId));
    const signed = await checkResult(ctx, row, proposal, result, votes);
    await record(ctx, row, proposal, result, signed.map((v) => v.envelope), have !== undefined);
    return { recorded: true, superseded: have !== undefined, ...answer };
  });
}

async function checkResult(ctx: NodeContext, row: ProposalRow, proposal: GovernanceProposal, result: ConsensusResult, votes: readonly unknown[]): Promise<SignedVote[]> {
  const fail = (why: string): InvalidArgumentError => new InvalidArgumentError(`result rejected: ${why}`);
  if (result.registryVersion !== row.registryVersion) throw fail(`registry version ${describeValue(result.registryVersion)} is not the round's ${row.registryVersion}`);
  if (!Array.isArray(votes)) throw fail('"votes" expected an array');
  const signed: SignedVote[] = [];
  for (const v of votes) {
    try {
      signed.push(SignedVote.fromEnvelope(v));
    } catch (e) {
      throw fail((e as Error).message);
    }
  }
  const verdict = await verifyResultOffline(result, signed, ctx.history, { proposal, policy: ctx.history.policy });
  if (!verdict.valid) throw fail(verdict.reasons.slice(0, 3).join('; '));
  return signed;
}

/** Applies a passed add-node / remove-node to the registry history (one change at a time). */
async function applyMembership(ctx: NodeContext, p: GovernanceProposal, result: ConsensusResult, votes: readonly Envelope[]): Promise<{ snapshot: RegistrySnapshot; change: MembershipChange } | null> {
  if (!result.isPassed() || (p.kind !== 'add-node' && p.kind !== 'remove-node')) return null;
  try {
    return await ctx.locks.run(REGISTRY_LOCK, async () => {
      const version = await ctx.history.apply({ proposal: p, result, votes });
      const snapshot = { version, members: ctx.history.membersAt(version), transition: ctx.history.toJSON().transitions.at(-1)! };
      const m = ctx.history.memberAt(p.subjectId);
      return { snapshot, change: p.kind === 'add-node' && m !== undefined ? { added: { did: m.did, name: m.name, weight: m.weight } } : { removed: p.subjectId } };
    });
  } catch (e) {
    // A passed change that cannot apply (member exists, decided under an older version, …) is
    // recorded as a result and changes no membership.
    if (!(e instanceof RegistryTransitionError)) throw e;
    return null;
  }
}

async function record(ctx: NodeContext, row: ProposalRow, p: GovernanceProposal, result: ConsensusResult, votes: Envelope[], replace: boolean): Promise<void> {
  const membership = await applyMembership(ctx, p, result, votes);
  const rec = { proposal: row, decision: result.decision, reason: result.reason, decidedAt: result.decidedAt, envelope: result.envelope!, votes, registry: membership?.snapshot ?? null };
  await commitWithEvents(ctx, () => (replace ? ctx.store.supersedeResult(rec) : ctx.store.insertResult(rec)), resultEvents(p, result, membership?.change ?? null));
  ctx.rounds.evict(row.proposalId);
  if (p.kind === 'emergency-freeze' || p.kind === 'update-policy') ctx.freeze.refresh();
}
