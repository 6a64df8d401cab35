// Versioned node registries: membership changes only by consensus. Version 0 is a genesis list of
// members (did, name, weight, ML-DSA public key — so a verifier needs no other key source); version
// n+1 is version n plus one passed `add-node` or minus one passed `remove-node` consensus result that
// was decided under version n and re-verifies offline (`verifyResultOffline`: coordinator and every
// vote signed by members of version n, tally and policy recomputed). Each transition keeps its
// proposal body, result envelope and vote envelopes, so the whole history re-verifies from genesis
// (`RegistryHistory.fromJSON` replays it). did:pqaid = SHA3-256 (FIPS 202) of the FIPS 204 public key.

import { base64Decode, base64Encode, toHex, utf8Encode } from '../core/bytes.js';
import { canonicalize } from '../core/canonical-json.js';
import { parseStrict } from '../core/parse-strict.js';
import type { Envelope } from '../envelope/types.js';
import { didFromPublicKey, isPqaidDid } from '../pq/did.js';
import { PUBLIC_KEY_BYTES, algFromLevel } from '../pq/ml-dsa.js';
import type { MlDsaLevel } from '../pq/provider.js';
import { setHistoryInternals, type MemberEntry, type VersionView } from './_history-internals.js';
import { sha3_256 } from './_sha3.js';
import { storedTransitionEnvelopes } from './_stored-transition.js';
import { checkKeys, checkString, checkWeight, deepFreeze } from './_wire.js';
import { describeValue, isPlainObject } from '../core/assert.js';
import { GovernanceError, RegistryTransitionError, type RegistryTransitionRejection } from './errors.js';
import { GovernanceNode } from './node.js';
import { verifyResultOffline } from './offline-verify.js';
import { QuorumPolicy, type Fraction, type QuorumPolicyOptions } from './policy.js';
import { GovernanceProposal, type GovernanceProposalFields } from './proposal.js';
import { NodeRegistry } from './registry.js';
import { ConsensusResult, type ResultPolicy } from './result.js';
import { SignedVote } from './vote.js';

/** Format tag of {@link RegistryHistoryJSON}. */
export const REGISTRY_HISTORY_FORMAT = 'quorumkit.governance.registry-history/v1';
/** Most members one registry version may hold. */
export const MAX_REGISTRY_MEMBERS = 10_000;
/** Most transitions one history may hold. */
export const MAX_REGISTRY_TRANSITIONS = 100_000;

/** A registry member as recorded in a history: public data only. */
export interface RegistryMember {
  readonly did: string;
  /** 1..128 characters. */
  readonly name: string;
  /** Non-negative safe integer. */
  readonly weight: number;
  /** Standard base64 of the raw ML-DSA public key; `did` must be its did:pqaid. */
  readonly publicKey: string;
}

/** The parameters of an `add-node` proposal (a plain object type, so it fits `parameters`). */
export type AddNodeParameters = { readonly did: string; readonly name: string; readonly weight: number; readonly publicKey: string };

/** One applied membership change, as stored (all signed artifacts kept for re-verification). */
export interface RegistryTransitionJSON {
  /** The version this transition produced (previous + 1). */
  readonly version: number;
  /** The decided proposal's signed fields (its hash binds the result and the votes to it). */
  readonly proposal: GovernanceProposalFields;
  /** The coordinator's `governance.result` envelope. */
  readonly result: Envelope;
  /** The `governance.vote` envelopes the result counted. */
  readonly votes: readonly Envelope[];
}

/** The JSON form of a {@link RegistryHistory}. */
export interface RegistryHistoryJSON {
  readonly format: typeof REGISTRY_HISTORY_FORMAT;
  /** Quorum thresholds every membership change must be decided under. */
  readonly policy: ResultPolicy;
  /** Version 0, members sorted by did. */
  readonly genesis: readonly RegistryMember[];
  /** Applied transitions, versions 1, 2, … in order. */
  readonly transitions: readonly RegistryTransitionJSON[];
}

