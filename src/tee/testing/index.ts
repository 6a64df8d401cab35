// quorumkit/tee/testing — a TEST PKI and FAKE TEE devices, for tests and demos without hardware.
// NOTHING here is AMD's or Intel's, and no verifier trusts it unless its root is passed explicitly
// (`trustedRoots` / `snpRoots`, `trustedRoot` / `tdxRoot`). SEV-SNP: createTestSnpPki (ARK → ASK →
// VCEK, ASVK → VLEK) and FakeSnpSigner (SNP_GET_REPORT, SNP_GET_EXT_REPORT, SNP_GET_DERIVED_KEY);
// TDX: createTestTdxPki (root → PCK Platform CA → PCK, root → TCB Signing) and FakeTdxQuoter
// (TDX_CMD_GET_REPORT0, v4/v5 quotes); in-process EvidenceSources for attestBound. Browser-safe.
// Re-exports only.

export { writeTdReport, fakeTdReportMac } from './tdreport-writer.js';
export type { TdReportFields } from './tdreport-writer.js';
