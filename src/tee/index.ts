// quorumkit/tee — TEE evidence, browser-safe: AMD SEV-SNP reports (parse, verify against pinned AMD
// roots, Azure HCL unwrapping), Intel TDX quotes v4/v5 (parse, verify against the pinned Intel SGX
// root, CRLs and collateral), and the SNP certificate table. Fetching evidence is in
// quorumkit/tee/node. X.509 through pkijs (docs/tee.md).

export * from './errors.js';
export * from './snp/index.js';
export * from './tdx/index.js';
export { parseCertTable, buildCertTable, SNP_CERT_GUIDS, MAX_CERT_TABLE_ENTRIES, type CertTableEntry } from './cert-table.js';
export { parseTeePolicy, parseSnpPolicyJson, parseTdxPolicyJson, MAX_POLICY_VALUES, type TeePolicy } from './policy-json.js';
export { detectEvidenceKind, type TeeEvidenceKind } from './detect.js';
