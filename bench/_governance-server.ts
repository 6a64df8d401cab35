// Bench-only bundle entry: what bench/governance-http.ts needs to run one governance node in its
// own process. The node server is not a package export (the CLI bundles it), so
// bench/_bundle.ts bundles this file from src/ with the options build.mjs uses for dist/ (esbuild,
// ESM, platform node, target node22, packages external, not minified) and the suite imports the
// bundle: one copy of every module, so the node, its identity and the baseline verifier share the
// same provider instances.

export { GovernanceService, VotePolicy, createGenesis, createGovernanceApp } from '../src/governance/server/index.js';
export type { DecidedRound, GenesisFile } from '../src/governance/server/index.js';
export { requireSignedRequest, serveApp, type RunningServer } from '../src/http/index.js';
export { Identity } from '../src/pq/identity.js';
export { mlDsa } from '../src/pq/ml-dsa.js';
export { pae } from '../src/envelope/pae.js';
export { base64Encode, utf8Encode } from '../src/core/bytes.js';
