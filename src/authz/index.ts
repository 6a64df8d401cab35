// quorumkit/authz — the authorization engine for agent actions (issue 11; the Web4
// authorization_engine.py design). So far: the condition language of law norms and policies, and signed delegation chains with attenuation.
// Browser-safe.

export * from './condition/index.js';
export * from './chain/index.js';
export {
  AuthzError, ConditionSyntaxError, DelegationAttenuationError, DelegationChainError, DelegationSignatureError,
} from './errors.js';
