// quorumkit/attestation — signed memory-attestation reports (the pqc-hypervisor-attestation seed's
// design): regions and SHA3-256 snapshots, claims, reports under an ML-DSA envelope with a validity
// window, the attester, the verifier (drift detection, the seed's error strings), backends and the
// continuous loop. Browser-safe.

export { memoryRegion, hashBytes, snapshotOf, MAX_REGION_ID, MAX_DESCRIPTION, type MemoryRegion, type RegionSnapshot, type Protection } from './region.js';
export { createClaim, randomUrn, type AttestationClaim } from './claim.js';
export {
  createReport, reportBody, canonicalReportBytes, reportDigest, isExpired, reportToJson, parseReport,
  DEFAULT_REPORT_TTL_S, MAX_REPORT_TTL_S, MAX_CLAIMS, type ReportBody, type AttestationReport,
} from './report.js';
export { Attester, REPORT_PAYLOAD_KIND } from './attester.js';
export { AttestationVerifier, type VerificationResult, type VerifyReportOptions } from './verifier.js';
export { InMemoryBackend, type AttestationBackend } from './backend.js';
export { ContinuousAttester } from './continuous.js';
export { TeeBackend, AmdSevSnpBackend, IntelTdxBackend, isTeeBackend } from './tee-backend.js';
export { bindingDigest, isBoundTo, BINDING_BYTES } from './binding.js';
export { treeSnapshotOf, TrackedRegion } from './tree-snapshot.js';
export { attestBound, type EvidenceSource, type BoundReport } from './evidence.js';
export { verifyBoundReport, type TeeEvidence, type VerifyBoundOptions, type BoundVerification } from './bound.js';
export { verifyEvidence, type VerifyEvidenceOptions, type TeeEvidenceVerification } from './evidence-verify.js';
export { evidenceToJson, parseEvidence, MAX_EVIDENCE_BYTES, MAX_PEM_CHARS, MAX_COLLATERAL_BYTES, type EvidenceJson, type SnpEvidenceJson, type TdxEvidenceJson } from './evidence-json.js';
export { AttestationError, InvalidRegionError, AttestationVerificationError, RegionDriftError, BackendError, UnknownBackendError, InvalidEvidenceError } from './errors.js';
