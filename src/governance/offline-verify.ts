// Offline re-verification of a consensus result from nothing but a registry history (rooted in its
// genesis) and the artifacts: the result envelope and the signed vote envelopes it counted. Checks the
// coordinator's ML-DSA signature (FIPS 204, over the DSSE PAE), every vote's signature, membership of
// every signer AT the result's `registryVersion`, that the votes are exactly `includedVoteIds`, bound
// to the result's proposal id and hash, and recomputes the weights and the quorum policy's decision.
// Browser-safe (no node:* import). Every payload is base64-decoded and parsed once; lookups are
// Map/Set based, so the bookkeeping is O(votes) next to one ML-DSA verification per vote.

import { base64Decode, utf8Decode } from '../core/bytes.js';
import { canonicalize } from '../core/canonical-json.js';
import { parseStrict } from '../core/parse-strict.js';
import { pae } from '../envelope/pae.js';
import { checkEnvelopeShape } from '../envelope/shape.js';
import type { Envelope, EnvelopeSignature } from '../envelope/types.js';
import { verifySignature } from '../pq/ml-dsa.js';
import { getHistoryInternals, type MemberEntry } from './_history-internals.js';
import { RESULT_PAYLOAD_TYPE, VOTE_PAYLOAD_TYPE, checkKeys, isPlainObject } from './_wire.js';
import { QuorumPolicy, type Fraction } from './policy.js';
import { GovernanceProposal } from './proposal.js';
import { ConsensusResult, type ConsensusResultFields, type ResultPolicy } from './result.js';
import { SignedVote, Vote, type VoteFields } from './vote.js';

/** Options of {@link verifyResultOffline}. */
export interface VerifyOfflineOptions {
  /**
   * The thresholds the verifier requires. When given and the result records a different policy
   * (by value), the result is invalid. When absent, the result's signed `policy` is used, and
   * when that is absent too, the default 2/3 participation, 2/3 approval.
   */
  readonly policy?: QuorumPolicy | ResultPolicy;
  /** When given, the result must be about exactly this proposal (id and hash). */
  readonly proposal?: GovernanceProposal;
}

/** The tally recomputed from the artifacts. */
export interface OfflineTally {
  /** Registry version the votes were checked against. */
  readonly registryVersion: number;
  readonly approveWeight: number;
  readonly rejectWeight: number;
  readonly abstainWeight: number;
  /** Total weight of the registry at that version. */
  readonly totalWeight: number;
  /** Votes whose signature, binding and membership all check out. */
  readonly countedVotes: number;
  /** The policy's verdict on the recomputed weights. */
  readonly passed: boolean;
  readonly reason: string;
  /** The thresholds applied. */
  readonly policy: ResultPolicy;
}

/** The verdict of {@link verifyResultOffline}. */
export interface OfflineVerification {
  /** True only when every check passed. */
  readonly valid: boolean;
  /** Every failed check (empty when valid), at most {@link MAX_OFFLINE_REASONS} plus a count line. */
  readonly reasons: string[];
  /** The recomputed tally, or null when the result or its registry version could not be read. */
  readonly tally: OfflineTally | null;
}

/** Most reasons listed individually (hostile input could otherwise produce one per vote). */
export const MAX_OFFLINE_REASONS = 64;
/** Most vote envelopes accepted in one call (matches the result's `includedVoteIds` bound). */
export const MAX_OFFLINE_VOTES = 100_000;

const VOTE_KEYS = ['voteId', 'proposalId', 'proposalHash', 'voterDid', 'decision', 'rationale', 'castAt'] as const;

interface Opened {
  readonly env: Envelope;
  readonly text: string;
  readonly body: Record<string, unknown>;
  /** The PAE the signatures cover. */
  readonly message: Uint8Array;
}

