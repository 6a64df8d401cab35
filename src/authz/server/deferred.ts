// Deferred requests of the authorization service: a request the engine deferred for witnesses waits,
// stored with its envelope and a deadline, for witness attestations (witness.ts) over its digest.
// Counting is TUF-style (distinct allowed keys over exactly this digest, countWitnesses); once the
// request has as many as it needs it is decided again by the engine with `witnesses: n`; past its
// deadline — on the next attestation, or by the sweep — it is decided with `witnessShortfall:
// 'deny'` (missing_witness). Work on one request is serialized (a KeyedMutex on its digest), so two
// witnesses arriving together decide it once. Its verified credential is kept in memory while it
// waits; after a restart the stored envelope is verified again (signature, society, bindings — its
// nonce is not spent twice). Node-only.

import { base64Decode, utf8Decode } from '../../core/bytes.js';
import { canonicalBytes, canonicalize } from '../../core/canonical-json.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { parseStrict } from '../../core/parse-strict.js';
import type { Envelope } from '../../envelope/types.js';
import { KeyedMutex } from '../../http/keyed-mutex.js';
import type { LctCredential } from '../credential.js';
import type { AuthorizeOptions } from '../engine.js';
import type { DecisionRecord } from '../receipt.js';
import { parseRequestBody } from '../signed-request.js';
import type { AuthorizationRequest } from '../types.js';
import { countWitnesses, MAX_WITNESS_ATTESTATIONS, verifyWitnessAttestation } from '../witness.js';
import type { DecisionAnswer } from './service.js';
import type { AuthzStore, StoredRequest } from './store.js';

/** A request's state (`GET /v1/requests/:digest`). */
export interface RequestState {
  readonly digest: string;
  readonly status: 'pending' | 'decided';
  readonly deadline: number | null;
  readonly witnesses_required: number | null;
  readonly witnesses: string[];
  readonly decisions: { decision_id: string; log_index: number; decision: string; denial_reason: string | null }[];
}

/** How a decision made here is recorded by the service (its `#record`). */
export interface RedecisionRecord {
  readonly digest: string;
  readonly attempt: number;
  readonly witnesses: number;
  /** Written (and logged) in the decision's commit, before it: the witness that completed it. */
  readonly before?: { records: Uint8Array[]; write: () => void };
}

/** What the deferred-request flow uses of its service. */
export interface DeferredHost {
  readonly society: string;
  readonly store: AuthzStore;
  /** The witnesses whose attestations count. */
  readonly witnesses: ReadonlySet<string>;
  /** The clock, epoch seconds. */
  now(): number;
  /** Throws when the service has stopped. */
  up(): void;
  /** The service's logged commit (fail-stop). */
  commit(records: readonly Uint8Array[], write: (first: number) => void): Promise<unknown>;
  /** Verifies a stored request envelope again, as of when it was received (no nonce). */
  reverify(envelope: unknown, receivedAt: number): Promise<{ request: AuthorizationRequest; credential: LctCredential | null }>;
  /** Decides `request` with the engine and stages its record in the same synchronous step (settling it unless deferred again). */
  decideAgain(request: AuthorizationRequest, options: AuthorizeOptions, record: RedecisionRecord): Promise<DecisionAnswer>;
}

/** The deferred requests of one service (see the header). */
export class DeferredRequests {
  readonly #h: DeferredHost;
  readonly #credentials = new Map<string, LctCredential | null>();
  readonly #locks = new KeyedMutex({ maxQueuePerKey: 256 });
  #sweeping = false;

  constructor(host: DeferredHost) {
    this.#h = host;
  }

  /** Keeps a deferred request's verified credential while it waits. */
  hold(digest: string, credential: LctCredential | null): void {
    this.#credentials.set(digest, credential);
  }

  /** Forgets a decided request's credential. */
  release(digest: string): void {
    this.#credentials.delete(digest);
  }

