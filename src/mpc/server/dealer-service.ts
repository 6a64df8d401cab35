// The MPC dealer: a separate process with its own ML-DSA identity that generates Beaver triples
// (a, b uniform, c = a·b; engine/triples.ts), shares each among the custodians and delivers every
// custodian its shares in a box sealed to that custodian's ML-KEM key (bound to program, lot and
// recipient) over a request signed by the dealer — so the coordinator, which only learns a lot's id,
// size and holders, never sees a triple. Triple values are wiped once sealed and never stored; the
// dealer's database records only which lots it issued to whom (with an audit trail). Node-only.

import { join } from 'node:path';
import { canonicalBytes } from '../../core/canonical-json.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { base64Encode, concatBytes, toHex } from '../../core/bytes.js';
import type { AuditReader } from '../../http/log-routes.js';
import type { ReplayGuard } from '../../http/replay-guard.js';
import type { AuditTrail } from '../../log/audit-trail.js';
import { openServiceFiles, type ServiceFiles } from '../../log/service-files.js';
import type { Identity } from '../../pq/identity.js';
import { DurableStore } from '../../store/durable-store.js';
import { boxAad } from '../channel/aad.js';
import { seal } from '../channel/seal.js';
import { dealTriples } from '../engine/index.js';
import { CustodiansUnavailableError } from '../errors.js';
import { nodeTransport } from '../../http/node-transport.js';
import { CustodianLink, type CustodianEndpoint, type LinkedCustodian } from './custodian-link.js';

const MIGRATIONS = [
  `CREATE TABLE lots (lot_id TEXT PRIMARY KEY, program_id TEXT NOT NULL, count INTEGER NOT NULL, holders TEXT NOT NULL, issued_at TEXT NOT NULL) STRICT;
   CREATE TABLE custodians (custodian_index INTEGER PRIMARY KEY, url TEXT NOT NULL, did TEXT NOT NULL, key_card TEXT NOT NULL) STRICT;`,
];

/** Largest lot one request may ask for (triples). */
export const MAX_LOT = 1_000_000;

class DealerStore extends DurableStore {
  /** Opens (creating or migrating) the dealer store. */
  static open(path: string): DealerStore {
    return new DealerStore(DurableStore.openDatabase(path, { what: 'MPC dealer store', migrations: MIGRATIONS }));
  }
  /** Records an issued lot and who took it (write). */
  addLot(lotId: string, programId: string, count: number, holders: readonly number[]): void {
    this.statement('INSERT INTO lots (lot_id, program_id, count, holders, issued_at) VALUES (?, ?, ?, ?, ?)').run(lotId, programId, count, holders.join(','), new Date().toISOString());
  }
  /** How many lots were issued. */
  lotsIssued(): number {
    return Number((this.statement('SELECT COUNT(*) AS n FROM lots').get() as { n: number }).n);
  }
  /** Custodian i's pinned key card, or undefined. */
  pinned(i: number): { did: string; keyCard: string } | undefined {
    const r = this.statement('SELECT did, key_card FROM custodians WHERE custodian_index = ?').get(i) as { did: string; key_card: string } | undefined;
    return r && { did: r.did, keyCard: r.key_card };
  }
  /** Pins custodian i's key card. */
  pin(i: number, url: string, did: string, card: string): void {
    this.transaction(() => this.statement('INSERT INTO custodians (custodian_index, url, did, key_card) VALUES (?, ?, ?, ?) ON CONFLICT (custodian_index) DO UPDATE SET url = excluded.url, key_card = excluded.key_card').run(i, url, did, card));
  }
}

/** Options of {@link DealerService.open}. */
export interface DealerOptions {
  readonly dataDir: string;
  readonly identity: Identity;
  readonly custodians: readonly CustodianEndpoint[];
  readonly threshold: number;
  /** Coordinators allowed to request lots. */
  readonly coordinators: ReadonlySet<string>;
  readonly callTimeoutMs?: number;
}

/** The dealer's domain service. */
export class DealerService {
  readonly did: string;
  readonly replayGuard: ReplayGuard;
  readonly #o: DealerOptions;
  readonly #store: DealerStore;
  readonly #trail: AuditTrail;
  readonly #files: ServiceFiles<DealerStore>;
  readonly #link: CustodianLink;

  private constructor(o: DealerOptions, files: ServiceFiles<DealerStore>) {
    const { store, trail } = files;
    this.#files = files;
    this.#o = o;
    this.did = o.identity.did;
    this.#store = store;
    this.#trail = trail;
    this.replayGuard = store.replayGuard();
    this.#link = new CustodianLink(o.custodians, o.identity, { pinned: (i) => store.pinned(i), pin: (i, u, d, c) => store.pin(i, u, d, c) }, o.callTimeoutMs, nodeTransport());
  }

