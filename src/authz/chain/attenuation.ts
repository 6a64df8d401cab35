// The attenuation rules of a delegation chain (UCAN / biscuit-style: authority only shrinks along
// the chain) and the link rules that tie a hop to its parent. A child hop, compared with its parent:
//   permissions        ⊆ the parent's
//   atpBudget          ≤ the parent's
//   maxActionsPerHour  ≤ the parent's
//   [validFrom, validUntil] ⊆ the parent's window
//   roleLct            = the parent's (a re-delegation acts in the role it was given; a new role would
//                        be new authority, since a role's permissions come from law)
//   depth              = the parent's + 1, at most MAX_DELEGATION_DEPTH
// and the parent must grant the `delegate` action (the seed engine's action for re-delegating): a
// client that leaves it out issues a delegation its agent cannot pass on.
// and it links to the parent: same societyId, delegator = the parent's delegate, parentHopId = the
// parent's hop id, a delegationId not used above it. Both issueDelegation and verifyDelegationChain
// apply these, so a widening hop signed by hand, without issueDelegation, is still refused. Pure.

import { MAX_DELEGATION_DEPTH } from '../delegation.js';
import type { DelegationHopBody } from './hop.js';

/** The permission a hop must grant for its delegate to re-delegate (the seed engine's `delegate` action). */
export const DELEGATE_PERMISSION = 'delegate';

/** An attenuation rule a hop can break (`delegate`: its parent does not grant re-delegation). */
export type AttenuationRule = 'delegate' | 'permissions' | 'budget' | 'rate' | 'window' | 'role' | 'depth';

/** One broken attenuation rule. */
export interface AttenuationViolation {
  readonly rule: AttenuationRule;
  readonly message: string;
}

/**
 * Every attenuation rule `child` breaks against `parent` (empty when it only narrows).
 *
 * @example
 * checkAttenuation(parent, { ...parent, atpBudget: parent.atpBudget + 1 })[0].rule // 'budget'
 */
export function checkAttenuation(parent: DelegationHopBody, child: DelegationHopBody): AttenuationViolation[] {
  const out: AttenuationViolation[] = [];
  const held = new Set(parent.permissions);
  if (!held.has(DELEGATE_PERMISSION)) out.push({ rule: 'delegate', message: `the parent does not grant "${DELEGATE_PERMISSION}", so its delegate cannot re-delegate` });
  const extra = child.permissions.filter((p) => !held.has(p));
  if (extra.length > 0) out.push({ rule: 'permissions', message: `permissions ${JSON.stringify(extra.slice(0, 8))} are not granted by the parent` });
  if (child.atpBudget > parent.atpBudget) out.push({ rule: 'budget', message: `atpBudget ${child.atpBudget} exceeds the parent's ${parent.atpBudget}` });
  if (child.maxActionsPerHour > parent.maxActionsPerHour) out.push({ rule: 'rate', message: `maxActionsPerHour ${child.maxActionsPerHour} exceeds the parent's ${parent.maxActionsPerHour}` });
  if (child.validFrom < parent.validFrom || child.validUntil > parent.validUntil) {
    out.push({ rule: 'window', message: `validity [${child.validFrom}, ${child.validUntil}] is outside the parent's [${parent.validFrom}, ${parent.validUntil}]` });
  }
  if (child.roleLct !== parent.roleLct) out.push({ rule: 'role', message: 'roleLct differs from the parent\'s (a re-delegation keeps its role)' });
  if (child.depth !== parent.depth + 1 || child.depth > MAX_DELEGATION_DEPTH) {
    out.push({ rule: 'depth', message: `depth ${child.depth} is not the parent's ${parent.depth} + 1 within ${MAX_DELEGATION_DEPTH}` });
  }
  return out;
}

/**
 * Every link rule `child` breaks against `parent` whose hop id is `parentHopId`, given the
 * delegation ids of the hops above it (empty when it links).
 */
export function checkLink(parent: DelegationHopBody, parentHopId: string, child: DelegationHopBody, idsAbove: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (child.societyId !== parent.societyId) out.push('societyId differs from the parent\'s');
  if (child.delegator !== parent.delegate) out.push('delegator is not the parent\'s delegate');
  if (child.parentHopId !== parentHopId) out.push('parentHopId does not name the parent hop');
  if (idsAbove.has(child.delegationId)) out.push('delegationId repeats one above it in the chain');
  return out;
}