/** What {@link RegistryHistory.apply} takes. */
export interface ApplyTransitionInput {
  /** The decided `add-node` / `remove-node` proposal. */
  readonly proposal: GovernanceProposal;
  /** Its signed result, decided under the history's current version. */
  readonly result: ConsensusResult;
  /** The signed votes the result counted (SignedVotes or envelopes). */
  readonly votes: readonly (SignedVote | Envelope)[];
}

/** Options of {@link RegistryHistory.create}. */
export interface RegistryHistoryOptions {
  /** Thresholds every round run against this history uses; default 2/3 participation, 2/3 approval. */
  readonly policy?: QuorumPolicy | QuorumPolicyOptions;
}

const LEVEL_BY_KEY_BYTES = new Map<number, MlDsaLevel>(
  (Object.entries(PUBLIC_KEY_BYTES) as [string, number][]).map(([level, bytes]) => [bytes, Number(level) as MlDsaLevel]),
);

/** Validates one member record; returns the internal entry or a reason. */
function memberEntry(m: unknown, where: string): MemberEntry | string {
  if (!isPlainObject(m)) return `${where} expected { did, name, weight, publicKey }`;
  const keys = checkKeys(m, ['did', 'name', 'weight', 'publicKey']);
  if (keys !== null) return `${where}: ${keys}`;
  const bad = checkString('name', m['name'], 128) ?? checkWeight('weight', m['weight']) ?? checkString('publicKey', m['publicKey'], 8192);
  if (bad !== null) return `${where}: ${bad}`;
  if (!isPqaidDid(m['did'])) return `${where}: "did" expected did:pqaid:<64 hex>`;
  let publicKey: Uint8Array;
  try {
    publicKey = base64Decode(m['publicKey'] as string);
  } catch {
    return `${where}: "publicKey" is not valid base64`;
  }
  const level = LEVEL_BY_KEY_BYTES.get(publicKey.length);
  if (level === undefined) return `${where}: "publicKey" expected an ML-DSA-44/65/87 public key, got ${publicKey.length} bytes`;
  if (didFromPublicKey(publicKey) !== m['did']) return `${where}: "did" is not the did:pqaid of "publicKey"`;
  return Object.freeze({
    did: m['did'] as string,
    name: m['name'] as string,
    weight: m['weight'] as number,
    publicKeyB64: base64Encode(publicKey),
    publicKey,
    alg: algFromLevel(level),
  });
}

function toMember(e: MemberEntry): RegistryMember {
  return Object.freeze({ did: e.did, name: e.name, weight: e.weight, publicKey: e.publicKeyB64 });
}

function makeView(version: number, members: ReadonlyMap<string, MemberEntry>): VersionView {
  let total = 0;
  for (const m of members.values()) total += m.weight;
  return Object.freeze({ version, members, totalWeight: total });
}

function sameFraction(a: Fraction, b: Fraction): boolean {
  return BigInt(a.numerator) * BigInt(b.denominator) === BigInt(b.numerator) * BigInt(a.denominator);
}

interface Transition {
  readonly json: RegistryTransitionJSON;
}

/**
 * A registry whose membership changes only by consensus, with every past version kept.
 * @example
 * const history = RegistryHistory.create([alice, bob, carol]);          // version 0
 * const p = GovernanceProposal.create('add-node', dan.did, 'Add dan', alice.did,
 *   { parameters: RegistryHistory.addNodeParameters(dan) });
 * const round = new ConsensusRound({ proposal: p, history });             // decided under version 0
 * for (const n of [alice, bob, carol]) await round.cast(await n.castVote(p, 'approve'));
 * const result = await round.finalize(alice);
 * await history.apply({ proposal: p, result, votes: round.tally.validVotes }); // now version 1
 */
export class RegistryHistory {
  /** Thresholds every round against this history uses and every transition must record. */
  readonly policy: QuorumPolicy;
  readonly #views: VersionView[] = [];
  readonly #transitions: Transition[] = [];
  readonly #applied = new Set<string>();
  #applying = false;

