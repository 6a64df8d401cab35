// quorumkit/mpc — threshold MPC over F_p (p = 2^127 − 1), QuorumVM's design made secure: the DSL
// compiler and program packages, the share-level engine (Beaver multiplication, checked openings,
// triples, resharing), the custodian, coordinator and dealer services (Node), the client, and
// QuorumVM's audit chain and legacy HMAC approvals. Browser code imports `quorumkit/mpc/client`.
export * from './client/index.js';
export * from './engine/index.js';
export * from './server/index.js';
export { hmacApproval, verifyHmacApproval, QUORUMVM_DEFAULT_HMAC_KEYS } from './legacy-hmac.js';
export { auditResponseText } from './audit-chain.js';
