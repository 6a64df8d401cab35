// The custodian's side of proactive resharing and rotation (Herzberg, Jarecki, Krawczyk and Yung
// 1995, "Proactive secret sharing"; QuorumVM's custodian/app.py reshare_* endpoints, made
// confidential). Every share vector this custodian sends leaves in a box sealed to its recipient's
// ML-KEM key (the recipient's key card, verified here) and bound to (program, recipient, round,
// sender x, recipient x), so the coordinator that routes them learns nothing and cannot move a box
// to another round or custodian:
//   generate  — fresh shares of zero g_i (degree k − 1, g_i(0) = 0) for every target; the value for
//               each surviving target j, g_i(x_j), sealed to j; the values g_i(x_new) for new
//               custodians kept here as masks of the pending round (durable).
//   partial   — for a new custodian at x_new — admitted by an owner's signed membership
//               authorisation (membership.ts: its did and x; the coordinator alone cannot choose who
//               gets shares) —: c_i = λ_i(x_new)·y_i + g_i(x_new) (λ over the coordinator's K chosen
//               participants; just g_i(x_new) for a participant outside them), sealed to the new
//               custodian. The mask is taken (deleted) durably before the
//               box leaves, so it is handed out once: λ_i·y_i never travels unmasked, and two
//               answers with one mask (which would reveal y_i) cannot exist. Σ_i c_i = f'(x_new).
//   apply     — y'_j = y_j + Σ_i g_i(x_j), written with the round marked applied and the share
//               epoch bumped in one transaction; a replayed, duplicated or stale apply (another round
//               applied since this one's generate) is refused (409).
//   set_share — a new custodian sums the partials into its share f'(x_new) and installs the package.
//   retire    — deletes everything held for the program.
// The engine's packed-vector math (engine/resharing.ts) refreshes all of a program's secrets at once.
// Shares never appear in logs, errors or audit records. Node-only (through the store).

import { canonicalBytes } from '../../core/canonical-json.js';
import { canonicalizePython } from '../../core/canonical-python.js';
import { base64Decode, base64Encode } from '../../core/bytes.js';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import { FIELD_ELEMENT_BYTES } from '../../field/constants.js';
import { boxAad } from '../channel/aad.js';
import { verifyKeyCard, type KeyCard } from '../channel/key-card.js';
import { openSealed, seal } from '../channel/seal.js';
import { applySubShares, lagrangePartial, planCircuit, zeroSubShares } from '../engine/index.js';
import { requireMember } from '../membership.js';
import { packageToJson, parsePackage } from '../package.js';
import type { CustodianStore } from './custodian-store.js';

/** Most targets (survivors and new custodians) one round may name. */
export const MAX_RESHARE_TARGETS = 64;

/** What the resharing side needs from its custodian. */
export interface ReshareContext {
  readonly did: string;
  readonly index: number;
  readonly x: bigint;
  readonly store: CustodianStore;
  readonly kemSecretKey: Uint8Array;
  /** The program owners' dids: who may admit new custodians (membership.ts). */
  readonly owners: ReadonlySet<string>;
  /** Number of secret parameters of an installed program (throws NotFoundError when not installed). */
  secretCount(programId: string): number;
  /** Drops cached state of a program (after retirement). */
  forget(programId: string): void;
}

/** A sealed sub-share or partial as it travels: the sender's abscissa and the base64 box. */
export interface SealedFrom {
  readonly fromX: bigint;
  readonly box: string;
}

const subAad = (programId: string, recipientDid: string, roundId: string, fromX: bigint, toX: bigint): Uint8Array =>
  boxAad('reshare', programId, recipientDid, roundId, 'sub', fromX.toString(), toX.toString());
const partialAad = (programId: string, recipientDid: string, roundId: string, fromX: bigint, toX: bigint): Uint8Array =>
  boxAad('reshare', programId, recipientDid, roundId, 'partial', fromX.toString(), toX.toString());

function distinctXs(name: string, xs: readonly bigint[]): void {
  if (new Set(xs).size !== xs.length) throw new InvalidArgumentError(`"${name}" repeats an abscissa`);
}

