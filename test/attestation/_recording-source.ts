// An EvidenceSource for tests of the plumbing: records the report data it is asked for and answers
// with "evidence" that is just those bytes (no signature — the verifier tests use the fake devices).
import type { EvidenceSource, TeeEvidence } from '../../src/attestation/index.js';

/** A source of `platform` answering with evidence of `kind` whose bytes are the report data. */
export function recordingSource(platform: EvidenceSource['platform'], kind: TeeEvidence['kind']): EvidenceSource & { asked: Uint8Array[] } {
  const asked: Uint8Array[] = [];
  return {
    platform, asked,
    evidence(reportData) {
      asked.push(reportData);
      return Promise.resolve(kind === 'tdx' ? { kind, quote: reportData.slice() } : { kind, report: reportData.slice() });
    },
  };
}
