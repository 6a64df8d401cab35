// The coordinator's (and dealer's) view of the custodians: their URLs, their key cards — fetched
// from each custodian, verified (signed by the did they name), and pinned on first sight in the
// caller's store, so a custodian that later shows another did is refused — and signed calls with a
// per-call timeout. Every call is signed with the caller's ML-DSA identity for that custodian's did
// (the request's audience); a round — the same step sent to several custodians at once — is signed
// as one request set (src/http/signed-request.ts): one ML-DSA signature for the round, each
// custodian still checking that the set holds exactly its own request. Node-free (fetch by default; a Node service passes the keep-alive
// node:http transport, src/http/node-transport.ts).

import { parseStrict } from '../../core/parse-strict.js';
import { canonicalize } from '../../core/canonical-json.js';
import { utf8Encode } from '../../core/bytes.js';
import { signRequests } from '../../http/signed-request.js';
import { IoError } from '../../core/errors.js';
import { callService, type HttpTransport } from '../../http/client.js';
import type { EnvelopeSigner } from '../../envelope/types.js';
import { verifyKeyCard, type KeyCard } from '../channel/key-card.js';

/** A custodian as configured: its URL, and its did when pinned in advance. */
export interface CustodianEndpoint {
  readonly url: string;
  readonly did?: string;
}

/** Where pinned cards are kept (the caller's store). */
export interface CardPins {
  pinned(index: number): { did: string; keyCard: string } | undefined;
  pin(index: number, url: string, did: string, keyCard: string): void;
}

/** A custodian with its verified card. */
export interface LinkedCustodian {
  readonly index: number;
  readonly url: string;
  readonly card: KeyCard;
  /** The card's envelope, as served to clients. */
  readonly envelope: unknown;
}

/** Default per-call timeout. */
export const DEFAULT_CALL_TIMEOUT_MS = 5_000;

/** The custodian set. */
export class CustodianLink {
  readonly #endpoints: CustodianEndpoint[];
  readonly #signer: EnvelopeSigner;
  readonly #pins: CardPins;
  readonly #timeoutMs: number;
  readonly #cards = new Map<number, LinkedCustodian>();
  readonly #transport: HttpTransport | undefined;

  /** `transport`: how calls are sent (default fetch). */
  constructor(endpoints: readonly CustodianEndpoint[], signer: EnvelopeSigner, pins: CardPins, timeoutMs = DEFAULT_CALL_TIMEOUT_MS, transport?: HttpTransport) {
    this.#endpoints = [...endpoints];
    this.#transport = transport;
    this.#signer = signer;
    this.#pins = pins;
    this.#timeoutMs = timeoutMs;
  }

  /** The custodians by index (configured, then enrolled; an index never enrolled is a hole). */
  get endpoints(): readonly (CustodianEndpoint | undefined)[] {
    return this.#endpoints;
  }

  /**
   * Adds (or moves) custodian `index` — one rotated in — before its first use. Its card is fetched
   * and pinned like any other; a did other than the pinned one is still refused.
   * @throws RangeError for an index outside 0..1023.
   */
  enroll(index: number, endpoint: CustodianEndpoint): void {
    if (!Number.isSafeInteger(index) || index < 0 || index > 1023) throw new RangeError('"index" expected 0..1023');
    const known = this.#endpoints[index];
    if (known !== undefined && known.url !== endpoint.url) this.#cards.delete(index);
    this.#endpoints[index] = endpoint;
  }

