// What `--legacy` mode runs: QuorumVM's programs — circuits with public `const` weights and no
// `secret` parameters (QuorumVM's IR has none; its one secret S_v is shared to the custodians but
// never enters an evaluation). Every Beaver multiplication of the plan (each `mul`, and each `mux`,
// whose s·a is a product of two shared values — QuorumVM computes it locally, which is wrong) has a
// FIFO triple pool named by its node id, as in QuorumVM's `triple_shares`. Node-free.

import { InvalidArgumentError } from '../../core/errors.js';
import type { CircuitPlan } from '../engine/index.js';

/**
 * Refuses a plan legacy mode cannot run.
 * @throws InvalidArgumentError (400) for a program with `secret` parameters.
 */
export function assertLegacyPlan(plan: CircuitPlan): void {
  if (plan.secretIds.length > 0) throw new InvalidArgumentError('legacy mode runs QuorumVM programs, which have no `secret` parameters: install this program in the default mode');
}

/** The node ids of the plan's Beaver multiplications, in triple-layout order (layer by layer). */
export function multiplicationIds(plan: CircuitPlan): string[] {
  return plan.layers.flatMap((l) => l.nodeIds);
}
