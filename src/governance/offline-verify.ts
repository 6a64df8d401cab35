// Offline re-verification of a consensus result from nothing but a registry history (rooted in its
// genesis) and the artifacts: the result envelope and the signed vote envelopes it counted. Checks the
// coordinator's ML-DSA signature (FIPS 204, over the DSSE PAE), every vote's signature, membership of
// every signer AT the result's `registryVersion`, that the votes are exactly `includedVoteIds`, bound
// to the result's proposal id and hash, and recomputes the weights and the quorum policy's decision.
// Every vote id must be its content hash (SHA3-256 of the body without `voteId`, see vote.ts).
// Browser-safe (no node:* import). Every payload is base64-decoded and parsed once; lookups are
// Map/Set based, so the bookkeeping is O(votes) next to one ML-DSA verification per vote.
// The checks run in phases, one small function each: read the result → find its registry version →
// coordinator signature, proposal binding and policy → each vote (decode, bind, membership,
// signature) → recompute the tally and compare.

import { base64Decode, utf8Decode } from '../core/bytes.js';
import { canonicalize } from '../core/canonical-json.js';
import { parseStrict } from '../core/parse-strict.js';
import { pae } from '../envelope/pae.js';
import { checkEnvelopeShape } from '../envelope/shape.js';
import type { Envelope, EnvelopeSignature } from '../envelope/types.js';
import { getHistoryInternals, memberSignatureError, type MemberEntry, type VersionView } from './_history-internals.js';
import { RESULT_PAYLOAD_TYPE, VOTE_PAYLOAD_TYPE, checkKeys } from './_wire.js';
import { describeValue, isPlainObject } from '../core/assert.js';
import { QuorumPolicy, type Fraction } from './policy.js';
import { GovernanceProposal } from './proposal.js';
import { ConsensusResult, type ConsensusResultFields, type ConsensusResultJSON, type ResultPolicy } from './result.js';
import { SignedVote, VOTE_ID_MISMATCH, Vote, voteIdFromCanonicalText, type VoteFields } from './vote.js';

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
const RESULT_KEYS = ['proposalId', 'proposalHash', 'decision', 'reason', 'approveWeight', 'rejectWeight', 'abstainWeight', 'totalWeight', 'includedVoteIds', 'decidedAt'] as const;
const RESULT_OPTIONAL = ['registryVersion', 'policy'] as const;

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
 * `includedVoteIds` (no extra, missing or repeated vote or voter); every vote's id is its content
 * hash, it names the result's proposal id and hash, is by a member at that version and carries that
 * member's valid signature; the recomputed approve/reject/abstain weights, the version's total
 * weight and the policy's decision and reason equal the result's.
 *
 * @param result a signed `ConsensusResult`, its JSON form (`JSON.stringify(result)` parsed back,
 *   whose readable fields must equal the signed ones) or its envelope.
 * @param signedVotes the counted votes: `SignedVote`s or their envelopes.
 * @param registryHistory the `RegistryHistory` (genesis plus verified transitions).
 * @returns `{ valid, reasons, tally }`; never throws, whatever the input.
 * @example
 * const { valid, reasons } = await verifyResultOffline(resultEnvelope, voteEnvelopes, history);
 * if (!valid) console.error(reasons.join('\n'));
 */
export async function verifyResultOffline(
  result: ConsensusResult | ConsensusResultJSON | Envelope | unknown,
  signedVotes: readonly (SignedVote | Envelope)[] | unknown,
  registryHistory: unknown,
  options: VerifyOfflineOptions = {},
): Promise<OfflineVerification> {
  const reasons = new Reasons();
  try {
    return await verifyInner(result, signedVotes, registryHistory, options ?? {}, reasons);
  } catch (err) {
    reasons.add(`verification aborted: ${err instanceof Error ? err.message : describeValue(err)}`);
    return { valid: false, reasons: reasons.done(), tally: null };
  }
}

/** What the phases share: the decoded result, its registry version, and the running tally. */
interface Context {
  readonly r: ConsensusResult;
  readonly view: VersionView;
  readonly reasons: Reasons;
  /** Pending signature checks (run concurrently, awaited once). */
  readonly checks: Promise<void>[];
  readonly weights: { approve: number; reject: number; abstain: number };
  counted: number;
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
  const read = readResult(result);
  if (typeof read === 'string') return fail(read);
  const { opened, r } = read;
  if (r.registryVersion === undefined) return fail('result names no registryVersion');
  const view = history.at(r.registryVersion);
  if (view === undefined) return fail(`result names registry version ${r.registryVersion}, unknown to the history (latest ${history.current()})`);