  private constructor(genesis: readonly MemberEntry[], policy: QuorumPolicy) {
    this.policy = policy;
    const members = new Map<string, MemberEntry>();
    for (const m of [...genesis].sort((a, b) => (a.did < b.did ? -1 : a.did > b.did ? 1 : 0))) members.set(m.did, m);
    this.#views.push(makeView(0, members));
    setHistoryInternals(this, {
      at: (version: number) => (Number.isSafeInteger(version) && version >= 0 ? this.#views[version] : undefined),
      current: () => this.#views.length - 1,
    });
  }

  /**
   * A history at version 0 with these members.
   * @param genesis `GovernanceNode`s or {@link RegistryMember} records (at least one, distinct dids).
   * @throws TypeError / RangeError for a malformed member, a repeated did, no members, a total
   *   weight of 0 (no vote could ever pass) or over 2^53-1.
   */
  static create(genesis: readonly (GovernanceNode | RegistryMember)[], options: RegistryHistoryOptions = {}): RegistryHistory {
    if (!Array.isArray(genesis)) throw new TypeError('"genesis" expected an array of members');
    if (genesis.length < 1) throw new RangeError('"genesis" expected at least 1 item, got 0');
    if (genesis.length > MAX_REGISTRY_MEMBERS) throw new RangeError(`"genesis" expected at most ${MAX_REGISTRY_MEMBERS} items, got ${genesis.length}`);
    const entries: MemberEntry[] = [];
    const seen = new Set<string>();
    let total = 0;
    for (let i = 0; i < genesis.length; i++) {
      const g = genesis[i];
      const rec = g instanceof GovernanceNode ? { did: g.did, name: g.name, weight: g.weight, publicKey: g.toJSON().publicKey } : g;
      const e = memberEntry(rec, `genesis[${i}]`);
      if (typeof e === 'string') throw new TypeError(e);
      if (seen.has(e.did)) throw new RangeError(`genesis[${i}]: did ${e.did} is listed twice`);
      seen.add(e.did);
      total += e.weight;
      if (total > Number.MAX_SAFE_INTEGER) throw new RangeError('"genesis" total weight exceeds 2^53-1');
      entries.push(e);
    }
    if (total === 0) throw new RangeError('"genesis" total weight is 0: no round could ever pass');
    if (options === null || typeof options !== 'object') throw new TypeError(`RegistryHistory.create options expected an object, got ${describeValue(options)}`);
    const p = options.policy;
    const policy = p instanceof QuorumPolicy ? p : new QuorumPolicy(p);
    return new RegistryHistory(entries, policy);
  }

  /** The parameters an `add-node` proposal for `node` must carry: `{ did, name, weight, publicKey }`. */
  static addNodeParameters(node: GovernanceNode | RegistryMember): AddNodeParameters {
    const rec = node instanceof GovernanceNode ? { did: node.did, name: node.name, weight: node.weight, publicKey: node.toJSON().publicKey } : node;
    const e = memberEntry(rec, 'node');
    if (typeof e === 'string') throw new TypeError(e);
    return { did: e.did, name: e.name, weight: e.weight, publicKey: e.publicKeyB64 };
  }

  /** The parameters a `remove-node` proposal for `did` must carry: `{ did }`. */
  static removeNodeParameters(did: string): { did: string } {
    if (!isPqaidDid(did)) throw new TypeError('"did" expected did:pqaid:<64 hex>');
    return { did };
  }

  /** The current (latest) version number; 0 is genesis. */
  get version(): number {
    return this.#views.length - 1;
  }

  #view(version: number): VersionView {
    if (!Number.isSafeInteger(version) || version < 0 || version > this.version) {
      throw new RangeError(`"version" expected an integer in 0..${this.version}, got ${describeValue(version)}`);
    }
    return this.#views[version]!;
  }

