// An attestation claim (the seed's claim.py AttestationClaim): one region, its snapshot, the hash
// it is expected to have, the workload and platform, and the verifier's nonce for freshness. Wire
// form = the seed's `to_dict()` (snake_case), so its canonical bytes reproduce. Browser-safe.

import type { MemoryRegion, RegionSnapshot } from './region.js';

/** A claim about one region's state. */
export interface AttestationClaim {
  /** `urn:pqc-att:<32 hex>`. */
  readonly claim_id: string;
  readonly region: MemoryRegion;
  readonly snapshot: RegionSnapshot;
  /** The hash the region should have ('' = none pinned). */
  readonly expected_hash: string;
  readonly workload_id: string;
  /** `amd-sev-snp`, `intel-tdx`, `in-memory`, … */
  readonly platform: string;
  /** The verifier's nonce, hex ('' = none). */
  readonly nonce: string;
}

/** A fresh random id with `prefix` (`urn:pqc-att:` + 32 hex, as the seed's uuid4().hex). */
export function randomUrn(prefix: string): string {
  return `${prefix}${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
}

/** A claim with a fresh id. */
export function createClaim(o: { region: MemoryRegion; snapshot: RegionSnapshot; expectedHash?: string; workloadId?: string; platform?: string; nonce?: string }): AttestationClaim {
  return {
    claim_id: randomUrn('urn:pqc-att:'),
    region: o.region,
    snapshot: o.snapshot,
    expected_hash: o.expectedHash ?? '',
    workload_id: o.workloadId ?? '',
    platform: o.platform ?? '',
    nonce: o.nonce ?? '',
  };
}
