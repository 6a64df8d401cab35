// The seed's stub law, kept as the default for compatibility (Web4 authorization_engine.py b62c7bee,
// LawOracle.get_role_permissions / check_action_legality). CLEARLY A STUB: roles are matched by
// substring of the role id and every action is legal. Use `LawOracle` (oracle.ts) for real law.
//   role id contains "researcher" or "assistant" → read, write, compute, delegate; trust 0.5; ≤ 500 ATP; no witness
//   role id contains "spender"                  → compute, read, write;          trust 0.5; ≤ 100 ATP; no witness
//   any other role                              → read;                          trust 0.7; ≤ 10 ATP;  witness required
// The no-delegation citizen role `role:citizen:{lct}` therefore matches "assistant" when the LCT
// does (`role:citizen:lct:ai:assistant`). Browser-safe.

import { LEGAL, type Law, type RolePermissions } from './types.js';

const role = (roleLct: string, actions: string[], limits: Record<string, number>, trustThreshold: number, requiresWitness: boolean, maxAtpPerAction: number): RolePermissions =>
  Object.freeze({ roleLct, allowedActions: new Set(actions), resourceLimits: Object.freeze(limits), trustThreshold, requiresWitness, maxAtpPerAction });

/**
 * The seed's stub law (version `v1.0.0`): substring-matched roles, every action legal. For
 * compatibility with the reference engine and its scenarios only — it trusts role *names*.
 */
export const SEED_STUB_LAW: Law = Object.freeze({
  version: 'v1.0.0',
  rolePermissions(roleLct: string): RolePermissions {
    if (roleLct.includes('researcher') || roleLct.includes('assistant')) return role(roleLct, ['read', 'write', 'compute', 'delegate'], { storage: 10000, compute: 1000 }, 0.5, false, 500);
    if (roleLct.includes('spender')) return role(roleLct, ['compute', 'read', 'write'], { storage: 1000, compute: 500 }, 0.5, false, 100);
    return role(roleLct, ['read'], { storage: 100, compute: 10 }, 0.7, true, 10);
  },
  checkLegality: () => LEGAL,
});
