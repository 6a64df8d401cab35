// quorumkit/attestation/node — the Node-only backends: live process memory through procfs, and
// weight files on disk. Everything else is in quorumkit/attestation (browser-safe).

export { ProcessMemoryBackend, parseProcMaps, type ProcMapping, type ProcessMemoryOptions } from './process-memory.js';
export { FileBackend, type BackendSnapshot, type FileBackendOptions } from './file-backend.js';
export { MAX_BACKEND_CHUNK_BYTES, MAX_TREE_LEAVES, TREE_WINDOW_BYTES, type TreeSnapshotOption } from './_tree-read.js';
export { snpIoctlEvidenceSource, tsmEvidenceSource, type SnpIoctlEvidenceOptions, type TsmEvidenceOptions } from './evidence-sources.js';