  /** Opens the data dir (locked to this process). */
  static async open(o: DealerOptions): Promise<DealerService> {
    if (!Number.isSafeInteger(o.threshold) || o.threshold < 1 || o.threshold > o.custodians.length) throw new RangeError(`"threshold" expected 1..${o.custodians.length}`);
    const files = await openServiceFiles(o.dataDir, { database: 'dealer.db', openStore: (p) => DealerStore.open(p), origin: `quorumkit/mpc/dealer/${o.identity.did.slice(10, 26)}`, signer: o.identity });
    try {
      const svc = new DealerService(o, files);
      await svc.#link.init();
      return svc;
    } catch (e) {
      await files.close();
      throw e;
    }
  }

  /** May `did` request lots (a configured coordinator)? */
  mayRequest(did: string): boolean {
    return this.#o.coordinators.has(did);
  }

  /** The dealer's health answer. */
  health(): { status: 'ok'; did: string; lots_issued: number } {
    return { status: 'ok', did: this.did, lots_issued: this.#store.lotsIssued() };
  }

  /**
   * Deals `count` triples for a program and delivers them; returns the lot and the custodians that
   * acknowledged it.
   * @throws CustodiansUnavailableError (503) when fewer than K custodians took the lot.
   */
  async deal(programId: string, count: number, custodians?: readonly { index: number; url: string }[]): Promise<{ lot_id: string; count: number; holders: number[] }> {
    if (!Number.isSafeInteger(count) || count < 1 || count > MAX_LOT) throw new InvalidArgumentError(`"count" expected 1..${MAX_LOT}`);
    const n = this.#o.custodians.length;
    const lotId = toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    let indices = this.#o.custodians.map((_, i) => i);
    let shares;
    if (custodians === undefined) {
      shares = dealTriples(count, { k: this.#o.threshold, n });
    } else {
      // After a rotation: the coordinator names the set; each card (pinned per index) gives its x.
      const set = await this.#cardsOf(custodians);
      indices = set.map((c) => c.index);
      shares = dealTriples(count, { k: this.#o.threshold, n: set.length, xs: set.map((c) => c.card.x) });
    }
    const delivered = await Promise.allSettled(shares.map(async (s, j) => {
      const i = indices[j]!;
      const card = await this.#link.card(i);
      if (card.card.x !== s.x) throw new Error(`custodian ${i} has abscissa ${card.card.x}`);
      let box: Uint8Array;
      const plain = concatBytes(s.a, s.b, s.c);
      try {
        box = await seal(card.card.kemPublicKey, plain, boxAad('triples', programId, card.card.did, lotId, String(count)));
      } finally {
        plain.fill(0); s.a.fill(0); s.b.fill(0); s.c.fill(0);
      }
      await this.#link.call(i, '/install_beaver', { program_id: programId, lot_id: lotId, count, box: base64Encode(box) }, 'POST', 60_000);
      return i;
    }));
    const holders = delivered.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const record = canonicalBytes({ type: 'mpc.dealer.lot', program_id: programId, lot_id: lotId, count, holders });
    await this.#store.commit(() => this.#store.addLot(lotId, programId, count, holders), [record]);
    if (holders.length < this.#o.threshold) throw new CustodiansUnavailableError(`Only ${holders.length}/${this.#o.threshold} custodians took the triples`);
    return { lot_id: lotId, count, holders };
  }

  async #cardsOf(custodians: readonly { index: number; url: string }[]): Promise<LinkedCustodian[]> {
    if (new Set(custodians.map((c) => c.index)).size !== custodians.length) throw new InvalidArgumentError('"custodians" repeats an index');
    if (custodians.length < this.#o.threshold) throw new InvalidArgumentError(`"custodians" expected at least ${this.#o.threshold}`);
    for (const c of custodians) this.#link.enroll(c.index, { url: c.url });
    const got = await Promise.allSettled(custodians.map((c) => this.#link.card(c.index)));
    const set = got.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (set.length < this.#o.threshold) throw new CustodiansUnavailableError(`Only ${set.length}/${this.#o.threshold} custodians reachable for the lot`);
    return set;
  }

  /** The dealer's audit trail (read-only). */
  auditLog(): AuditReader {
    return this.#trail;
  }

  /** Closes the store and the trail, then releases the data dir. */
  async close(): Promise<void> {
    await this.#files.close();
  }
}
