// quorumkit/tee/testing — a TEST PKI and FAKE TEE devices, for tests and demos without hardware.
// NOTHING here is AMD's or Intel's, and no verifier trusts it unless its root is passed explicitly
// (`trustedRoots` / `snpRoots`, `trustedRoot` / `tdxRoot`). SEV-SNP: createTestSnpPki (ARK → ASK →
// VCEK, ASVK → VLEK) and FakeSnpSigner (SNP_GET_REPORT, SNP_GET_EXT_REPORT, SNP_GET_DERIVED_KEY);
// TDX: createTestTdxPki (root → PCK Platform CA → PCK, root → TCB Signing) and FakeTdxQuoter
// (TDX_CMD_GET_REPORT0, v4/v5 quotes); in-process EvidenceSources for attestBound. Browser-safe.
// Re-exports only.

export { createTestSnpPki } from './snp-pki.js';
export type { TestSnpPki, TestSnpPkiOptions, TestSnpTcb, TestSnpVlek } from './snp-pki.js';
export { writeSnpReport, signSnpReport, encodeSnpTcb, SNP_TEST_CPUID } from './snp-report-writer.js';
export type { SnpReportFields } from './snp-report-writer.js';
export { FakeSnpSigner, decodeSnpKeyRequest, SNP_KEY_REQ_BYTES, SNP_DERIVED_KEY_BYTES } from './snp-signer.js';
export type { FakeSnpGuest, FakeSnpSignerOptions, SnpDerivedKeyRequest } from './snp-signer.js';
export { createTestTdxPki } from './tdx-pki.js';
export type { TestTdxPki, TestTdxPkiOptions, TestPckPlatform } from './tdx-pki.js';
export { writeTdReport, fakeTdReportMac } from './tdreport-writer.js';
export type { TdReportFields } from './tdreport-writer.js';
export { FakeTdxQuoter } from './tdx-quoter.js';
export type { FakeTd, FakeTdxQuoterOptions } from './tdx-quoter.js';
export { fakeSnpEvidenceSource, fakeTdxEvidenceSource } from './evidence-sources.js';
