// quorumkit attestation service (Node-only): config, store, service and HTTP app. Re-exports only.
export { AttestConfigError, RegionUnavailableError, EvidenceUnavailableError } from './errors.js';
export { parseAttestConfig, MAX_CONFIG_SOURCES, type AttestConfig, type RegionSource } from './config.js';
export { AttestService, MAX_QUEUED_ISSUES, type AttestServiceOptions, type IssueRequest, type IssuedReport, type VerifyRequest, type VerifyAnswer } from './service.js';
export { createAttestApp, MAX_REPORT_LIST } from './app.js';
