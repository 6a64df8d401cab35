// The seed's stub law, kept as the default for compatibility (Web4 authorization_engine.py b62c7bee,
// LawOracle.get_role_permissions / check_action_legality). CLEARLY A STUB: roles are matched by
// substring of the role id and every action is legal. Use `LawOracle` (oracle.ts) for real law.
//   role id contains "researcher" or "assistant" → read, write, compute, delegate; trust 0.5; ≤ 500 ATP; no witness
//   role id contains "spender"                  → compute, read, write;          trust 0.5; ≤ 100 ATP; no witness
//   any other role                              → read;                          trust 0.7; ≤ 10 ATP;  witness required
// The no-delegation citizen role `role:citizen:{lct}` therefore matches "assistant" when the LCT
// does (`role:citizen:lct:ai:assistant`). Browser-safe.

import { LEGAL, type Law, type RolePermissions } from './types.js';

const SEALED = new WeakSet<object>();
/** A Set that refuses changes once built: the cached answers are shared by every decision. */
class ReadonlyActionSet extends Set<string> {
  constructor(actions: readonly string[]) {
    super(actions);
    SEALED.add(this);
  }
  override add(v: string): this {
    if (SEALED.has(this)) throw new TypeError('the stub law\'s action sets are read-only');
    return super.add(v);
  }
  override delete(): boolean {
    throw new TypeError('the stub law\'s action sets are read-only');
  }
  override clear(): void {
    throw new TypeError('the stub law\'s action sets are read-only');
  }
}

const role = (roleLct: string, actions: string[], limits: Record<string, number>, trustThreshold: number, requiresWitness: boolean, maxAtpPerAction: number): RolePermissions =>
  Object.freeze({ roleLct, allowedActions: new ReadonlyActionSet(actions), resourceLimits: Object.freeze(limits), trustThreshold, requiresWitness, maxAtpPerAction });

/**
 * The seed's stub law (version `v1.0.0`): substring-matched roles, every action legal. For
 * compatibility with the reference engine and its scenarios only — it trusts role *names*.
 */
function stubRole(roleLct: string): RolePermissions {
  if (roleLct.includes('researcher') || roleLct.includes('assistant')) return role(roleLct, ['read', 'write', 'compute', 'delegate'], { storage: 10000, compute: 1000 }, 0.5, false, 500);
  if (roleLct.includes('spender')) return role(roleLct, ['compute', 'read', 'write'], { storage: 1000, compute: 500 }, 0.5, false, 100);
  return role(roleLct, ['read'], { storage: 100, compute: 10 }, 0.7, true, 10);
}

// The answers are frozen and depend on the role id alone, so they are kept (up to CACHE_MAX role ids,
// then the cache starts over) instead of building a Set per decision.
const CACHE_MAX = 4096;
const cache = new Map<string, RolePermissions>();

export const SEED_STUB_LAW: Law = Object.freeze({
  version: 'v1.0.0',
  rolePermissions(roleLct: string): RolePermissions {
    let r = cache.get(roleLct);
    if (r === undefined) {
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(roleLct, (r = stubRole(roleLct)));
    }
    return r;
  },
  checkLegality: () => LEGAL,
});
