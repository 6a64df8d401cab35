// quorumkit/tee — TEE evidence, browser-safe: the SEV-SNP certificate table (more to come: SNP
// report and TDX quote parsing and verification). Fetching evidence is in quorumkit/tee/node.

export { parseCertTable, buildCertTable, SNP_CERT_GUIDS, MAX_CERT_TABLE_ENTRIES, type CertTableEntry } from './cert-table.js';