  /**
   * Records a witness attestation over a deferred request; when the request then has enough distinct
   * allowed witnesses it is decided again with that count (answering the decision); past its
   * deadline it is decided `missing_witness` and the attestation is not counted.
   * @throws UnauthenticatedError (401) for a bad signature; InvalidArgumentError (400) for a malformed
   *   attestation or another society; ForbiddenError (403) for a witness not allowed; NotFoundError
   *   (404) when no deferred request has that digest; ConflictError (409) when it was already decided
   *   or this witness already attested it — nothing recorded in every case.
   */
  async submit(envelope: unknown): Promise<{ state: RequestState; decision?: DecisionAnswer }> {
    const h = this.#h;
    const body = await verifyWitnessAttestation(envelope, { society: h.society });
    if (!h.witnesses.has(body.witness)) throw new ForbiddenError(`${body.witness} is not an allowed witness`);
    const digest = body.request_digest;
    return this.#locks.run(digest, async () => {
      h.up();
      const req = h.store.request(digest);
      if (req === undefined) throw new NotFoundError(`no deferred request ${digest}`);
      if (req.status !== 'pending') throw new ConflictError(`request ${digest} was already decided`, { details: { decisions: h.store.decisionsOf(digest).map((d) => d.decisionId) } });
      if (h.now() > req.deadline) {
        const decision = await this.#expire(req);
        return { state: this.state(digest), decision };
      }
      const have = h.store.witnesses(digest);
      if (have.some((w) => w.witness === body.witness)) throw new ConflictError(`${body.witness} already attested request ${digest}`);
      if (have.length >= MAX_WITNESS_ATTESTATIONS) throw new ConflictError(`request ${digest} already holds ${MAX_WITNESS_ATTESTATIONS} attestations`);
      const { count } = await countWitnesses([...have.map((w) => parseStrict(w.envelope)), envelope], { digest, allowed: h.witnesses, society: h.society });
      const now = h.now();
      const witnessRecord = canonicalBytes({ type: 'authz.witness.received', society: h.society, request_digest: digest, witness: body.witness, count, at: now });
      const addWitness = (): void => h.store.addWitness(digest, body.witness, canonicalize(envelope), now);
      if (count < req.witnessesRequired) {
        await h.commit([witnessRecord], addWitness);
        return { state: this.state(digest) };
      }
      const decision = await this.#redecide(req, { witnesses: count }, { records: [witnessRecord], write: addWitness });
      return { state: this.state(digest), decision };
    });
  }

  /** The request and credential of a deferred request (verified again after a restart). */
  async #credentialOf(req: StoredRequest): Promise<{ request: AuthorizationRequest; credential: LctCredential | null }> {
    const env = parseStrict(req.envelope) as unknown as Envelope;
    if (this.#credentials.has(req.digest)) return { request: parseRequestBody(parseStrict(utf8Decode(base64Decode(env.payload)))).request, credential: this.#credentials.get(req.digest)! };
    return this.#h.reverify(env, req.receivedAt);
  }

  async #redecide(req: StoredRequest, opts: Omit<AuthorizeOptions, 'credential'> & { witnesses: number }, before?: { records: Uint8Array[]; write: () => void }): Promise<DecisionAnswer> {
    const { request, credential } = await this.#credentialOf(req);
    this.#h.up();
    const attempt = this.#h.store.decisionsOf(req.digest).length;
    return this.#h.decideAgain(request, { ...opts, credential }, { digest: req.digest, attempt, witnesses: opts.witnesses, ...(before ? { before } : {}) });
  }

  /** Decides an overdue deferred request with the witnesses it has (`missing_witness` when too few). */
  async #expire(req: StoredRequest): Promise<DecisionAnswer> {
    const { count } = await countWitnesses(this.#h.store.witnesses(req.digest).map((w) => parseStrict(w.envelope)), { digest: req.digest, allowed: this.#h.witnesses, society: this.#h.society });
    return this.#redecide(req, { witnesses: count, witnessShortfall: 'deny' });
  }

  /**
   * Decides every deferred request past its deadline, oldest deadline first.
   * @returns how many were decided.
   */
  async sweep(): Promise<number> {
    if (this.#sweeping) return 0;
    this.#sweeping = true;
    try {
      let n = 0;
      const now = this.#h.now();
      for (const req of this.#h.store.pendingRequests()) {
        if (req.deadline >= now) break;
        await this.#locks.run(req.digest, async () => {
          const cur = this.#h.store.request(req.digest);
          if (cur?.status === 'pending') {
            await this.#expire(cur);
            n++;
          }
        });
      }
      return n;
    } finally {
      this.#sweeping = false;
    }
  }

  /**
   * A request's state: pending (deadline, witnesses so far) or decided, with its decisions.
   * @throws NotFoundError (404) for a digest the service has not decided.
   */
  state(digest: string): RequestState {
    const store = this.#h.store;
    const req = store.request(digest);
    const decisions = store.decisionsOf(digest);
    if (req === undefined && decisions.length === 0) throw new NotFoundError(`no request ${JSON.stringify(digest.slice(0, 80))} was decided here`);
    return {
      digest, status: req?.status ?? 'decided', deadline: req?.deadline ?? null, witnesses_required: req?.witnessesRequired ?? null,
      witnesses: store.witnesses(digest).map((w) => w.witness),
      decisions: decisions.map((d) => {
        const r = parseStrict(d.record) as unknown as DecisionRecord;
        return { decision_id: d.decisionId, log_index: d.logIndex, decision: r.decision, denial_reason: r.denial_reason };
      }),
    };
  }
}