  /**
   * Members at `version` (default current), in did order.
   * @throws RangeError for a version that does not exist.
   */
  membersAt(version: number = this.version): RegistryMember[] {
    return [...this.#view(version).members.values()].map(toMember);
  }

  /** The member with `did` at `version` (default current), or undefined. @throws RangeError for a bad version. */
  memberAt(did: string, version: number = this.version): RegistryMember | undefined {
    const e = this.#view(version).members.get(did);
    return e === undefined ? undefined : toMember(e);
  }

  /** True when `did` is a member at `version` (default current). @throws RangeError for a bad version. */
  isMemberAt(did: string, version: number = this.version): boolean {
    return this.#view(version).members.has(did);
  }

  /** Total weight at `version` (default current). @throws RangeError for a bad version. */
  totalWeightAt(version: number = this.version): number {
    return this.#view(version).totalWeight;
  }

  /**
   * A fresh `NodeRegistry` holding the members of `version` (default current); editing it never
   * changes the history.
   * @throws RangeError for a bad version.
   */
  registryAt(version: number = this.version): NodeRegistry<RegistryMember> {
    const reg = new NodeRegistry<RegistryMember>();
    for (const e of this.#view(version).members.values()) reg.register(toMember(e));
    return reg;
  }

  /** Ids of the proposals applied so far, in order. */
  appliedProposalIds(): string[] {
    return this.#transitions.map((t) => t.json.proposal.proposalId);
  }

  /** Hex SHA3-256 of the JCS encoding of `{ format, policy, genesis }`: pin it to name this federation. */
  genesisHash(): string {
    const { format, policy, genesis } = this.toJSON();
    return toHex(sha3_256(utf8Encode(canonicalize({ format, policy, genesis }))));
  }

  /**
   * Applies a passed `add-node` / `remove-node` result, producing the next version. Checks, cheapest
   * first: the kind; result and proposal agree (id, hash); the result names the current version and
   * this history's policy; not applied before; the parameters (`add-node`: exactly
   * `{ did, name, weight, publicKey }` with `did` = subject, a did:pqaid of the key, not a member;
   * `remove-node`: exactly `{ did }` = subject, a member, not the last one nor the last voting
   * weight); the decision is `passed`; and `verifyResultOffline` accepts result + votes. The
   * transition is stored with only the signature entries that were checked, each carrying the
   * member's key, and the votes in the result's order (see `toJSON`).
   * @returns the new version number.
   * @throws RegistryTransitionError (history unchanged) with `rejection` naming the failed check;
   *   TypeError for wrong argument types.
   */
  async apply(input: ApplyTransitionInput): Promise<number> {
    const { proposal, result, votes } = input ?? ({} as ApplyTransitionInput);
    if (!(proposal instanceof GovernanceProposal)) throw new TypeError('"proposal" expected a GovernanceProposal');
    if (!(result instanceof ConsensusResult)) throw new TypeError('"result" expected a ConsensusResult');
    if (!Array.isArray(votes)) throw new TypeError('"votes" expected an array of SignedVote or envelopes');
    const change = this.#precheck(proposal, result);
    if (this.#applying) throw new RegistryTransitionError('wrong-version', 'another membership change is being applied; retry');
    this.#applying = true;
    try {
      const verdict = await verifyResultOffline(result, votes, this, { proposal, policy: this.policy });
      if (!verdict.valid) throw new RegistryTransitionError('invalid-result', `result does not re-verify: ${verdict.reasons.slice(0, 5).join('; ')}`);
      const stored = storedTransitionEnvelopes(result, votes, this.#views[this.version]!.members);
      return this.#commit(proposal, stored.result, stored.votes, change);
    } finally {
      this.#applying = false;
    }
  }

  #precheck(proposal: GovernanceProposal, result: ConsensusResult): (m: Map<string, MemberEntry>) => void {
    const kind = proposal.kind;
    if (kind !== 'add-node' && kind !== 'remove-node') throw new RegistryTransitionError('not-membership-kind', `proposal kind ${kind} does not change membership`);
    if (result.proposalId !== proposal.proposalId || result.proposalHash !== proposal.proposalHash()) {
      throw new RegistryTransitionError('proposal-mismatch', `result is for proposal ${result.proposalId}, not ${proposal.proposalId} (id and hash must match)`);
    }
    if (this.#applied.has(proposal.proposalId)) throw new RegistryTransitionError('duplicate', `proposal ${proposal.proposalId} was already applied`);
    if (result.registryVersion === undefined) throw new RegistryTransitionError('missing-version', 'result names no registryVersion');
    if (result.registryVersion !== this.version) {
      throw new RegistryTransitionError('wrong-version', `result was decided under registry version ${result.registryVersion}, the current version is ${this.version}`);
    }
    const rp = result.policy;
    const hp = this.policy;
    if (rp === undefined || !sameFraction(rp.minParticipation, hp.minParticipation) || !sameFraction(rp.minApproval, hp.minApproval)) {
      throw new RegistryTransitionError('wrong-policy', 'result was not decided under this history\'s quorum policy');
    }
    if (!result.isPassed()) throw new RegistryTransitionError('not-passed', `result decision is ${result.decision} (${result.reason})`);
    const members = this.#views[this.version]!.members;
    const params = proposal.parameters as Record<string, unknown>;
    if (kind === 'add-node') {
      const e = memberEntry(params, 'add-node parameters');
      if (typeof e === 'string') throw new RegistryTransitionError('bad-parameters', e);
      if (e.did !== proposal.subjectId) throw new RegistryTransitionError('bad-parameters', 'add-node parameters "did" must equal the proposal subjectId');
      if (members.has(e.did)) throw new RegistryTransitionError('already-member', `node ${e.did} is already a member`);
      if (members.size >= MAX_REGISTRY_MEMBERS) throw new RegistryTransitionError('bad-parameters', `registry already holds ${MAX_REGISTRY_MEMBERS} members`);
      if (this.totalWeightAt() + e.weight > Number.MAX_SAFE_INTEGER) throw new RegistryTransitionError('bad-parameters', 'total weight would exceed 2^53-1');
      return (m) => void m.set(e.did, e);
    }
    const keys = isPlainObject(params) ? checkKeys(params, ['did']) : 'expected { did }';
    if (keys !== null) throw new RegistryTransitionError('bad-parameters', `remove-node parameters: ${keys}`);
    const did = params['did'];
    if (typeof did !== 'string' || did !== proposal.subjectId) throw new RegistryTransitionError('bad-parameters', 'remove-node parameters "did" must equal the proposal subjectId');
    const leaving = members.get(did);
    if (leaving === undefined) throw new RegistryTransitionError('not-member', `node ${did} is not a member`);
    if (members.size === 1) throw new RegistryTransitionError('last-member', 'cannot remove the last member');
    if (this.totalWeightAt() - leaving.weight === 0) throw new RegistryTransitionError('last-member', 'cannot remove the last member with voting weight');
    return (m) => void m.delete(did);
  }

  #commit(proposal: GovernanceProposal, resultEnv: Envelope, votes: Envelope[], change: (m: Map<string, MemberEntry>) => void): number {
    const next = new Map(this.#views[this.version]!.members);
    change(next);
    const sorted = new Map([...next.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    const version = this.version + 1;
    const json = deepFreeze({ version, proposal: proposal.body(), result: resultEnv, votes }) as RegistryTransitionJSON;
    this.#views.push(makeView(version, sorted));
    this.#transitions.push({ json });
    this.#applied.add(proposal.proposalId);
    return version;
  }

  /** The JSON form ({@link RegistryHistoryJSON}); persist it and restore with {@link RegistryHistory.fromJSON}. */
  toJSON(): RegistryHistoryJSON {
    return {
      format: REGISTRY_HISTORY_FORMAT,
      policy: this.policy.toJSON(),
      genesis: [...this.#views[0]!.members.values()].map(toMember),
      transitions: this.#transitions.map((t) => t.json),
    };
  }

  /**
   * Rebuilds a history from {@link toJSON} output (an object or its JSON text), strictly: exact
   * keys, valid genesis, every transition re-applied through {@link apply} (every signature,
   * membership and tally re-verified), and every transition exactly in the stored form `apply`
   * writes (one signature entry per envelope with the member's key, votes in the result's order),
   * so a history has one JSON form.
   * @throws RegistryTransitionError (a transition does not re-verify) or GovernanceError (malformed
   *   JSON), never anything else for bad input.
   */
  static async fromJSON(json: unknown): Promise<RegistryHistory> {
    try {
      return await fromJSONInner(json);
    } catch (err) {
      if (err instanceof GovernanceError) throw err;
      throw new GovernanceError(`invalid registry history: ${err instanceof Error ? err.message : describeValue(err)}`, { cause: err });
    }
  }
}

function badHistory(why: string): never {
  throw new GovernanceError(`invalid registry history: ${why}`);
}

function historyPolicy(policyJson: unknown): QuorumPolicy {
  if (!isPlainObject(policyJson) || checkKeys(policyJson, ['minParticipation', 'minApproval']) !== null) return badHistory('"policy" expected { minParticipation, minApproval }');
  for (const k of ['minParticipation', 'minApproval'] as const) {
    const f = policyJson[k];
    if (!isPlainObject(f) || checkKeys(f, ['numerator', 'denominator']) !== null) return badHistory(`"policy.${k}" expected { numerator, denominator }`);
  }
  try {
    return new QuorumPolicy(policyJson as unknown as QuorumPolicyOptions);
  } catch (err) {
    return badHistory(`"policy": ${(err as Error).message}`);
  }
}

function genesisHistory(genesis: unknown, policy: QuorumPolicy): RegistryHistory {
  if (!Array.isArray(genesis)) return badHistory('"genesis" expected an array');
  let history: RegistryHistory;
  try {
    history = RegistryHistory.create(genesis as RegistryMember[], { policy });
  } catch (err) {
    return badHistory((err as Error).message);
  }
  if (canonicalize(history.toJSON().genesis) !== canonicalize(genesis)) return badHistory('"genesis" expected members sorted by did with canonical base64 keys');
  return history;
}

/** Decodes one stored transition (exact keys; the proposal is its signed fields only). */
function transitionInput(t: unknown, i: number): ApplyTransitionInput {
  if (!isPlainObject(t)) return badHistory(`transitions[${i}] expected an object`);
  const tk = checkKeys(t, ['version', 'proposal', 'result', 'votes']);
  if (tk !== null) return badHistory(`transitions[${i}]: ${tk}`);
  if (t['version'] !== i + 1) return badHistory(`transitions[${i}].version expected ${i + 1}`);
  if (!Array.isArray(t['votes'])) return badHistory(`transitions[${i}].votes expected an array`);
  const p = t['proposal'];
  if (isPlainObject(p)) {
    for (const k of ['status', 'envelope']) if (Object.hasOwn(p, k)) return badHistory(`transitions[${i}].proposal has unexpected field "${k}"`);
  }
  try {
    return {
      proposal: GovernanceProposal.fromJSON(p),
      result: ConsensusResult.fromEnvelope(t['result']),
      votes: (t['votes'] as unknown[]).map((v) => SignedVote.fromEnvelope(v)),
    };
  } catch (err) {
    return badHistory(`transitions[${i}]: ${(err as Error).message}`);
  }
}

async function fromJSONInner(input: unknown): Promise<RegistryHistory> {
  const json = typeof input === 'string' ? parseStrict(input) : input;
  if (!isPlainObject(json)) return badHistory(`expected an object, got ${describeValue(json)}`);
  const keys = checkKeys(json, ['format', 'policy', 'genesis', 'transitions']);
  if (keys !== null) return badHistory(keys);
  if (json['format'] !== REGISTRY_HISTORY_FORMAT) return badHistory(`"format" expected ${REGISTRY_HISTORY_FORMAT}`);
  const history = genesisHistory(json['genesis'], historyPolicy(json['policy']));
  const transitions = json['transitions'];
  if (!Array.isArray(transitions)) return badHistory('"transitions" expected an array');
  if (transitions.length > MAX_REGISTRY_TRANSITIONS) return badHistory(`"transitions" expected at most ${MAX_REGISTRY_TRANSITIONS} items`);
  for (let i = 0; i < transitions.length; i++) {
    try {
      await history.apply(transitionInput(transitions[i], i));
    } catch (err) {
      if (err instanceof RegistryTransitionError) throw new RegistryTransitionError(err.rejection, `transitions[${i}]: ${err.message}`, { cause: err });
      throw err;
    }
  }
  // One stored form per transition (_stored-transition.ts): genuine content re-laid is refused too.
  const stored = history.toJSON().transitions;
  for (let i = 0; i < stored.length; i++) {
    if (canonicalize(stored[i]) !== canonicalize(transitions[i])) {
      return badHistory(`transitions[${i}] is not in stored form (one signature entry per envelope, with the member's key; votes in the result's order)`);
    }
  }
  return history;
}