  const ctx: Context = { r, view, reasons, checks: [], weights: { approve: 0, reject: 0, abstain: 0 }, counted: 0 };
  checkProposalOption(options.proposal, ctx);
  checkCoordinator(opened, ctx);
  const policy = resolvePolicy(r.policy, options.policy);
  if (typeof policy === 'string') reasons.add(policy);
  checkVotes(voteList(signedVotes, ctx), ctx);
  await Promise.all(ctx.checks);
  if (typeof policy === 'string') return { valid: false, reasons: reasons.done(), tally: null };
  const tally = compareTally(policy, ctx);
  const list = reasons.done();
  return { valid: list.length === 0, reasons: list, tally };
}

/** Phase 1: the result's envelope, decoded once; its body must be exactly the signed one. */
function readResult(result: unknown): { opened: Opened; r: ConsensusResult } | string {
  const readable = result instanceof ConsensusResult || (isPlainObject(result) && Object.hasOwn(result, 'proposalId')) ? result : undefined;
  const env = readable === undefined ? result : readable instanceof ConsensusResult ? readable.envelope : (readable as Record<string, unknown>)['envelope'];
  if (env === undefined) return 'result is not signed';
  const opened = open(env, RESULT_PAYLOAD_TYPE);
  if (typeof opened === 'string') return `result envelope rejected: ${opened}`;
  const keys = checkKeys(opened.body, RESULT_KEYS, RESULT_OPTIONAL);
  if (keys !== null) return `invalid consensus result: ${keys}`;
  let r: ConsensusResult;
  try {
    r = new ConsensusResult(opened.body as unknown as ConsensusResultFields);
  } catch (err) {
    return (err as Error).message;
  }
  if (canonicalize(r.body()) !== opened.text) return 'invalid consensus result: "includedVoteIds" is not sorted';
  if (readable !== undefined && readableText(readable) !== opened.text) return 'result fields differ from its signed envelope';
  return { opened, r };
}

/** The canonical text of a result's readable fields (a ConsensusResult or its JSON form), or null. */
function readableText(readable: unknown): string | null {
  if (readable instanceof ConsensusResult) return canonicalize(readable.body());
  const o = readable as Record<string, unknown>;
  if (checkKeys(o, RESULT_KEYS, [...RESULT_OPTIONAL, 'envelope']) !== null) return null;
  try {
    const { envelope: _signed, ...fields } = o;
    return canonicalize(new ConsensusResult(fields as unknown as ConsensusResultFields).body());
  } catch {
    return null;
  }
}

/** Phase 2a: when the caller names a proposal, the result must be about it. */
function checkProposalOption(proposal: unknown, ctx: Context): void {
  if (proposal === undefined) return;
  if (!(proposal instanceof GovernanceProposal)) ctx.reasons.add('options.proposal expected a GovernanceProposal');
  else if (proposal.proposalId !== ctx.r.proposalId || proposal.proposalHash() !== ctx.r.proposalHash) ctx.reasons.add('result is not about the given proposal');
}

/** Phase 2b: the coordinator (first signer) is a member at the result's version and its signature holds. */
function checkCoordinator(opened: Opened, ctx: Context): void {
  const coordinator = opened.env.signatures[0];
  if (coordinator === undefined) return ctx.reasons.add('result envelope has no signatures');
  const member = ctx.view.members.get(coordinator.keyid);
  if (member === undefined) return ctx.reasons.add(`coordinator ${coordinator.keyid.slice(0, 80)} is not a member at registry version ${ctx.view.version}`);
  ctx.checks.push(memberSignatureError(coordinator, member, opened.message).then((why) => {
    if (why !== null) ctx.reasons.add(`result: ${why}`);
  }));
}

/** Phase 3a: the vote list itself (an array, within bounds) and the result's id list (no repeats). */
function voteList(signedVotes: unknown, ctx: Context): readonly unknown[] {
  if (new Set(ctx.r.includedVoteIds).size !== ctx.r.includedVoteIds.length) ctx.reasons.add('result lists a vote id twice');
  if (!Array.isArray(signedVotes)) {
    ctx.reasons.add('signedVotes expected an array');
    return [];
  }
  if (signedVotes.length > MAX_OFFLINE_VOTES) {
    ctx.reasons.add(`signedVotes expected at most ${MAX_OFFLINE_VOTES} items, got ${signedVotes.length}`);
    return [];
  }
  return signedVotes;
}