/** The custodian's resharing operations (see the module header). */
export class CustodianResharing {
  readonly #c: ReshareContext;

  constructor(context: ReshareContext) {
    this.#c = context;
  }

  #current(programId: string): { m: number; epoch: number; shares: Uint8Array } {
    const m = this.#c.secretCount(programId);
    if (m === 0) return { m, epoch: this.#c.store.shareEpoch(programId) ?? 0, shares: new Uint8Array(0) };
    const s = this.#c.store.secretShares(programId);
    const epoch = this.#c.store.shareEpoch(programId);
    if (s === undefined || epoch === undefined) throw new ConflictError('secret shares not installed: nothing to reshare');
    return { m, epoch, shares: s.shares };
  }

  #pendingRound(programId: string, roundId: string): { k: number; baseEpoch: number } {
    const r = this.#c.store.reshareRound(roundId);
    if (r === undefined || r.programId !== programId) throw new NotFoundError('unknown reshare round');
    if (r.state !== 'pending') throw new ConflictError(`reshare round is ${r.state}: refused`);
    const epoch = this.#c.secretCount(programId) === 0 ? (this.#c.store.shareEpoch(programId) ?? 0) : this.#c.store.shareEpoch(programId);
    if (epoch !== r.baseEpoch) throw new ConflictError('shares changed since this round was generated: refused');
    return r;
  }

  /**
   * Opens round `roundId`: deals shares of zero of degree k − 1 for every target — `targets` are the
   * surviving custodians' signed key cards (this custodian's own among them), `onboardXs` the new
   * custodians' abscissas — and returns the surviving targets' sub-shares sealed to each (by x).
   * @throws ConflictError (409) for a round id already seen or missing shares; InvalidArgumentError
   * for bad cards or abscissas.
   */
  async generate(req: { programId: string; roundId: string; k: number; targets: readonly unknown[]; onboardXs: readonly bigint[] }): Promise<{ status: 'generated'; custodian: number; program_id: string; round_id: string; x: string; sub_shares: Record<string, string> }> {
    const { programId, roundId, k } = req;
    const cur = this.#current(programId);
    cur.shares.fill(0);
    if (this.#c.store.reshareRound(roundId) !== undefined) throw new ConflictError('reshare round already seen');
    if (req.targets.length + req.onboardXs.length > MAX_RESHARE_TARGETS) throw new InvalidArgumentError(`a round names at most ${MAX_RESHARE_TARGETS} targets`);
    const cards: KeyCard[] = [];
    for (const t of req.targets) cards.push(await verifyKeyCard(t));
    const xs = [...cards.map((c) => c.x), ...req.onboardXs];
    distinctXs('targets', xs);
    if (!cards.some((c) => c.did === this.#c.did && c.x === this.#c.x)) throw new InvalidArgumentError('"targets" must include this custodian');
    if (!Number.isSafeInteger(k) || k < 1 || k > xs.length) throw new InvalidArgumentError(`"k" expected 1..${xs.length}`);
    const subs = zeroSubShares(cur.m, k, xs);
    try {
      const sealed: Record<string, string> = {};
      for (const c of cards) sealed[c.x.toString()] = base64Encode(await seal(c.kemPublicKey, subs.get(c.x)!, subAad(programId, c.did, roundId, this.#c.x, c.x)));
      const masks = new Map(req.onboardXs.map((x) => [x, subs.get(x)!] as const));
      const store = this.#c.store;
      await store.commit(() => {
        if (store.reshareRound(roundId) !== undefined) throw new ConflictError('reshare round already seen');
        if ((store.shareEpoch(programId) ?? 0) !== cur.epoch) throw new ConflictError('shares changed while generating: refused');
        store.openReshareRound(roundId, programId, cur.epoch, k, 'pending', masks);
      }, [canonicalBytes({ type: 'mpc.custodian.reshare_generated', program_id: programId, round_id: roundId, targets: xs.map(String), k })]);
      return { status: 'generated', custodian: this.#c.index, program_id: programId, round_id: roundId, x: this.#c.x.toString(), sub_shares: sealed };
    } finally {
      for (const v of subs.values()) v.fill(0);
    }
  }

  async #openAll(programId: string, roundId: string, items: readonly SealedFrom[], m: number, aad: (fromX: bigint) => Uint8Array): Promise<Uint8Array[]> {
    distinctXs('from_x', items.map((s) => s.fromX));
    const out: Uint8Array[] = [];
    try {
      for (const s of items) {
        const v = await openSealed(this.#c.kemSecretKey, base64Decode(s.box), aad(s.fromX));
        out.push(v);
        if (v.length !== m * FIELD_ELEMENT_BYTES) throw new InvalidArgumentError(`a sealed vector expected ${m} packed element(s)`);
      }
      return out;
    } catch (e) {
      for (const v of out) v.fill(0);
      throw e;
    }
  }

  /**
   * Applies round `roundId`'s sub-shares (one per participant, this custodian's own included, at
   * least k): the refreshed shares, the bumped epoch and the round's end are one write.
   * @throws NotFoundError (404) unknown round; ConflictError (409) replayed, duplicated or stale.
   */
  async apply(req: { programId: string; roundId: string; subShares: readonly SealedFrom[] }): Promise<{ status: 'reshared'; custodian: number; program_id: string; round_id: string; x: string; participants: number }> {
    const { programId, roundId } = req;
    const round = this.#pendingRound(programId, roundId);
    if (req.subShares.length < round.k) throw new InvalidArgumentError(`"sub_shares" expected at least k = ${round.k} participants`);
    if (!req.subShares.some((s) => s.fromX === this.#c.x)) throw new InvalidArgumentError('"sub_shares" must include this custodian\'s own');
    const cur = this.#current(programId);
    const received = await this.#openAll(programId, roundId, req.subShares, cur.m, (fromX) => subAad(programId, this.#c.did, roundId, fromX, this.#c.x));
    let fresh: Uint8Array | undefined;
    try {
      fresh = applySubShares(cur.shares, received);
      const store = this.#c.store;
      const shares = fresh;
      await store.commit(() => {
        this.#pendingRound(programId, roundId);
        store.applyReshareRound(roundId, programId, shares);
      }, [canonicalBytes({ type: 'mpc.custodian.reshared', program_id: programId, round_id: roundId, participants: req.subShares.map((s) => s.fromX.toString()) })]);
    } finally {
      cur.shares.fill(0);
      fresh?.fill(0);
      for (const v of received) v.fill(0);
    }
    return { status: 'reshared', custodian: this.#c.index, program_id: programId, round_id: roundId, x: this.#c.x.toString(), participants: req.subShares.length };
  }

  /**
   * This custodian's masked contribution to a new custodian's shares in round `roundId`:
   * λ_i(target)·y_i + g_i(target) when its x is among `participantXs` (at least k of them), else
   * g_i(target), sealed to `recipient` (a key card whose x must be `targetX`). Answered once per
   * round and target.
   * @throws NotFoundError/ConflictError for an unknown, ended or stale round and a mask already taken.
   */
  async partial(req: { programId: string; roundId: string; targetX: bigint; participantXs: readonly bigint[]; recipient: unknown; authorization: unknown }): Promise<{ status: 'partial'; custodian: number; program_id: string; round_id: string; x: string; target_x: string; partial: string }> {
    const { programId, roundId, targetX } = req;
    const round = this.#pendingRound(programId, roundId);
    const card = await verifyKeyCard(req.recipient);
    if (card.x !== targetX) throw new InvalidArgumentError('"recipient" key card is for another abscissa than "target_x"');
    await requireMember(req.authorization, { owners: this.#c.owners, programId, did: card.did, x: card.x });
    distinctXs('participant_x_coords', req.participantXs);
    if (req.participantXs.length < round.k) throw new InvalidArgumentError(`"participant_x_coords" expected at least k = ${round.k} abscissas`);
    if (req.participantXs.includes(targetX)) throw new InvalidArgumentError('"target_x" must not be a participant');
    const store = this.#c.store;
    const mask = await store.commit(() => {
      this.#pendingRound(programId, roundId);
      const m = store.takeReshareMask(roundId, targetX);
      if (m === undefined) throw new ConflictError('no mask for this target in this round (unknown or already handed out)');
      return m;
    }, [canonicalBytes({ type: 'mpc.custodian.reshare_partial', program_id: programId, round_id: roundId, target_x: targetX.toString(), recipient: card.did })]);
    const cur = this.#current(programId);
    let term: Uint8Array | undefined;
    let value = mask;
    try {
      if (req.participantXs.includes(this.#c.x) && cur.m > 0) {
        term = lagrangePartial(this.#c.x, cur.shares, req.participantXs, targetX);
        value = applySubShares(term, [mask]);
      }
      const box = await seal(card.kemPublicKey, value, partialAad(programId, card.did, roundId, this.#c.x, targetX));
      return { status: 'partial', custodian: this.#c.index, program_id: programId, round_id: roundId, x: this.#c.x.toString(), target_x: targetX.toString(), partial: base64Encode(box) };
    } finally {
      mask.fill(0);
      value.fill(0);
      term?.fill(0);
      cur.shares.fill(0);
    }
  }

  /**
   * A new custodian's onboarding: sums the participants' sealed partials into its shares f'(x) and
   * installs the program's package (brought by the coordinator), in one write; the round id is
   * recorded so a replay is refused.
   * @throws InvalidArgumentError when `shareX` is not this custodian's x or the package is not the
   * program; ConflictError (409) for a round seen before or a program whose shares it already holds.
   */
  async setShare(req: { caller: string; programId: string; roundId: string; shareX: bigint; packageJson: unknown; partials: readonly SealedFrom[] }): Promise<{ status: 'share_set'; custodian: number; program_id: string; x: string }> {
    const { programId, roundId } = req;
    if (req.shareX !== this.#c.x) throw new InvalidArgumentError(`"share_x" expected this custodian's abscissa ${this.#c.x}`);
    const pkg = parsePackage(req.packageJson);
    if (pkg.programId !== programId) throw new InvalidArgumentError('"program_package" is not this program');
    const store = this.#c.store;
    if (store.reshareRound(roundId) !== undefined) throw new ConflictError('reshare round already seen');
    if (store.program(programId) !== undefined) throw new ConflictError('program already installed on this custodian');
    if (req.partials.length < 1) throw new InvalidArgumentError('"partials" expected at least 1 item');
    const m = planCircuit(pkg.ir).secretIds.length;
    const received = await this.#openAll(programId, roundId, req.partials, m, (fromX) => partialAad(programId, this.#c.did, roundId, fromX, this.#c.x));
    let shares: Uint8Array | undefined;
    try {
      shares = applySubShares(new Uint8Array(m * FIELD_ELEMENT_BYTES), received);
      const secret = m === 0 ? null : { x: this.#c.x, shares };
      const text = canonicalizePython(packageToJson(pkg));
      await store.commit(() => {
        if (store.reshareRound(roundId) !== undefined) throw new ConflictError('reshare round already seen');
        if (store.program(programId) !== undefined) throw new ConflictError('program already installed on this custodian');
        store.putProgram({ programId, packageJson: text, owner: req.caller }, new Date().toISOString(), secret);
        store.openReshareRound(roundId, programId, 0, 0, 'set', new Map());
      }, [canonicalBytes({ type: 'mpc.custodian.onboarded', program_id: programId, round_id: roundId, participants: req.partials.map((p) => p.fromX.toString()) })]);
    } finally {
      shares?.fill(0);
      for (const v of received) v.fill(0);
    }
    this.#c.forget(programId);
    return { status: 'share_set', custodian: this.#c.index, program_id: programId, x: this.#c.x.toString() };
  }

  /** Retirement: deletes the program's package, shares, triples, approval and pending masks here. */
  async retire(programId: string): Promise<{ status: 'retired' | 'not_found'; custodian: number; program_id: string }> {
    const store = this.#c.store;
    const had = await store.commit(() => {
      const known = store.program(programId) !== undefined;
      store.dropReshareMasks(programId);
      return store.retire(programId) || known;
    }, [canonicalBytes({ type: 'mpc.custodian.retired', program_id: programId })]);
    this.#c.forget(programId);
    return { status: had ? 'retired' : 'not_found', custodian: this.#c.index, program_id: programId };
  }
}
