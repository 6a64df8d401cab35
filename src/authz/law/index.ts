// The law of quorumkit/authz: the Law interface the engine asks, the norm-based LawOracle, law
// documents (`quorumkit/authz-law/v1`) with their JSON Schema, and the policy checker. Browser-safe.

export * from './types.js';
export { LawOracle, lawToDocument } from './oracle.js';
export { defaultLawDocument } from './defaults.js';
export {
  parseLawDocument,
  LAW_SCHEMA_ID,
  LAW_NAME_PATTERN,
  LAW_LABEL_PATTERN,
  MAX_LAW_DOCUMENT_CHARS,
  MAX_LAW_ROLES,
  MAX_LAW_NORMS,
  MAX_LAW_PROCEDURES,
  MAX_LAW_LIST_ITEMS,
  MAX_LAW_WITNESSES,
  MAX_LAW_ID_CHARS,
  MAX_LAW_TEXT_CHARS,
  MAX_LAW_RESOURCE_LIMITS,
  type LawDocument,
  type LawRole,
  type LawRoleBody,
  type LawNorm,
  type AllowNorm,
  type LimitNorm,
  type RequireNorm,
  type LawProcedure,
} from './document.js';
export { LAW_DOCUMENT_SCHEMA } from './schema.js';
export { LAW_SCALAR_FIELDS, LAW_OBJECT_FIELDS, ALWAYS_PRESENT_FIELDS, lawContext } from './context.js';
export { checkPolicy, POLICY_FINDING_CODES, MAX_POLICY_ANALYSIS_STEPS, type PolicyFinding, type PolicyFindingCode, type PolicySeverity } from './check-policy.js';
