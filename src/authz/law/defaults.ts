// The upstream default law, as a `quorumkit/authz-law/v1` document: Web4 law_oracle.py (commit
// 648e509d) `create_default_law_dataset` — norms ALLOW-READ / ALLOW-WRITE / ALLOW-COMPUTE,
// LIMIT-ATP-PER-ACTION (atp_cost <= 1000), LIMIT-STORAGE (resource.storage <= 10000),
// DENY-DELETE-UNWITNESSED (a REQUIRE: delete → a witness), REQUIRE-WITNESS-HIGH-ATP (atp_cost > 500
// → two witnesses); procedures PROC-HIGH-VALUE (atp_cost > 500: 2 witnesses, 1 h) and PROC-DELETE
// (delete: 3 witnesses, quorum 2, 2 h). Norm and procedure ids are upstream's; reasons are ours.
//
// Roles. Upstream binds no role: `get_role_permissions` derives one for *any* role id from the
// norms — the ALLOW actions, the LIMIT caps, trust 0.5 — and sets `requires_witness` whenever any
// REQUIRE norm's condition mentions "witness", whatever the action. Both default REQUIRE norms do,
// so at upstream HEAD every role requires a witness and every legal request is deferred
// (seeds/web4/scenarios_head.json: `grant_read_10` → deferred). We keep the derived role as
// `defaultRole` but with `requiresWitness: false`: a REQUIRE norm applies to the requests its
// `when` matches (→ LegalityVerdict.witnessesRequired), never to a whole role. Browser-safe.

import { LAW_SCHEMA_ID, type LawDocument } from './document.js';

/**
 * The upstream default law for `societyId` as a plain document (see the module header for what
 * differs from upstream and why). Pass it to `new LawOracle(…)`, or use `LawOracle.defaults`.
 * @example
 * JSON.stringify(defaultLawDocument('society:research'), null, 2); // examples/authz/law.json
 */
export function defaultLawDocument(societyId: string, version = '1.0.0'): LawDocument {
  return {
    schema: LAW_SCHEMA_ID,
    version,
    society: societyId,
    lawOracle: `lct:web4:oracle:law:${societyId}:1`,
    roles: [],
    defaultRole: { actions: ['read', 'write', 'compute'], resourceLimits: { storage: 10000 }, trustThreshold: 0.5, requiresWitness: false, maxAtpPerAction: 1000 },
    norms: [
      { id: 'ALLOW-READ', type: 'ALLOW', when: 'action == "read"', reason: 'reading is allowed' },
      { id: 'ALLOW-WRITE', type: 'ALLOW', when: 'action == "write"', reason: 'writing is allowed, within the limits' },
      { id: 'ALLOW-COMPUTE', type: 'ALLOW', when: 'action == "compute"', reason: 'computing is allowed, within the ATP limits' },
      { id: 'LIMIT-ATP-PER-ACTION', type: 'LIMIT', condition: 'atp_cost <= 1000', reason: 'no single action may cost more than 1000 ATP' },
      { id: 'LIMIT-STORAGE', type: 'LIMIT', condition: 'resource.storage <= 10000', reason: 'storage quota per allocation' },
      { id: 'DENY-DELETE-UNWITNESSED', type: 'REQUIRE', when: 'action == "delete"', witnesses: 1, reason: 'a deletion needs a witness' },
      { id: 'REQUIRE-WITNESS-HIGH-ATP', type: 'REQUIRE', when: 'atp_cost > 500', witnesses: 2, reason: 'a costly action needs two witnesses' },
    ],
    procedures: [
      { id: 'PROC-HIGH-VALUE', triggers: ['atp_cost > 500'], witnesses: 2, quorum: 0, steps: ['verify_atp_budget', 'check_trust_score'], timeoutSeconds: 3600 },
      { id: 'PROC-DELETE', triggers: ['action == "delete"'], witnesses: 3, quorum: 2, steps: ['verify_deletion_target', 'confirm_intent'], timeoutSeconds: 7200 },
    ],
  };
}
