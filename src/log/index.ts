// quorumkit/log — RFC 6962 transparency log: durable SQLite store (Node), signed checkpoints,
// inclusion and consistency proofs, the service audit trail (Node), and the offline verifier
// (browser-safe: ./verifier.ts).
export * from './verifier.js';
export { TransparencyLog, MAX_ENTRY_BYTES, type AppendOptions, type OpenLogOptions } from './sqlite-log.js';
export { AuditTrail, DEFAULT_CHECKPOINT_INTERVAL_MS, MAX_RECENT_ENTRIES, type AuditTrailOptions, type OpenAuditTrailOptions } from './audit-trail.js';
export { openServiceFiles, type ServiceFiles, type ServiceFilesOptions } from './service-files.js';
