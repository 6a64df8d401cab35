// quorumkit/tee SEV-SNP: report parsing (AMD SEV-SNP ABI spec Table 22), Azure HCL unwrapping,
// certificate decoding and verification against pinned AMD roots. Browser-safe. Re-exports only.
export { parseSnpReport, decodeSnpTcb, SNP_REPORT_BYTES, SNP_SIGNED_BYTES, SNP_REPORT_VERSIONS, SNP_FAMILY_TURIN } from './report.js';
export type { SnpReport, SnpGuestPolicy, SnpTcb, SnpPlatformInfo, SnpSignerInfo, SnpSigningKey } from './report.js';
export { unwrapHclSnpReport, isHclReport, HCL_HEADER_BYTES, HCL_REPORT_TYPE_SNP } from './hcl.js';
export type { HclSnpReport } from './hcl.js';
export { decodeSnpCertificates, readSnpLeafExtensions, issuerCommonName, AMD_OID } from './certs.js';
export type { SnpCertificate, SnpLeafExtensions } from './certs.js';
export { verifySnpChain, decodeTrustAnchors } from './chain.js';
export type { SnpCheck, SnpChainResult, SnpTrustAnchor } from './chain.js';
export { checkSnpPolicy, snpPolicyChecks, SNP_POLICY_KEYS } from './policy.js';
export type { SnpPolicy, SnpMinimumTcb } from './policy.js';
export { AMD_SNP_ROOTS, ARK_MILAN_PEM, ARK_GENOA_PEM, ARK_TURIN_PEM } from './roots.js';
export type { SnpProduct, SnpRoot } from './roots.js';
export { AMD_SNP_INTERMEDIATES, ASK_MILAN_PEM, ASK_GENOA_PEM, ASK_TURIN_PEM, ASVK_MILAN_PEM, ASVK_GENOA_PEM, ASVK_TURIN_PEM } from './intermediates.js';
export { verifySnpReport } from './verify.js';
export type { VerifySnpOptions, SnpVerificationResult } from './verify.js';