/** Phase 3b: every vote, then the included ids no vote accounted for. */
function checkVotes(votes: readonly unknown[], ctx: Context): void {
  const included = new Set(ctx.r.includedVoteIds);
  const seenIds = new Set<string>();
  const seenVoters = new Set<string>();
  for (let i = 0; i < votes.length; i++) {
    const item = votes[i];
    const read = readVote(item instanceof SignedVote ? item.envelope : item);
    if (typeof read === 'string') {
      ctx.reasons.add(`votes[${i}]: ${read}`);
      continue;
    }
    const tag = `votes[${i}] (${read.vote.voteId.slice(0, 80)})`;
    const problems = bindingProblems(read.vote, ctx, included, seenIds, seenVoters);
    const member = ctx.view.members.get(read.vote.voterDid);
    if (member === undefined) problems.push(`voter is not a member at registry version ${ctx.view.version}`);
    const entry = read.opened.env.signatures.find((s) => s.keyid === read.vote.voterDid);
    if (entry === undefined) problems.push('not signed by its voter');
    for (const why of problems) ctx.reasons.add(`${tag}: ${why}`);
    if (problems.length === 0) countVote(read.vote, member!, entry!, read.opened, tag, ctx);
  }
  let missing = 0;
  for (const id of included) if (!seenIds.has(id)) missing++;
  if (missing > 0) ctx.reasons.add(`${missing} of the result's includedVoteIds have no vote envelope`);
}

/** Decodes one vote envelope: shape, exact keys, field types, and the content-derived id. */
function readVote(env: unknown): { opened: Opened; vote: Vote } | string {
  const o = open(env, VOTE_PAYLOAD_TYPE);
  if (typeof o === 'string') return `envelope rejected: ${o}`;
  const keys = checkKeys(o.body, VOTE_KEYS);
  if (keys !== null) return `invalid vote: ${keys}`;
  let vote: Vote;
  try {
    vote = new Vote(o.body as unknown as VoteFields);
  } catch (err) {
    return (err as Error).message;
  }
  if (voteIdFromCanonicalText(o.text, vote.voteId) !== vote.voteId) return VOTE_ID_MISMATCH;
  return { opened: o, vote };
}

/** The vote is bound to the result (proposal id and hash, listed id) and neither its id nor its voter repeats. */
function bindingProblems(v: Vote, ctx: Context, included: Set<string>, seenIds: Set<string>, seenVoters: Set<string>): string[] {
  const problems: string[] = [];
  if (v.proposalId !== ctx.r.proposalId) problems.push('proposal id mismatch');
  if (v.proposalHash !== ctx.r.proposalHash) problems.push('proposal hash mismatch');
  if (!included.has(v.voteId)) problems.push('not among the result\'s includedVoteIds');
  if (seenIds.has(v.voteId)) problems.push('vote id given twice');
  seenIds.add(v.voteId);
  if (seenVoters.has(v.voterDid)) problems.push('second vote by the same voter');
  seenVoters.add(v.voterDid);
  return problems;
}

/** Queues the voter's signature check; a valid one adds the member's weight to the tally. */
function countVote(v: Vote, member: MemberEntry, entry: EnvelopeSignature, opened: Opened, tag: string, ctx: Context): void {
  const { decision } = v;
  ctx.checks.push(memberSignatureError(entry, member, opened.message).then((why) => {
    if (why !== null) return ctx.reasons.add(`${tag}: ${why}`);
    ctx.weights[decision] += member.weight;
    ctx.counted++;
  }));
}

/** Phase 4: the policy's decision on the recomputed weights, compared with what the result signed. */
function compareTally(policy: QuorumPolicy, ctx: Context): OfflineTally {
  const { r, view, weights, reasons } = ctx;
  const decided = policy.check({ approveWeight: weights.approve, rejectWeight: weights.reject, abstainWeight: weights.abstain }, view.totalWeight);
  const tally: OfflineTally = Object.freeze({
    registryVersion: view.version,
    approveWeight: weights.approve,
    rejectWeight: weights.reject,
    abstainWeight: weights.abstain,
    totalWeight: view.totalWeight,
    countedVotes: ctx.counted,
    passed: decided.passed,
    reason: decided.reason,
    policy: policy.toJSON(),
  });
  if (r.approveWeight !== tally.approveWeight) reasons.add(`approveWeight ${r.approveWeight} != recomputed ${tally.approveWeight}`);
  if (r.rejectWeight !== tally.rejectWeight) reasons.add(`rejectWeight ${r.rejectWeight} != recomputed ${tally.rejectWeight}`);
  if (r.abstainWeight !== tally.abstainWeight) reasons.add(`abstainWeight ${r.abstainWeight} != recomputed ${tally.abstainWeight}`);
  if (r.totalWeight !== tally.totalWeight) reasons.add(`totalWeight ${r.totalWeight} != registry version ${view.version} total ${tally.totalWeight}`);
  const recomputed = decided.passed ? 'passed' : 'rejected';
  if (r.decision !== recomputed) reasons.add(`decision ${r.decision} != recomputed ${recomputed}`);
  else if (r.reason !== decided.reason) reasons.add(`reason ${JSON.stringify(r.reason.slice(0, 120))} != recomputed ${JSON.stringify(decided.reason)}`);
  return tally;
}