  /** Restores the pinned cards, verifying each again, before first use. */
  async init(): Promise<void> {
    for (let i = 0; i < this.#endpoints.length; i++) {
      const p = this.#pins.pinned(i);
      if (p === undefined || this.#endpoints[i] === undefined) continue;
      const envelope = parseStrict(p.keyCard);
      this.#cards.set(i, { index: i, url: this.#endpoints[i]!.url, card: await verifyKeyCard(envelope, new Set([p.did])), envelope });
    }
  }

  /**
   * The verified card of custodian `index`, fetched and pinned on first use.
   * @throws IoError when it cannot be reached or its card's did differs from the pinned or configured one.
   */
  async card(index: number): Promise<LinkedCustodian> {
    const known = this.#cards.get(index);
    if (known !== undefined) return known;
    const ep = this.#endpoints[index];
    if (ep === undefined) throw new IoError(`custodian ${index} is not known`);
    const envelope = await callService(ep.url, '/key_card', { timeoutMs: this.#timeoutMs, ...this.#opts() });
    const card = await verifyKeyCard(envelope);
    const expected = ep.did ?? this.#pins.pinned(index)?.did;
    if (expected !== undefined && card.did !== expected) throw new IoError(`custodian ${index} at ${ep.url} presents ${card.did}, expected ${expected}`);
    if (card.index !== index) throw new IoError(`custodian at ${ep.url} says it is custodian ${card.index}, configured as ${index}`);
    this.#pins.pin(index, ep.url, card.did, canonicalize(envelope));
    const linked = { index, url: ep.url, card, envelope };
    this.#cards.set(index, linked);
    return linked;
  }

  /** Cards of every reachable custodian (unreachable ones are left out). */
  async cards(): Promise<LinkedCustodian[]> {
    const indices = [...this.#endpoints.keys()].filter((i) => this.#endpoints[i] !== undefined);
    const got = await Promise.allSettled(indices.map((i) => this.card(i)));
    return got.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }

  /** A signed call to custodian `index` (its did as the audience). */
  async call<T>(index: number, path: string, body: unknown, method = 'POST', timeoutMs = this.#timeoutMs): Promise<T> {
    const c = await this.card(index);
    return callService<T>(c.url, path, { method, ...(body === undefined ? {} : { body }), signer: this.#signer, audience: c.card.did, timeoutMs, ...this.#opts() });
  }

  /**
   * One round: POSTs `bodies[j]` to custodian `indices[j]` for every j at once, all signed with one
   * request-set signature; settles per custodian (a custodian that cannot be reached or refuses is
   * a rejected entry, as with separate calls).
   */
  async round<T>(indices: readonly number[], path: string, bodies: readonly unknown[], timeoutMs = this.#timeoutMs): Promise<PromiseSettledResult<T>[]> {
    const cards = await Promise.allSettled(indices.map((i) => this.card(i)));
    const texts = new Map<unknown, string>(); // one serialization of a body sent to every custodian
    const text = (b: unknown): string => texts.get(b) ?? texts.set(b, canonicalize(b)).get(b)!;
    const ready = cards.flatMap((c, j) => (c.status === 'fulfilled' ? [{ j, card: c.value, text: text(bodies[j]) }] : []));
    const headers = ready.length === 0 ? [] : await signRequests(this.#signer, ready.map((r) => ({ method: 'POST', path, body: utf8Encode(r.text), audience: r.card.card.did })));
    const calls = cards.map((c): Promise<T> => (c.status === 'rejected' ? Promise.reject(c.reason) : Promise.resolve(undefined as T)));
    ready.forEach((r, n) => {
      calls[r.j] = callService<T>(r.card.url, path, { bodyText: r.text, headers: { ...headers[n]!, 'content-type': 'application/json' }, timeoutMs, ...this.#opts() });
    });
    return Promise.allSettled(calls);
  }

  #opts(): { transport?: HttpTransport } {
    return this.#transport === undefined ? {} : { transport: this.#transport };
  }

  /** A signed call with a body already serialized (e.g. Python-compatible JSON with exact big integers). */
  async callText<T>(index: number, path: string, bodyText: string, timeoutMs = this.#timeoutMs): Promise<T> {
    const c = await this.card(index);
    return callService<T>(c.url, path, { bodyText, signer: this.#signer, audience: c.card.did, timeoutMs });
  }
}
