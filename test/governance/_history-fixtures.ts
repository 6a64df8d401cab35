// Helpers for versioned-registry tests: run a real round against a RegistryHistory (real ML-DSA keys
// and signatures), and sign arbitrary result bodies as a coordinator (forged-result cases).
import type { Envelope } from '../../src/envelope/types.js';
import { signEnvelope } from '../../src/envelope/sign.js';
import {
  ConsensusResult, ConsensusRound, GovernanceNode, GovernanceProposal, RESULT_PAYLOAD_TYPE, RegistryHistory,
  type ConsensusResultFields, type ProposalKind, type SignedVote, type VoteDecision,
} from '../../src/governance/index.js';

/** What one decided round left behind. */
export interface Decided {
  proposal: GovernanceProposal;
  result: ConsensusResult;
  votes: SignedVote[];
}

/**
 * Runs a round against `history` (current version): `voters` cast `decision` (or per-node decisions),
 * `coordinator` finalizes.
 */
export async function decideOn(
  history: RegistryHistory,
  kind: ProposalKind,
  subjectId: string,
  parameters: Record<string, unknown>,
  voters: readonly GovernanceNode[],
  coordinator: GovernanceNode,
  decision: VoteDecision | ((n: GovernanceNode) => VoteDecision) = 'approve',
): Promise<Decided> {
  const proposal = GovernanceProposal.create(kind, subjectId, `${kind} ${subjectId.slice(0, 24)}`, coordinator.did, { parameters });
  const round = new ConsensusRound({ proposal, history });
  for (const n of voters) await round.cast(await n.castVote(proposal, typeof decision === 'function' ? decision(n) : decision));
  const result = await round.finalize(coordinator);
  return { proposal, result, votes: round.tally.validVotes };
}

/** A result with arbitrary fields, genuinely signed by `signer` (a coordinator lying about the tally). */
export async function forgeResult(fields: ConsensusResultFields, signer: GovernanceNode): Promise<ConsensusResult> {
  const env: Envelope = await signEnvelope(new ConsensusResult(fields).body(), RESULT_PAYLOAD_TYPE, [signer.identity]);
  return ConsensusResult.fromEnvelope(env);
}
