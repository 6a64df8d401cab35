// The `--legacy` coordinator's side of one evaluation, over QuorumVM's custodian endpoints: it sends
// each custodian its Shamir shares of the inputs (`/eval_beaver`, `input_shares: { name: { x, y } }`,
// naming the triple entry to use), opens each layer's ε and δ from the custodians' `mul_requests`
// and sends them back (`/beaver_round2`, `resolutions`), then opens the outputs — each opening
// checked to lie on one polynomial of degree K − 1 whenever more than K custodians answered, the
// same checked openings as the default mode (eval-run.ts). QuorumVM's coordinator lets the
// custodians open ε and δ among themselves instead (P2P); legacy custodians support both, and in
// legacy mode the coordinator deals the triples and sees inputs and outputs, so the P2P exchange
// hides nothing from it. Node-free.

import { packElements, unpackElements } from '../../field/index.js';
import type { CircuitPlan } from '../engine/index.js';
import { parseElement } from '../wire.js';
import { keepLive, open, type Live } from './eval-run.js';
import type { LegacyStepAnswer } from './legacy-custodian-service.js';

/** What one legacy evaluation needs. */
export interface LegacyEvalRun {
  /** An unsigned POST to custodian `index` (JSON with exact integers both ways). */
  readonly call: (index: number, path: string, body: unknown) => Promise<unknown>;
  readonly programId: string;
  readonly requestId: string;
  readonly plan: CircuitPlan;
  readonly k: number;
  /** Per participating custodian index, its input shares in QuorumVM's form. */
  readonly inputShares: ReadonlyMap<number, Record<string, { x: bigint; y: string }>>;
  /** The triple entry every custodian uses (none for a program without multiplications). */
  readonly triple?: { readonly lot_id: string; readonly offset: number };
}

/** Reads a custodian's pending layer as packed ε ‖ δ shares in layer order; throws when out of step. */
function layerShares(a: LegacyStepAnswer, ids: readonly string[]): Uint8Array {
  if (a.status !== 'mul_pending' || !Array.isArray(a.mul_requests) || a.mul_requests.length !== ids.length) throw new Error('out of step');
  const byId = new Map(a.mul_requests.map((r) => [r.node_id, r] as const));
  const eps: bigint[] = [], delta: bigint[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (r === undefined) throw new Error('out of step');
    eps.push(parseElement('epsilon_share', r.epsilon_share));
    delta.push(parseElement('delta_share', r.delta_share));
  }
  return packElements([...eps, ...delta]);
}

/** Reads a custodian's output shares (y, or `outputs` for several) in plan order. */
function outputShares(a: LegacyStepAnswer, ids: readonly string[]): Uint8Array {
  if (a.status !== 'done') throw new Error('not done');
  const values = ids.length === 1 ? [parseElement('y', a.y)] : ids.map((id) => parseElement(`outputs.${id}`, a.outputs?.[id]));
  return packElements(values);
}

/**
 * Runs the evaluation; returns the opened outputs (plan order) and who took part to the end.
 * @throws CustodiansUnavailableError (503) below K responsive custodians; MpcOpeningInconsistentError (502).
 */
export async function runLegacyEval(run: LegacyEvalRun): Promise<{ outputs: bigint[]; custodians: number[] }> {
  const { programId, requestId, plan, k } = run;
  const starting = [...run.inputShares.keys()];
  const xs = new Map(starting.map((i) => [i, BigInt(i + 1)] as const));
  const step = async (indices: readonly number[], path: string, body: (i: number) => unknown, what: string): Promise<Live<LegacyStepAnswer>> =>
    keepLive(indices, await Promise.allSettled(indices.map((i) => run.call(i, path, body(i)) as Promise<LegacyStepAnswer>)), k, what);
  let live = await step(starting, '/eval_beaver', (i) => ({ program_id: programId, request_id: requestId, input_shares: run.inputShares.get(i), ...(run.triple ? { triple: run.triple } : {}) }), 'responded');
  for (let layer = 0; layer < plan.layers.length; layer++) {
    const ids = plan.layers[layer]!.nodeIds;
    const opened = unpackElements(open(live, k, (a) => layerShares(a, ids), xs, `layer ${layer}`));
    const resolutions = ids.map((id, j) => ({ node_id: id, epsilon: opened[j]!.toString(), delta: opened[ids.length + j]!.toString() }));
    live = await step([...live.keys()], '/beaver_round2', () => ({ program_id: programId, request_id: requestId, resolutions }), 'completed');
  }
  const values = open(live, k, (a) => outputShares(a, plan.outputIds), xs, 'the outputs');
  return { outputs: unpackElements(values), custodians: [...live.keys()].sort((a, b) => a - b) };
}
