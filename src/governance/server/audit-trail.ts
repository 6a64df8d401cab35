// The governance audit trail of one node: GovernanceAuditLog events (the seed's operations) written
// as RFC 8785 JSON entries to an RFC 6962 transparency log, with an ML-DSA-signed checkpoint after
// each state change (one checkpoint per batch of events). Node-only (the log lives in SQLite).

import { utf8Decode, utf8Encode } from '../../core/bytes.js';
import { canonicalize } from '../../core/canonical-json.js';
import type { Envelope, EnvelopeSigner } from '../../envelope/types.js';
import type { TransparencyLog } from '../../log/index.js';
import type { GovernanceAuditEntry } from '../index.js';

/** What one {@link GovernanceAuditTrail.commit} appended. */
export interface CommitReceipt {
  /** Log index of the first appended entry. */
  readonly firstIndex: number;
  readonly count: number;
  /** The signed checkpoint covering them. */
  readonly checkpoint: Envelope;
}

/**
 * Appends audit events to a transparency log and checkpoints it.
 * @example
 * const trail = new GovernanceAuditTrail(TransparencyLog.open('log.db', { origin }), identity);
 * await trail.commit([audit.logProposalCreated(p)]);
 */
export class GovernanceAuditTrail {
  readonly log: TransparencyLog;
  readonly #signer: EnvelopeSigner;

  constructor(log: TransparencyLog, signer: EnvelopeSigner) {
    this.log = log;
    this.#signer = signer;
  }

  /** The log origin for a node did: `quorumkit/governance/<first 16 hex digits of the did hash>`. */
  static originFor(did: string): string {
    return `quorumkit/governance/${did.replace(/^did:pqaid:/, '').slice(0, 16)}`;
  }

  /**
   * Appends `entries` in one durable transaction and signs a checkpoint. Nothing is appended for
   * an empty batch (and no checkpoint is made).
   */
  async commit(entries: readonly GovernanceAuditEntry[]): Promise<CommitReceipt | null> {
    if (entries.length === 0) return null;
    const firstIndex = this.log.appendMany(entries.map((e) => utf8Encode(canonicalize(e))));
    const checkpoint = await this.log.checkpoint([this.#signer]);
    return { firstIndex, count: entries.length, checkpoint };
  }

  /** The entry at `index`, parsed. @throws RangeError when out of range. */
  entry(index: number): GovernanceAuditEntry {
    return JSON.parse(utf8Decode(this.log.entry(index))) as GovernanceAuditEntry;
  }

  /** The newest `limit` entries, newest first. */
  recent(limit = 100): { index: number; entry: GovernanceAuditEntry }[] {
    const out: { index: number; entry: GovernanceAuditEntry }[] = [];
    for (let i = this.log.size - 1; i >= 0 && out.length < limit; i--) out.push({ index: i, entry: this.entry(i) });
    return out;
  }
}
