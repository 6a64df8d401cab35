// Round phase 5, verify: the finalizing peer's answer is never trusted. It is re-verified with
// verifyResultOffline against the registry history — the one given, or the history served by every
// peer holding the proposal (each re-verified from its genesis), all of which must accept it.
// Node-only.

import type { Envelope } from '../../../envelope/types.js';
import { callService } from '../../../http/index.js';
import { ConsensusResult, RegistryHistory, verifyResultOffline } from '../../index.js';
import { why, type PeerState, type RoundSession } from './session.js';

/** A finalize (or stored result) answer: the signed result and the votes it counts. */
export interface RoundAnswer {
  readonly result: Envelope;
  readonly votes: Envelope[];
}

/** The registry histories served by `peers` (each re-verified from its genesis by RegistryHistory.fromJSON). */
async function peerHistories(s: RoundSession, peers: readonly PeerState[]): Promise<RegistryHistory[]> {
  const out: RegistryHistory[] = [];
  await Promise.all(
    peers.map(async (p) => {
      try {
        out.push(await RegistryHistory.fromJSON(await callService<unknown>(p.url, '/v1/registry/history')));
      } catch (e) {
        s.progress(`peer ${p.url} gave no valid registry history: ${why(e)}`);
      }
    }),
  );
  return out;
}

/** Checks answers against registry histories fetched once, on first use. */
export class ResultChecker {
  readonly #session: RoundSession;
  readonly #given: RegistryHistory | undefined;
  #histories: RegistryHistory[] | undefined;

  constructor(session: RoundSession, history?: RegistryHistory) {
    this.#session = session;
    this.#given = history;
  }

  /** Null when `answer` verifies under every usable history, else why not (up to three reasons). */
  async check(answer: RoundAnswer): Promise<string | null> {
    const s = this.#session;
    this.#histories ??= this.#given !== undefined ? [this.#given] : await peerHistories(s, s.proposed());
    let version: number | undefined;
    try {
      version = ConsensusResult.fromEnvelope(answer?.result).registryVersion;
    } catch (e) {
      return e instanceof Error ? e.message : 'malformed result';
    }
    const usable = this.#histories.filter((h) => version === undefined || h.version >= version);
    if (usable.length === 0) return 'no registry history to verify it against';
    for (const h of usable) {
      const verdict = await verifyResultOffline(answer.result, Array.isArray(answer.votes) ? answer.votes : [], h, { proposal: s.proposal });
      if (!verdict.valid) return verdict.reasons.slice(0, 3).join('; ');
    }
    return null;
  }
}
