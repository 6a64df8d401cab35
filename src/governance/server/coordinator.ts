// Driving one consensus round over HTTP from the proposer's side (`quorumkit governance propose`):
// broadcast the signed proposal, ask every peer for its ballot (waiting for queued human votes up
// to a deadline), deliver every vote to every peer, have one peer finalize as coordinator, and
// publish the signed result with its votes to every other peer. All requests are signed.
// A node refuses to finalize before the proposal expires while the members who have not voted could
// still change the decision (409 ERR_CONSENSUS_FAILED): the driver then keeps polling the pending
// ballots, delivering new votes and retrying until the outcome is settled or the proposal expires.
// The answer of the finalizing peer is never trusted: it is re-verified with verifyResultOffline
// against the registry history (given, or served by every accepted peer, all of which must accept
// it) before it is reported or republished; a peer answering with a forged result is skipped, and
// when no peer gives a valid one the round fails with ERR_SIGNATURE_INVALID (CLI exit 2).

import { ForbiddenError, InvalidArgumentError, IoError } from '../../core/errors.js';
import type { Envelope, EnvelopeSigner } from '../../envelope/types.js';
import { callService, ServiceCallError } from '../../http/index.js';
import { SignatureInvalidError } from '../../pq/errors.js';
import { ConsensusResult, GovernanceProposal, RegistryHistory, verifyResultOffline, type ByzantineEvidenceJSON } from '../index.js';

/** A peer node: its base URL and, optionally, the did it must answer with. */
export interface Peer {
  readonly url: string;
  readonly did?: string;
}

/** What {@link runRound} reports. */
export interface RoundOutcome {
  readonly result: ConsensusResult;
  readonly votes: Envelope[];
  /** Byzantine evidence any peer recorded for this proposal. */
  readonly evidence: ByzantineEvidenceJSON[];
  /** URL of the peer that finalized. */
  readonly coordinator: string;
  /** Peers that gave no vote (unreachable, queued past the deadline, or refusing). */
  readonly missing: string[];
  /** Per-peer publication outcome. */
  readonly published: { url: string; ok: boolean; error?: string }[];
}

