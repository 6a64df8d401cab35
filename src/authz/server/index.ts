// quorumkit authorization service (Node-only): store, service and HTTP app over the browser-safe
// engine in src/authz. Re-exports only.
export { AuthzService, DEFAULT_WITNESS_TIMEOUT_SECONDS, type AuthzServiceOptions, type DecisionAnswer, type RequestState } from './service.js';
export { createAuthzApp } from './app.js';
export { AuthzStore, type StoredDelegation, type StoredRequest, type StoredDecision, type DelegationCounters } from './store.js';
export { DelegationRegistry, type RevocationPlan } from './registry.js';
export { DeferredRequests, type DeferredHost, type RedecisionRecord } from './deferred.js';
