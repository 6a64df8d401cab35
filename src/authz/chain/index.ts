// Signed delegation chains with attenuation (UCAN / biscuit-like, in quorumkit's envelope format):
// the hop format (hop.ts), the attenuation rules (attenuation.ts), issuing (issue.ts) and offline
// verification (verify.ts). Re-exports only. Browser-safe.

export {
  DELEGATION_HOP_PAYLOAD_TYPE,
  DELEGATION_HOP_LIMITS,
  parseDelegationHopBody,
  readDelegationHop,
  delegationHopId,
  type DelegationHopBody,
  type DelegationHop,
} from './hop.js';
export { checkAttenuation, DELEGATE_PERMISSION, type AttenuationRule, type AttenuationViolation } from './attenuation.js';
export { issueDelegation, type DelegationHopFields, type IssueDelegationOptions } from './issue.js';
export {
  verifyDelegationChain,
  verifyDelegationChainOrThrow,
  type VerifyDelegationChainOptions,
  type DelegationChainVerification,
  type DelegationChainFailure,
  type DelegationChainFailureKind,
  type VerifiedDelegationChain,
} from './verify.js';