/** Options of {@link runRound}. */
export interface RunRoundOptions {
  /** The proposer (signs requests; must be a registry member). */
  readonly signer: EnvelopeSigner;
  readonly peers: readonly Peer[];
  /** A proposal signed by its proposer (envelope attached). */
  readonly proposal: GovernanceProposal;
  /** How long to wait for queued (human) votes, default 0. */
  readonly waitMs?: number;
  readonly pollMs?: number;
  /** Progress lines (e.g. to stderr). */
  readonly progress?: (line: string) => void;
  /**
   * The registry history to verify the result against. Default: the history served by every
   * accepted peer (the result must verify under each one that knows its registry version).
   */
  readonly history?: RegistryHistory;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Parses a peers file: `{ "peers": [ { "url": "http://127.0.0.1:7001", "did": "did:pqaid:…" } ] }`
 * (did optional), or a bare array of such objects or URL strings.
 * @throws QuorumkitError `ERR_INVALID_ARGUMENT` naming the first problem.
 */
export function parsePeers(json: unknown): Peer[] {
  const list = Array.isArray(json) ? json : isObject(json) && Object.keys(json).join() === 'peers' ? json['peers'] : undefined;
  if (!Array.isArray(list) || list.length === 0 || list.length > 1000) throw new InvalidArgumentError('peers expected { "peers": [ { "url", "did"? } ] } with 1..1000 peers');
  return list.map((p, i) => {
    const o = typeof p === 'string' ? { url: p } : p;
    if (!isObject(o) || Object.keys(o).some((k) => k !== 'url' && k !== 'did')) throw new InvalidArgumentError(`peers[${i}] expected { url, did? }`);
    let u: URL;
    try {
      u = new URL(String(o['url']));
    } catch {
      throw new InvalidArgumentError(`peers[${i}].url is not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidArgumentError(`peers[${i}].url expected http(s)`);
    if (o['did'] !== undefined && (typeof o['did'] !== 'string' || !o['did'].startsWith('did:pqaid:'))) throw new InvalidArgumentError(`peers[${i}].did expected a did:pqaid`);
    return { url: u.origin, ...(o['did'] === undefined ? {} : { did: o['did'] as string }) };
  });
}

const path = (id: string, tail = ''): string => `/v1/proposals/${encodeURIComponent(id)}${tail}`;
const why = (e: unknown): string => (e instanceof ServiceCallError ? `${e.status} ${e.code}: ${e.message}` : (e as Error).message);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a full round over HTTP.
 * @throws QuorumkitError `ERR_INVALID_ARGUMENT` when no peer accepted the proposal (with the first
 *   refusal's reason), `ERR_IO` when no peer could finalize, `ERR_SIGNATURE_INVALID` when peers
 *   answered only with results that fail offline verification.
 */
export async function runRound(options: RunRoundOptions): Promise<RoundOutcome> {
  const { signer, peers, proposal } = options;
  const progress = options.progress ?? (() => undefined);
  if (proposal.envelope === undefined) throw new TypeError('"proposal" expected a signed proposal (envelope attached)');
  const id = proposal.proposalId;

  const dids = new Map<string, string>();
  const accepted: Peer[] = [];
  let firstRefusal: unknown;
  await Promise.all(
    peers.map(async (p) => {
      try {
        const node = await callService<{ did: string }>(p.url, '/v1/node');
        if (p.did !== undefined && node.did !== p.did) throw new ForbiddenError(`peer ${p.url} answers as ${node.did}, not ${p.did}`);
        dids.set(p.url, node.did);
        await callService(p.url, '/v1/proposals', { body: { proposal: proposal.envelope }, signer, audience: node.did });
        accepted.push(p);
      } catch (e) {
        firstRefusal ??= e;
        progress(`peer ${p.url} did not accept the proposal: ${why(e)}`);
      }
    }),
  );
  if (accepted.length === 0) {
    const Refusal = firstRefusal instanceof ServiceCallError && firstRefusal.status < 500 ? InvalidArgumentError : IoError;
    throw new Refusal(`no peer accepted the proposal: ${why(firstRefusal)}`);
  }
  progress(`proposal ${id} accepted by ${accepted.length}/${peers.length} peers`);

  const votes = new Map<string, Envelope>();
  const pending = new Set(accepted.map((p) => p.url));
  const delivered = new Set<string>();
  const pollMs = options.pollMs ?? 250;
  const pollBallots = async (): Promise<void> => {
    await Promise.all(
      [...pending].map(async (url) => {
        try {
          const a = await callService<{ status: string; vote?: Envelope }>(url, path(id, '/ballot'), { body: {}, signer, audience: dids.get(url)! });
          if (a.status === 'cast' && a.vote) {
            votes.set(url, a.vote);
            pending.delete(url);
          }
        } catch (e) {
          pending.delete(url);
          progress(`peer ${url} gave no ballot: ${why(e)}`);
        }
      }),
    );
  };
  const deliverVotes = async (): Promise<void> => {
    const fresh = [...votes].filter(([from]) => !delivered.has(from));
    for (const [from] of fresh) delivered.add(from);
    await Promise.all(
      accepted.map(async (p) => {
        for (const [from, vote] of fresh) {
          if (from === p.url) continue;
          try {
            await callService(p.url, path(id, '/votes'), { body: { vote }, signer, audience: dids.get(p.url)! });
          } catch (e) {
            progress(`peer ${p.url} refused the vote from ${from}: ${why(e)}`);
          }
        }
      }),
    );
  };
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    await pollBallots();
    if (pending.size === 0 || Date.now() >= deadline) break;
    await sleep(pollMs);
  }
  for (const url of pending) progress(`peer ${url}: vote still queued for a human`);
  progress(`collected ${votes.size} votes`);
  await deliverVotes();

  let histories: RegistryHistory[] | undefined;
  const check = async (answer: { result: Envelope; votes: Envelope[] }): Promise<string | null> => {
    if (histories === undefined) histories = options.history !== undefined ? [options.history] : await peerHistories(accepted, progress);
    let version: number | undefined;
    try {
      version = ConsensusResult.fromEnvelope(answer?.result).registryVersion;
    } catch (e) {
      return (e as Error).message;
    }
    const usable = histories.filter((h) => version === undefined || h.version >= version);
    if (usable.length === 0) return 'no registry history to verify it against';
    for (const h of usable) {
      const verdict = await verifyResultOffline(answer.result, answer.votes, h, { proposal });
      if (!verdict.valid) return verdict.reasons.slice(0, 3).join('; ');
    }
    return null;
  };

  const ordered = [...accepted].sort((a, b) => Number(dids.get(b.url) === signer.did) - Number(dids.get(a.url) === signer.did));
  const expiresAt = Date.parse(proposal.expiresAt);
  let final: { result: Envelope; votes: Envelope[] } | undefined;
  let coordinator = '';
  let forged: string | undefined;
  for (;;) {
    let unsettled = false;
    for (const p of ordered) {
      let answer: { result: Envelope; votes: Envelope[] } | undefined;
      try {
        answer = await callService<{ result: Envelope; votes: Envelope[] }>(p.url, path(id, '/finalize'), { body: {}, signer, audience: dids.get(p.url)! });
      } catch (e) {
        if (e instanceof ServiceCallError && e.status === 409 && e.code === 'ERR_CONSENSUS_FAILED') {
          unsettled = true;
          progress(`peer ${p.url} will not finalize yet: ${why(e)}`);
          continue;
        }
        if (e instanceof ServiceCallError && e.status === 409) {
          try {
            answer = await callService<{ result: Envelope; votes: Envelope[] }>(p.url, `/v1/results/${encodeURIComponent(id)}`);
          } catch {
            /* try the next peer */
          }
        }
        if (answer === undefined) {
          progress(`peer ${p.url} could not finalize: ${why(e)}`);
          continue;
        }
      }
      const bad = await check(answer);
      if (bad !== null) {
        forged ??= `peer ${p.url} answered with a result that does not verify: ${bad}`;
        progress(`peer ${p.url} answered with a result that does not verify: ${bad}`);
        continue;
      }
      final = answer;
      coordinator = p.url;
      break;
    }
    // Unsettled before expiry: wait for the missing votes (or the expiry, after which any peer finalizes).
    if (final !== undefined || !unsettled || Date.now() > expiresAt + 60_000) break;
    await sleep(pollMs);
    await pollBallots();
    await deliverVotes();
  }
  if (final === undefined) {
    if (forged !== undefined) throw new SignatureInvalidError(forged);
    throw new IoError(`no peer could finalize proposal ${id}`);
  }
  const result = ConsensusResult.fromEnvelope(final.result);
  progress(`finalized by ${coordinator}: ${result.decision} (${result.reason})`);

  const published = await Promise.all(
    accepted.filter((p) => p.url !== coordinator).map(async (p) => {
      try {
        await callService(p.url, '/v1/results', { body: final, signer, audience: dids.get(p.url)! });
        return { url: p.url, ok: true };
      } catch (e) {
        return { url: p.url, ok: false, error: why(e) };
      }
    }),
  );
  const evidence: ByzantineEvidenceJSON[] = [];
  const seen = new Set<string>();
  for (const p of accepted) {
    try {
      const r = await callService<{ evidence: ByzantineEvidenceJSON[] }>(p.url, path(id, '/votes'));
      for (const e of r.evidence) {
        const key = `${e.voterDid}|${e.votes.map((v) => v.payload).sort().join('|')}`;
        if (!seen.has(key)) evidence.push(e), seen.add(key);
      }
    } catch {
      /* evidence is best effort */
    }
  }
  return { result, votes: final.votes, evidence, coordinator, missing: peers.map((p) => p.url).filter((u) => !votes.has(u)), published };
}

/** The registry histories served by `peers` (each re-verified from its genesis by RegistryHistory.fromJSON). */
async function peerHistories(peers: readonly Peer[], progress: (line: string) => void): Promise<RegistryHistory[]> {
  const out: RegistryHistory[] = [];
  await Promise.all(
    peers.map(async (p) => {
      try {
        out.push(await RegistryHistory.fromJSON(await callService<unknown>(p.url, '/v1/registry/history')));
      } catch (e) {
        progress(`peer ${p.url} gave no valid registry history: ${why(e)}`);
      }
    }),
  );
  return out;
}