/** Decodes once: shape, payload type, base64, UTF-8, strict JSON, RFC 8785 canonical form. */
function open(env: unknown, payloadType: string): Opened | string {
  const shape = checkEnvelopeShape(env);
  if (shape !== null) return shape;
  const e = env as Envelope;
  if (e.payloadType !== payloadType) return `payloadType ${JSON.stringify(e.payloadType.slice(0, 80))} is not ${JSON.stringify(payloadType)}`;
  let bytes: Uint8Array;
  let text: string;
  let body: unknown;
  try {
    bytes = base64Decode(e.payload);
    text = utf8Decode(bytes);
    body = parseStrict(text);
  } catch (err) {
    return `payload is not valid JSON: ${(err as Error).message}`;
  }
  if (!isPlainObject(body)) return 'payload expected a JSON object';
  if (canonicalize(body) !== text) return 'payload is not RFC 8785 canonical JSON';
  return { env: e, text, body, message: pae(e.payloadType, bytes) };
}

/** Checks one signature entry against the key the history holds for its did. */
async function checkSignature(entry: EnvelopeSignature, member: MemberEntry, message: Uint8Array): Promise<string | null> {
  if (entry.alg !== member.alg) return `alg ${JSON.stringify(entry.alg.slice(0, 20))} does not match the member's ${member.alg} key`;
  if (entry.publicKey !== undefined && entry.publicKey !== member.publicKeyB64) return 'embedded publicKey is not the key the registry holds';
  try {
    if (await verifySignature(member.alg, base64Decode(entry.sig), message, member.publicKey)) return null;
  } catch {
    // A malformed signature is a failed check, not a crash.
  }
  return 'signature verification failed';
}

function sameValue(a: Fraction, b: Fraction): boolean {
  return BigInt(a.numerator) * BigInt(b.denominator) === BigInt(b.numerator) * BigInt(a.denominator);
}

function resolvePolicy(recorded: ResultPolicy | undefined, required: QuorumPolicy | ResultPolicy | undefined): QuorumPolicy | string {
  let policy: QuorumPolicy;
  try {
    policy = required === undefined ? new QuorumPolicy(recorded ?? {}) : required instanceof QuorumPolicy ? required : new QuorumPolicy(required);
  } catch (err) {
    return `options.policy is malformed: ${(err as Error).message}`;
  }
  if (required !== undefined && recorded !== undefined) {
    if (!sameValue(policy.minParticipation, recorded.minParticipation) || !sameValue(policy.minApproval, recorded.minApproval)) {
      return 'result was decided under a different quorum policy than the one required';
    }
  }
  return policy;
}

class Reasons {
  readonly list: string[] = [];
  #dropped = 0;
  add(reason: string): void {
    if (this.list.length < MAX_OFFLINE_REASONS) this.list.push(reason);
    else this.#dropped++;
  }
  done(): string[] {
    return this.#dropped === 0 ? this.list : [...this.list, `… and ${this.#dropped} more reasons`];
  }
}

/**
 * Re-verifies a consensus result offline from a {@link RegistryHistory} and the signed votes it
 * counted. Valid only when: the result envelope is well formed and signed by a member at its
 * `registryVersion` (required) with the key the history holds; the votes are exactly
 * `includedVoteIds` (no extra, missing or repeated vote or voter); every vote names the result's
 * proposal id and hash, is by a member at that version and carries that member's valid signature;
 * the recomputed approve/reject/abstain weights, the version's total weight and the policy's
 * decision and reason equal the result's.
 *
 * @param result a signed `ConsensusResult` or its envelope.
 * @param signedVotes the counted votes: `SignedVote`s or their envelopes.
 * @param registryHistory the `RegistryHistory` (genesis plus verified transitions).
 * @returns `{ valid, reasons, tally }`; never throws, whatever the input.
 * @example
 * const { valid, reasons } = await verifyResultOffline(resultEnvelope, voteEnvelopes, history);
 * if (!valid) console.error(reasons.join('\n'));
 */
