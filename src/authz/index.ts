// quorumkit/authz — the authorization engine for agent actions (issue 11; the Web4
// authorization_engine.py design). So far: the condition language of law norms and policies, and
// the law: LawOracle, law documents with their JSON Schema, checkPolicy.
// Browser-safe.

export * from './condition/index.js';
export { AuthzError, ConditionSyntaxError, LawDocumentError } from './errors.js';
export * from './law/index.js';
