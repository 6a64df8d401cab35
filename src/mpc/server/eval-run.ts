// The coordinator's side of one batch evaluation (QuorumVM's _eval_beaver, made secure): start the
// evaluation on every participating custodian, then for each Beaver layer open ε and δ from their
// shares — checking, whenever more than K answered, that all shares lie on one polynomial of degree
// K − 1 (engine/openings.ts) and failing closed otherwise — and send the opened values back; last,
// open the outputs the same way. The outputs are masked by the client (each custodian adds its share
// of the client's random mask r), so the coordinator opens y + r and never holds an output, an
// input, or K shares of one. Any K responsive custodians suffice: a custodian that fails, times out
// or answers malformed is dropped, and fewer than K left is a 503. Each round's requests to the
// custodians share one ML-DSA request-set signature (CustodianLink.round). Node-free.

import { concatBytes } from '../../core/bytes.js';
import { FIELD_ELEMENT_BYTES } from '../../field/constants.js';
import { MpcOpeningInconsistentError, openShares, type CircuitPlan } from '../engine/index.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { ServiceCallError } from '../../http/client.js';
import { CustodiansUnavailableError, TripleReusedError } from '../errors.js';
import { decodePacked, encodePacked } from '../wire.js';
import type { CustodianLink } from './custodian-link.js';
import type { StepAnswer } from './custodian-service.js';
import type { TripleRange } from './custodian-store.js';

/** What one evaluation needs. */
export interface EvalRun {
  readonly programId: string;
  readonly requestId: string;
  readonly batch: number;
  readonly plan: CircuitPlan;
  readonly k: number;
  /** Sealed inputs (base64) per participating custodian index. */
  readonly boxes: ReadonlyMap<number, string>;
  readonly triples: readonly TripleRange[];
  /**
   * Called when a custodian refuses the start because a triple range was used already, with the
   * lot and the offset up to which it says the lot is used (ERR_MPC_TRIPLE_REUSED's details).
   */
  readonly onTriplesUsed?: (lotId: string, usedUntil: number) => void;
  /**
   * After such a refusal, fresh triples (and the custodians holding them) to start over with, once,
   * or null when the pool has none: every custodian then starts on the same new triples (a
   * custodian replaces a started evaluation of the same request id).
   */
  readonly reallocate?: () => { readonly triples: readonly TripleRange[]; readonly custodians: readonly number[] } | null;
  /** Called once at least K custodians started: from then on the evaluation has consumed triples on K custodians. */
  readonly onStarted?: () => void;
}

/** Codes with which a custodian refuses the caller's sealed inputs (the box, or its size). */
const INPUT_REFUSALS = new Set(['ERR_SEAL_OPEN_FAILED', 'ERR_INVALID_ARGUMENT']);

/** The masked outputs (base64 packed, per output id) and who took part to the end. */
export interface EvalOutcome {
  readonly outputs: Record<string, string>;
  readonly custodians: number[];
}

/** The custodians still taking part, by index, with their last answer. */
export type Live<A = StepAnswer> = Map<number, A>;

/** The custodians whose call succeeded; fewer than k is a 503 (shared with legacy-eval-run.ts). */
export function keepLive<A = StepAnswer>(indices: readonly number[], settled: PromiseSettledResult<A>[], k: number, what: string): Live<A> {
  const live: Live<A> = new Map();
  settled.forEach((r, i) => {
    if (r.status === 'fulfilled' && r.value !== null && typeof r.value === 'object') live.set(indices[i]!, r.value);
  });
  if (live.size < k) throw new CustodiansUnavailableError(`Only ${live.size}/${k} custodians ${what}`, { details: { responded: live.size, needed: k } });
  return live;
}

/** Opens one vector from the live custodians' shares; drops malformed answers; throws on inconsistency (shared with legacy-eval-run.ts). */
export function open<A = StepAnswer>(live: Live<A>, k: number, shares: (a: A) => Uint8Array, xs: Map<number, bigint>, what: string): Uint8Array {
  const responses: { x: bigint; y: Uint8Array }[] = [];
  const order: number[] = [];
  for (const [i, a] of live) {
    try {
      responses.push({ x: xs.get(i)!, y: shares(a) });
      order.push(i);
    } catch {
      live.delete(i); // malformed: treated as unresponsive
    }
  }
  if (responses.length < k) throw new CustodiansUnavailableError(`Only ${responses.length}/${k} custodians answered ${what}`, { details: { responded: responses.length, needed: k } });
  const r = openShares(responses, k);
  if (r.ok) return r.values;
  const culprit = r.culprit === undefined ? undefined : order[responses.findIndex((s) => s.x === r.culprit)];
  throw new MpcOpeningInconsistentError(`custodian shares of ${what} are inconsistent: evaluation refused`, { details: culprit === undefined ? {} : { culprit } });
}

