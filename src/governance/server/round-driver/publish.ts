// Round phases 6 and 7, publish and gather evidence: hand the verified result with its votes to
// every other peer holding the proposal (transient failures retried a few times with backoff; each
// peer's outcome reported), then collect the Byzantine evidence any peer recorded for the proposal
// (best effort, deduplicated by voter and votes). Node-only.

import type { ByzantineEvidenceJSON } from '../../index.js';
import type { Finalized } from './finalize.js';
import { backoffMs, isTransient, why, type PeerState, type RoundSession } from './session.js';

/** How often a publication to one peer is tried when it fails transiently. */
export const PUBLISH_ATTEMPTS = 3;

/** One peer's publication outcome. */
export interface Publication {
  readonly url: string;
  readonly ok: boolean;
  readonly error?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function publishTo(s: RoundSession, p: PeerState, final: Finalized): Promise<Publication> {
  for (let attempt = 1; ; attempt++) {
    try {
      await s.post(p, '/v1/results', final.answer);
      return { url: p.url, ok: true };
    } catch (e) {
      if (!isTransient(e) || attempt >= PUBLISH_ATTEMPTS) return { url: p.url, ok: false, error: why(e) };
      await sleep(backoffMs(attempt));
    }
  }
}

/** Publishes the result to every peer but its coordinator. */
export function publish(s: RoundSession, final: Finalized): Promise<Publication[]> {
  return Promise.all(s.proposed().filter((p) => p !== final.coordinator).map((p) => publishTo(s, p, final)));
}

/** The Byzantine evidence the peers recorded for this proposal, each double vote once. */
export async function gatherEvidence(s: RoundSession): Promise<ByzantineEvidenceJSON[]> {
  const evidence: ByzantineEvidenceJSON[] = [];
  const seen = new Set<string>();
  const answers = await Promise.all(s.proposed().map((p) => s.get<{ evidence: ByzantineEvidenceJSON[] }>(p, '/votes').catch(() => undefined)));
  for (const r of answers) {
    for (const e of Array.isArray(r?.evidence) ? r.evidence : []) {
      if (typeof e?.voterDid !== 'string' || !Array.isArray(e.votes)) continue; // a peer's garbage is not evidence
      const key = `${e.voterDid}|${e.votes.map((v) => v.payload).sort().join('|')}`;
      if (!seen.has(key)) evidence.push(e), seen.add(key);
    }
  }
  return evidence;
}