export async function verifyResultOffline(
  result: ConsensusResult | Envelope | unknown,
  signedVotes: readonly (SignedVote | Envelope)[] | unknown,
  registryHistory: unknown,
  options: VerifyOfflineOptions = {},
): Promise<OfflineVerification> {
  const reasons = new Reasons();
  try {
    return await verifyInner(result, signedVotes, registryHistory, options ?? {}, reasons);
  } catch (err) {
    reasons.add(`verification aborted: ${err instanceof Error ? err.message : String(err)}`);
    return { valid: false, reasons: reasons.done(), tally: null };
  }
}

async function verifyInner(
  result: unknown,
  signedVotes: unknown,
  registryHistory: unknown,
  options: VerifyOfflineOptions,
  reasons: Reasons,
): Promise<OfflineVerification> {
  const fail = (why: string): OfflineVerification => {
    reasons.add(why);
    return { valid: false, reasons: reasons.done(), tally: null };
  };
  const history = getHistoryInternals(registryHistory);
  if (history === undefined) return fail('registryHistory expected a RegistryHistory');

  // The result: decoded once, its body must be exactly the signed one.
  const resultEnv = result instanceof ConsensusResult ? result.envelope : result;
  if (resultEnv === undefined) return fail('result is not signed');
  const opened = open(resultEnv, RESULT_PAYLOAD_TYPE);
  if (typeof opened === 'string') return fail(`result envelope rejected: ${opened}`);
  const keys = checkKeys(opened.body, ['proposalId', 'proposalHash', 'decision', 'reason', 'approveWeight', 'rejectWeight', 'abstainWeight', 'totalWeight', 'includedVoteIds', 'decidedAt'], ['registryVersion', 'policy']);
  if (keys !== null) return fail(`invalid consensus result: ${keys}`);
  let r: ConsensusResult;
  try {
    r = new ConsensusResult(opened.body as unknown as ConsensusResultFields);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (canonicalize(r.body()) !== opened.text) return fail('invalid consensus result: "includedVoteIds" is not sorted');
  if (result instanceof ConsensusResult && canonicalize(result.body()) !== opened.text) return fail('result fields differ from its signed envelope');

  if (r.registryVersion === undefined) return fail('result names no registryVersion');
  const view = history.at(r.registryVersion);
  if (view === undefined) return fail(`result names registry version ${r.registryVersion}, unknown to the history (latest ${history.current()})`);

  if (options.proposal !== undefined) {
    if (!(options.proposal instanceof GovernanceProposal)) reasons.add('options.proposal expected a GovernanceProposal');
    else if (options.proposal.proposalId !== r.proposalId || options.proposal.proposalHash() !== r.proposalHash) reasons.add('result is not about the given proposal');
  }

  const checks: Promise<void>[] = [];
  const coordinator = opened.env.signatures[0];
  if (coordinator === undefined) reasons.add('result envelope has no signatures');
  else {
    const member = view.members.get(coordinator.keyid);
    if (member === undefined) reasons.add(`coordinator ${coordinator.keyid.slice(0, 80)} is not a member at registry version ${view.version}`);
    else checks.push(checkSignature(coordinator, member, opened.message).then((why) => { if (why !== null) reasons.add(`result: ${why}`); }));
  }

  const policy = resolvePolicy(r.policy, options.policy);
  if (typeof policy === 'string') reasons.add(policy);

  // The votes.
  const included = new Set(r.includedVoteIds);
  if (included.size !== r.includedVoteIds.length) reasons.add('result lists a vote id twice');
  let votes: readonly unknown[] = [];
  if (!Array.isArray(signedVotes)) reasons.add('signedVotes expected an array');
  else if (signedVotes.length > MAX_OFFLINE_VOTES) reasons.add(`signedVotes expected at most ${MAX_OFFLINE_VOTES} items, got ${signedVotes.length}`);
  else votes = signedVotes;

  const seenIds = new Set<string>();
  const seenVoters = new Set<string>();
  const weights = { approve: 0, reject: 0, abstain: 0 };
  let counted = 0;
  for (let i = 0; i < votes.length; i++) {
    const item = votes[i];
    const o = open(item instanceof SignedVote ? item.envelope : item, VOTE_PAYLOAD_TYPE);
    if (typeof o === 'string') {
      reasons.add(`votes[${i}]: envelope rejected: ${o}`);
      continue;
    }
    const vk = checkKeys(o.body, VOTE_KEYS);
    if (vk !== null) {
      reasons.add(`votes[${i}]: invalid vote: ${vk}`);
      continue;
    }
    let v: Vote;
    try {
      v = new Vote(o.body as unknown as VoteFields);
    } catch (err) {
      reasons.add(`votes[${i}]: ${(err as Error).message}`);
      continue;
    }
    const tag = `votes[${i}] (${v.voteId.slice(0, 80)})`;
    let ok = true;
    const bad = (why: string): void => {
      reasons.add(`${tag}: ${why}`);
      ok = false;
    };
    if (v.proposalId !== r.proposalId) bad('proposal id mismatch');
    if (v.proposalHash !== r.proposalHash) bad('proposal hash mismatch');
    if (!included.has(v.voteId)) bad('not among the result\'s includedVoteIds');
    if (seenIds.has(v.voteId)) bad('vote id given twice');
    seenIds.add(v.voteId);
    if (seenVoters.has(v.voterDid)) bad('second vote by the same voter');
    seenVoters.add(v.voterDid);
    const member = view.members.get(v.voterDid);
    if (member === undefined) bad(`voter is not a member at registry version ${view.version}`);
    let entry: EnvelopeSignature | undefined;
    for (const s of o.env.signatures) if (s.keyid === v.voterDid) { entry = s; break; }
    if (entry === undefined) bad('not signed by its voter');
    if (!ok || member === undefined || entry === undefined) continue;
    const weight = member.weight;
    const decision = v.decision;
    checks.push(checkSignature(entry, member, o.message).then((why) => {
      if (why !== null) reasons.add(`${tag}: ${why}`);
      else {
        weights[decision] += weight;
        counted++;
      }
    }));
  }
  let missing = 0;
  for (const id of included) if (!seenIds.has(id)) missing++;
  if (missing > 0) reasons.add(`${missing} of the result's includedVoteIds have no vote envelope`);

  await Promise.all(checks);

  if (typeof policy === 'string') return { valid: false, reasons: reasons.done(), tally: null };
  const decided = policy.check({ approveWeight: weights.approve, rejectWeight: weights.reject, abstainWeight: weights.abstain }, view.totalWeight);
  const tally: OfflineTally = Object.freeze({
    registryVersion: view.version,
    approveWeight: weights.approve,
    rejectWeight: weights.reject,
    abstainWeight: weights.abstain,
    totalWeight: view.totalWeight,
    countedVotes: counted,
    passed: decided.passed,
    reason: decided.reason,
    policy: policy.toJSON(),
  });
  if (r.approveWeight !== tally.approveWeight) reasons.add(`approveWeight ${r.approveWeight} != recomputed ${tally.approveWeight}`);
  if (r.rejectWeight !== tally.rejectWeight) reasons.add(`rejectWeight ${r.rejectWeight} != recomputed ${tally.rejectWeight}`);
  if (r.abstainWeight !== tally.abstainWeight) reasons.add(`abstainWeight ${r.abstainWeight} != recomputed ${tally.abstainWeight}`);
  if (r.totalWeight !== tally.totalWeight) reasons.add(`totalWeight ${r.totalWeight} != registry version ${view.version} total ${tally.totalWeight}`);
  if (r.decision !== (decided.passed ? 'passed' : 'rejected')) reasons.add(`decision ${r.decision} != recomputed ${decided.passed ? 'passed' : 'rejected'}`);
  else if (r.reason !== decided.reason) reasons.add(`reason ${JSON.stringify(r.reason.slice(0, 120))} != recomputed ${JSON.stringify(decided.reason)}`);
  const list = reasons.done();
  return { valid: list.length === 0, reasons: list, tally };
}
