// The seed's AMD SEV-SNP and Intel TDX backends (backends/sev_snp.py, backends/tdx.py — stubs that
// raise there). Ours pair a memory backend, which enumerates and hashes the workload's regions
// (ProcessMemoryBackend, FileBackend, InMemoryBackend), with an EvidenceSource that asks the TEE
// for a report or quote carrying the ML-DSA report's binding digest (evidence.ts): SEV-SNP through
// /dev/sev-guest (SNP_GET_EXT_REPORT) or configfs-tsm, TDX through configfs-tsm. The platform name
// in every claim is the TEE's, so a verifier knows evidence must accompany the report. Browser-safe
// (the device sources live in quorumkit/attestation/node).

import type { AttestationBackend } from './backend.js';
import { BackendError } from './errors.js';
import type { EvidenceSource } from './evidence.js';
import type { MemoryRegion, RegionSnapshot } from './region.js';

/** A memory backend inside a TEE, with the TEE's evidence source. */
export class TeeBackend implements AttestationBackend {
  readonly name: string;
  readonly platform: EvidenceSource['platform'];
  readonly memory: AttestationBackend;
  readonly evidenceSource: EvidenceSource;

  /** @throws BackendError when `platform` is given and differs from the source's. */
  constructor(o: { memory: AttestationBackend; evidence: EvidenceSource; platform?: EvidenceSource['platform'] }) {
    if (o.platform !== undefined && o.platform !== o.evidence.platform) throw new BackendError(`a ${o.platform} backend needs a ${o.platform} evidence source, got ${o.evidence.platform}`);
    this.memory = o.memory;
    this.evidenceSource = o.evidence;
    this.platform = o.evidence.platform;
    this.name = `${this.platform}+${o.memory.name}`;
  }

  listRegions(workloadId: string): Promise<MemoryRegion[]> | MemoryRegion[] {
    return this.memory.listRegions(workloadId);
  }

  snapshot(region: MemoryRegion): Promise<RegionSnapshot> | RegionSnapshot {
    return this.memory.snapshot(region);
  }
}

/** The seed's AMDSEVSNPBackend: a memory backend bound to SEV-SNP evidence. */
export class AmdSevSnpBackend extends TeeBackend {
  constructor(o: { memory: AttestationBackend; evidence: EvidenceSource }) {
    super({ ...o, platform: 'amd-sev-snp' });
  }
}

/** The seed's IntelTDXBackend: a memory backend bound to TDX evidence. */
export class IntelTdxBackend extends TeeBackend {
  constructor(o: { memory: AttestationBackend; evidence: EvidenceSource }) {
    super({ ...o, platform: 'intel-tdx' });
  }
}

/** Is this backend one with a TEE evidence source? */
export function isTeeBackend(b: AttestationBackend): b is TeeBackend {
  return b instanceof TeeBackend;
}
