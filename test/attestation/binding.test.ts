// The report ↔ TEE binding: bindingDigest is SHA3-512 of the report body's canonical bytes (64
// bytes, REPORT_DATA / REPORTDATA size); isBoundTo accepts exactly that, and any change to the body
// (a claim's nonce, say) or to the 64 bytes breaks it.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { sha3_512 } from '../../src/hash/index.js';
import { BINDING_BYTES, bindingDigest, canonicalReportBytes, createClaim, createReport, isBoundTo, memoryRegion, snapshotOf } from '../../src/attestation/index.js';

describe('binding a report to TEE evidence', () => {
  it('is SHA3-512 of the canonical body; the nonce and every byte count', () => {
    const region = memoryRegion({ region_id: 'w', address: 0, size: 3 });
    const claim = createClaim({ region, snapshot: snapshotOf('w', new Uint8Array([1, 2, 3])), nonce: 'aa'.repeat(16) });
    const report = createReport([claim]);
    const d = bindingDigest(report);
    expect(d.length).toBe(BINDING_BYTES);
    expect(toHex(d)).toBe(toHex(sha3_512(canonicalReportBytes(report))));
    expect(isBoundTo(report, d)).toBe(true);
    const flipped = d.slice(); flipped[63]! ^= 1;
    expect(isBoundTo(report, flipped)).toBe(false);
    expect(isBoundTo(report, d.subarray(0, 32))).toBe(false);
    expect(isBoundTo({ ...report, claims: [{ ...claim, nonce: 'bb'.repeat(16) }] }, d)).toBe(false);
  });
});
