// Fuzzing the wire parsers of TEE evidence and policies: parseEvidence over mutated genuine
// evidence (SEV-SNP and TDX JSON forms) and arbitrary JSON values, parseTeePolicy over mutated
// policy files, parseAttestConfig over mutated service configs, and detectEvidenceKind over random
// and mutated bytes — each returns a value or throws a typed error, never an engine error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/core/canonical-json.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { evidenceToJson, parseEvidence } from '../../src/attestation/index.js';
import { parseAttestConfig } from '../../src/attestation/server/index.js';
import { detectEvidenceKind, parseTeePolicy } from '../../src/tee/index.js';
import { describeVectors, readVectorBytes } from '../_vectors.js';
import { fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { jsonValue, mutateBytes, mutateValue, randomBytes } from './_inputs.js';

const policy = { 'sev-snp': { allow_debug: false, measurements: ['ab'.repeat(48)], minimum_tcb: { snp: 3 }, allowed_signers: ['vcek'] }, tdx: { rtmrs: [null, 'cd'.repeat(48)], accepted_tcb_statuses: ['UpToDate'] } };
const config = { workload_id: 'w', ttl_seconds: 60, regions: [{ file: '/etc/hostname', expected_hash: 'ab'.repeat(32) }, { pid: 1, path_pattern: 'x$', expected_hashes: { a: 'cd'.repeat(32) } }] };

describe('attestation wire parsers under fuzzing', () => {
  it('parseTeePolicy: mutated policies and garbage give a policy or a typed error', () => {
    fuzzSync('parseTeePolicy', fc.oneof(mutateValue(policy), jsonValue({ hostile: true })), (value) => {
      expect(typeof parseTeePolicy(value)).toBe('object');
    }, fuzzRuns(3000));
  }, fuzzTimeout(3000, 5));

  it('parseAttestConfig: mutated configs and garbage give a config or a typed error', () => {
    fuzzSync('parseAttestConfig', fc.oneof(mutateValue(config), jsonValue({ hostile: true })), (value) => {
      expect(parseAttestConfig(value).sources.length).toBeGreaterThan(0);
    }, fuzzRuns(3000));
  }, fuzzTimeout(3000, 5));
});

describeVectors('attestation evidence parsers under fuzzing (genuine evidence as seeds)', () => {
  const snp = parseStrict(canonicalize(evidenceToJson({ kind: 'sev-snp', report: readVectorBytes('tee/teekit/sev-gcp.bin'), vcek: readVectorBytes('tee/teekit/sev-gcp-vcek.pem'), chain: readVectorBytes('tee/go-sev-guest/ask_ark_milan.pem') })));
  const tdx = parseStrict(canonicalize(evidenceToJson({ kind: 'tdx', quote: readVectorBytes('tee/go-tdx-guest/quote_v5_sample.dat'), collateral: { pckCrl: readVectorBytes('tee/go-tdx-guest/pckcrl'), tcbInfo: '{}' } })));

  it('parseEvidence: mutated SNP / TDX evidence and garbage give evidence or a typed error', () => {
    expect(parseEvidence(snp).kind).toBe('sev-snp');
    expect(parseEvidence(tdx).kind).toBe('tdx');
    fuzzSync('parseEvidence', fc.oneof(mutateValue(snp), mutateValue(tdx), jsonValue({ hostile: true })), (value) => {
      const e = parseEvidence(value);
      expect(['sev-snp', 'tdx']).toContain(e.kind);
    }, fuzzRuns(3000));
  }, fuzzTimeout(3000, 5));

  it('detectEvidenceKind: random and mutated evidence bytes give a kind or a typed error', () => {
    const seeds = [readVectorBytes('tee/teekit/sev-gcp.bin'), readVectorBytes('tee/trustee/az-snp-vtpm_hcl-report.bin'), readVectorBytes('tee/go-tdx-guest/tdx_prod_quote_SPR_E4.dat')];
    fuzzSync('detectEvidenceKind', fc.oneof(randomBytes, ...seeds.map(mutateBytes)), (bytes) => {
      expect(['sev-snp', 'sev-snp-hcl', 'tdx']).toContain(detectEvidenceKind(bytes));
    }, fuzzRuns(5000));
  }, fuzzTimeout(5000, 5));
});
