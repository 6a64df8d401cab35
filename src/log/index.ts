// quorumkit/log — RFC 6962 transparency log: durable SQLite store (Node), signed checkpoints,
// inclusion and consistency proofs, and the offline verifier (browser-safe: ./verifier.ts).
export * from './verifier.js';
export { TransparencyLog, MAX_ENTRY_BYTES, type OpenLogOptions } from './sqlite-log.js';