/**
 * Fewer than K started and some custodian refused the caller's sealed inputs: that is the caller's
 * bad input (400, naming the custodians), not an outage.
 */
function refuseBadInputs(indices: readonly number[], settled: readonly PromiseSettledResult<StepAnswer>[], k: number): void {
  const bad = indices.filter((_, j) => {
    const r = settled[j]!;
    return r.status === 'rejected' && r.reason instanceof ServiceCallError && r.reason.status === 400 && INPUT_REFUSALS.has(r.reason.code);
  });
  if (bad.length === 0 || settled.filter((r) => r.status === 'fulfilled').length >= k) return;
  const first = settled[indices.indexOf(bad[0]!)] as PromiseRejectedResult;
  throw new InvalidArgumentError(`custodian(s) ${bad.join(', ')} refused the sealed inputs: ${(first.reason as Error).message}`, { details: { custodians: bad } });
}

/** A custodian's "triple range used, the lot up to offset N" refusal, or null for any other failure. */
function usedReport(reason: unknown): { lotId: string; usedUntil: number } | null {
  if (!(reason instanceof ServiceCallError) || reason.code !== TripleReusedError.code) return null;
  const { lot_id: lotId, used_until: usedUntil } = reason.details as { lot_id?: unknown; used_until?: unknown };
  return typeof lotId === 'string' && typeof usedUntil === 'number' && Number.isSafeInteger(usedUntil) ? { lotId, usedUntil } : null;
}

/**
 * Runs the evaluation to its masked outputs.
 * @throws CustodiansUnavailableError (503) below K responsive custodians; MpcOpeningInconsistentError (502).
 */
export async function runEval(link: CustodianLink, run: EvalRun): Promise<EvalOutcome> {
  const { programId, requestId, batch, plan, k } = run;
  const start = (ranges: readonly TripleRange[], indices: readonly number[]): Promise<PromiseSettledResult<StepAnswer>[]> => {
    const triples = ranges.map((t) => ({ lot_id: t.lotId, offset: t.offset, count: t.count }));
    return link.round<StepAnswer>(indices, '/eval_beaver', indices.map((i) => ({ program_id: programId, request_id: requestId, batch, inputs: run.boxes.get(i), triples })));
  };
  let starting = [...run.boxes.keys()];
  let started = await start(run.triples, starting);
  // Triples an earlier life of this coordinator (or of a custodian) handed out or claimed: skip
  // them, and start over once on fresh ones so that every custodian takes part.
  if (started.some((r) => r.status === 'rejected' && usedReport(r.reason) !== null)) {
    for (const r of started) {
      const used = r.status === 'rejected' ? usedReport(r.reason) : null;
      if (used !== null) run.onTriplesUsed?.(used.lotId, used.usedUntil);
    }
    const fresh = run.reallocate?.() ?? null;
    if (fresh !== null) {
      starting = starting.filter((i) => fresh.custodians.includes(i));
      started = await start(fresh.triples, starting);
    }
  }
  refuseBadInputs(starting, started, k);
  let live = keepLive(starting, started, k, 'started the evaluation');
  run.onStarted?.();
  const xs = new Map<number, bigint>();
  for (const [i, a] of live) xs.set(i, BigInt(String(a.x)));
  for (let layer = 0; layer < plan.layers.length; layer++) {
    const n = plan.layers[layer]!.size * batch;
    const opened = open(live, k, (a) => {
      if (a.status !== 'mul_pending' || a.layer !== layer) throw new Error('out of step');
      return concatBytes(decodePacked('epsilon_shares', a.epsilon_shares, n), decodePacked('delta_shares', a.delta_shares, n));
    }, xs, `layer ${layer}`);
    const body = { program_id: programId, request_id: requestId, epsilon: encodePacked(opened.subarray(0, n * FIELD_ELEMENT_BYTES)), delta: encodePacked(opened.subarray(n * FIELD_ELEMENT_BYTES)) };
    const indices = [...live.keys()];
    live = keepLive(indices, await link.round<StepAnswer>(indices, '/beaver_round2', indices.map(() => body)), k, `finished layer ${layer}`);
  }
  const ids = plan.outputIds;
  const values = open(live, k, (a) => {
    if (a.status !== 'done') throw new Error('not done');
    return concatBytes(...ids.map((id) => decodePacked(`outputs.${id}`, a.outputs[id], batch)));
  }, xs, 'the outputs');
  const outputs: Record<string, string> = {};
  const per = batch * FIELD_ELEMENT_BYTES;
  ids.forEach((id, j) => { outputs[id] = encodePacked(values.subarray(j * per, (j + 1) * per)); });
  return { outputs, custodians: [...live.keys()].sort((a, b) => a - b) };
}
