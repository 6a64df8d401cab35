// Fuzzing the attestation parsers: parseReport over mutated seed reports and arbitrary JSON values
// returns a report or throws a typed error (AttestationError) — never an engine error — and the
// verifier never throws for whatever parseReport accepted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrict } from '../../src/core/parse-strict.js';
import { AttestationVerifier, createClaim, createReport, memoryRegion, parseReport, reportToJson, snapshotOf } from '../../src/attestation/index.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { jsonValue, mutateBytes, mutateValue, randomBytes } from './_inputs.js';
import { buildCertTable, parseCertTable } from '../../src/tee/cert-table.js';

// The base to mutate: an unsigned two-claim report built here (the seed's report dict has the same shape;
// test/attestation/seed.test.ts pins that), so this fuzz runs with or without the conformance vectors.
const regions = [memoryRegion({ region_id: 'model-weights-0', description: 'weights', address: 4096, size: 15 }), memoryRegion({ region_id: 'kv-cache', address: 0, size: 4, protection: 'RW' })];
const claims = regions.map((region, i) => createClaim({ region, snapshot: snapshotOf(region.region_id, new Uint8Array(region.size).fill(i)), expectedHash: 'ab'.repeat(32), workloadId: 'model-serving-1', platform: 'in-memory', nonce: '00112233445566778899aabbccddeeff' }));
const base = parseStrict(reportToJson(createReport(claims, { attesterId: 'did:pqaid:fuzz', platform: 'in-memory' }))) as Record<string, unknown>;

describe('attestation parsers under fuzzing', () => {
  it('parseReport: mutated reports and garbage give a report or a typed error; verify never throws', async () => {
    expect(parseReport(base).report_id).toBe(base['report_id']);
    await fuzzAsync('parseReport', fc.oneof(mutateValue(base), jsonValue({ hostile: true })), async (value) => {
      let report;
      try {
        report = parseReport(value);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('ERR_ATTESTATION');
        throw e; // the harness counts a typed error
      }
      const r = await AttestationVerifier.verify(report);
      expect(r.valid).toBe(false); // nothing here carries a genuine envelope
    }, fuzzRuns(2000));
  }, fuzzTimeout(2000, 10));

  it('parseCertTable: random and mutated tables give entries inside the blob or a typed error', () => {
    const table = buildCertTable([{ guid: 'vcek', bytes: new Uint8Array(300).fill(1) }, { guid: 'ask', bytes: new Uint8Array(40).fill(2) }]);
    fuzzSync('parseCertTable', fc.oneof(mutateBytes(table), randomBytes), (blob) => {
      for (const e of parseCertTable(blob)) expect(e.bytes.length).toBeGreaterThan(0);
    }, fuzzRuns(2000));
  });
});
