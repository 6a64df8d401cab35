// quorumkit/attestation/node — the Node-only backends: live process memory through procfs, and
// weight files on disk. Everything else is in quorumkit/attestation (browser-safe).

export { ProcessMemoryBackend, parseProcMaps, type ProcMapping, type ProcessMemoryOptions } from './process-memory.js';
export { FileBackend } from './file-backend.js';
export { snpIoctlEvidenceSource, tsmEvidenceSource, type SnpIoctlEvidenceOptions, type TsmEvidenceOptions } from './evidence-sources.js';
