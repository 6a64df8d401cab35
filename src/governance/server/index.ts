// quorumkit governance server (Node-only): persistence (node:sqlite), the audit transparency log,
// vote policies, the node REST API and the round driver. Not part of the browser bundle.

export { createGenesis, parseGenesis, sameGenesis } from './genesis.js';
export type { GenesisFile } from './genesis.js';
export { GovernanceStore } from './store.js';
export type { ProposalRow, ResultRow, GrantRow, ResultRecord, RegistrySnapshot } from './store.js';
export { VotePolicy, VOTE_POLICY_TYPE } from './vote-policy.js';
export type { PolicyAnswer, PolicyVerdict, VotePolicyRule } from './vote-policy.js';
export { GovernanceService } from './service.js';
export type { GovernanceServiceOptions, BallotAnswer, AuthorizationState, DecidedRound, NodeInfo, ProposalDetail, SyncReport } from './service.js';
export { DEFAULT_SYNC_INTERVAL_MS } from './peer-sync.js';
export { governanceLogOrigin } from './bootstrap.js';
export { createGovernanceApp, GOVERNANCE_MAX_BODY_BYTES } from './app.js';
export type { GovernanceAppOptions } from './app.js';
export { ENVELOPE_SCHEMA, SUBMIT_PROPOSAL_SCHEMA, SUBMIT_VOTE_SCHEMA, PUBLISH_RESULT_SCHEMA, EMPTY_SCHEMA, MAX_RESULT_VOTES } from './schemas.js';
export { parsePeers, runRound } from './coordinator.js';
export type { Peer, RoundOutcome, RunRoundOptions } from './coordinator.js';
