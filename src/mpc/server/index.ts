// The MPC services (Node): custodian, coordinator and dealer, each a domain service on the
// durable-service layer with its Hono app, and the helpers their CLI commands use.
export { CustodianService, MAX_EVAL_BATCH, type CustodianOptions, type CustodianTrust, type StepAnswer } from './custodian-service.js';
export { createCustodianApp } from './custodian-app.js';
export { CoordinatorService, DEFAULT_BEAVER_POOL_SIZE, MAX_COORDINATOR_BATCH, type CoordinatorOptions } from './coordinator-service.js';
export { createCoordinatorApp } from './coordinator-app.js';
export { DealerService, MAX_LOT, type DealerOptions } from './dealer-service.js';
export { createDealerApp } from './dealer-app.js';
export { CustodianLink, DEFAULT_CALL_TIMEOUT_MS, type CustodianEndpoint, type LinkedCustodian } from './custodian-link.js';
export { PolicyEngine } from './policy.js';
export { TriplePool, type Allocation } from './triple-pool.js';
export { loadServiceIdentity, loadChannelKey } from './service-keys.js';
export { MPC_MAX_BODY_BYTES } from './schemas.js';
// `--legacy` mode: QuorumVM's unsigned, integer-JSON API on the same domain code.
export { LegacyCustodianService, type LegacyCustodianOptions } from './legacy-custodian-service.js';
export { createLegacyCustodianApp } from './legacy-custodian-app.js';
export { LegacyCoordinatorService, LEGACY_DEFAULT_POOL_SIZE, type LegacyCoordinatorOptions } from './legacy-coordinator-service.js';
export { createLegacyCoordinatorApp } from './legacy-coordinator-app.js';
