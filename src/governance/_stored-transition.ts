// The stored form of an applied membership change (registry-history.ts): one layout per decided
// transition, so a stored history has exactly one JSON form and nothing unsigned rides along.
//
// verifyResultOffline checks the result's first signature (the coordinator's) and, in each vote,
// the entry whose keyid is the voter; any other entry is never looked at. So the stored form keeps
// only those entries, each with the member's public key embedded (the key the registry holds, the
// one the signature verified under, so every stored envelope also verifies on its own), and lists
// the votes in the result's `includedVoteIds` order (sorted). A RegistryHistory.fromJSON input
// that is not in this form — a duplicated or extra signature entry, a missing or re-encoded key, a
// reordered vote list — is refused, even when what it signs is genuine.

import type { Envelope, EnvelopeSignature } from '../envelope/types.js';
import type { MemberEntry } from './_history-internals.js';
import type { ConsensusResult } from './result.js';
import { SignedVote } from './vote.js';

/** The stored result envelope and vote envelopes of a transition already verified against `members`. */
export function storedTransitionEnvelopes(
  result: ConsensusResult,
  votes: readonly (SignedVote | unknown)[],
  members: ReadonlyMap<string, MemberEntry>,
): { result: Envelope; votes: Envelope[] } {
  const env = result.envelope!;
  const coordinator = env.signatures[0]!;
  const signed = votes.map((v) => (v instanceof SignedVote ? v : SignedVote.fromEnvelope(v)));
  const byId = new Map(signed.map((v) => [v.vote.voteId, v]));
  return {
    result: onlyEntry(env, coordinator, members.get(coordinator.keyid)!),
    votes: result.includedVoteIds.map((id) => {
      const v = byId.get(id)!;
      const entry = v.envelope.signatures.find((s) => s.keyid === v.voterDid)!;
      return onlyEntry(v.envelope, entry, members.get(v.voterDid)!);
    }),
  };
}

function onlyEntry(env: Envelope, entry: EnvelopeSignature, member: MemberEntry): Envelope {
  return { payloadType: env.payloadType, payload: env.payload, signatures: [{ keyid: entry.keyid, alg: entry.alg, sig: entry.sig, publicKey: member.publicKeyB64 }] };
}
