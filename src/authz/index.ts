// quorumkit/authz — the authorization engine for agent actions (issue 11; the design of the Web4
// reference authorization_engine.py): requests decided against credentials, delegations, budgets,
// rate limits, the law, trust and witnesses; signed requests and LCT credentials; signed delegation
// chains with attenuation; the law (LawOracle, law documents, checkPolicy); scenario replay; the
// condition language of law norms and policies; witness attestations and decision receipts (the
// service itself: src/authz/server, Node-only). Browser-safe.

export * from './condition/index.js';
export * from './chain/index.js';
export * from './law/index.js';
export { AuthzError, ConditionSyntaxError, DelegationAttenuationError, DelegationChainError, DelegationSignatureError, LawDocumentError } from './errors.js';
export { DECISIONS, DENIAL_REASONS, CHECKS, type Decision, type DenialReason, type CheckName, type AuthorizationRequest, type AuthorizationResult } from './types.js';
export { AgentDelegation, DEFAULT_VALIDITY_SECONDS, DEFAULT_MAX_ACTIONS_PER_HOUR, MAX_DELEGATION_DEPTH, DELEGATION_LIMITS, type AgentDelegationInit } from './delegation.js';
export { AuthorizationEngine, authorizationRequest, WITNESS_TRUST_FLOOR, REQUEST_LIMITS, type AuthorizationEngineOptions, type AuthorizeOptions, type AuthorizationStats } from './engine.js';
export { AttestationLedger } from './attestation.js';
export { governanceGate, attestationGate, type DecisionGate, type GateContext, type GateDenial, type GovernanceGateOptions, type AttestationGateOptions, type AttestationRecord } from './gates.js';
export { isVerifiedCredential, seedStubCredential, type LctCredential } from './credential.js';
export { SEED_STUB_LAW } from './law/seed-stub.js';
export { constantTrust, tableTrust, SEED_STUB_TRUST, SEED_STUB_TRUST_SCORE, type TrustOracle } from './trust.js';
export { decisionAuditRecord, decisionLogHash, type DecisionAuditRecord, type DecisionRecordFields } from './decision-log.js';
export { signAuthorizationRequest, verifyAuthorizationRequest, parseRequestBody, requestDigest, AUTHZ_REQUEST_PAYLOAD_TYPE, DEFAULT_REQUEST_SKEW_SECONDS, MAX_CONTEXT_CHARS, type RequestToAuthorize, type VerifyAuthorizationRequestOptions, type VerifiedAuthorizationRequest } from './signed-request.js';
export { issueLctCredential, verifyLctCredential, LCT_CREDENTIAL_PAYLOAD_TYPE, type LctBinding } from './lct-credential.js';
export { replayScenarios, parseScenarioFile, REPLAY_LIMITS, type ReplayOptions, type ReplayResult, type ReplayedScenario } from './replay.js';
export { signWitnessAttestation, verifyWitnessAttestation, countWitnesses, parseWitnessBody, AUTHZ_WITNESS_PAYLOAD_TYPE, MAX_WITNESS_ATTESTATIONS, type WitnessAttestationBody, type CountWitnessesOptions } from './witness.js';
export { decisionRecord, decisionRecordBytes, decisionId, signDecisionReceipt, verifyDecisionReceipt, AUTHZ_RECEIPT_PAYLOAD_TYPE, type DecisionRecord, type DecisionReceiptBody, type ReceiptInclusionProof, type VerifyDecisionReceiptOptions, type DecisionReceiptVerification } from './receipt.js';
