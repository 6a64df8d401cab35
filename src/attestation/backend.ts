// Attestation backends (the seed's backends/): a backend enumerates a workload's memory regions and
// snapshots a region's current bytes. InMemoryBackend is the seed's reference backend for tests and
// demos (regions and bytes held in maps). Browser-safe.

import { InvalidRegionError } from './errors.js';
import { snapshotOf, type MemoryRegion, type RegionSnapshot } from './region.js';

/** What every backend does. */
export interface AttestationBackend {
  readonly name: string;
  /** `amd-sev-snp`, `intel-tdx`, `in-memory`, … */
  readonly platform: string;
  /** The regions the workload owns. */
  listRegions(workloadId: string): Promise<MemoryRegion[]> | MemoryRegion[];
  /** A fresh SHA3-256 snapshot of the region's current bytes. */
  snapshot(region: MemoryRegion): Promise<RegionSnapshot> | RegionSnapshot;
}

/** Regions and their bytes in memory (the seed's InMemoryBackend). */
export class InMemoryBackend implements AttestationBackend {
  readonly name = 'in-memory';
  readonly platform = 'in-memory';
  readonly #regions = new Map<string, MemoryRegion>();
  readonly #contents = new Map<string, Uint8Array>();
  readonly #workloads = new Map<string, string[]>();

  /** Registers a region of a workload with its initial bytes (copied). */
  register(workloadId: string, region: MemoryRegion, content: Uint8Array): void {
    if (!(content instanceof Uint8Array)) throw new InvalidRegionError('"content" expected a Uint8Array');
    this.#regions.set(region.region_id, region);
    this.#contents.set(region.region_id, content.slice());
    const ids = this.#workloads.get(workloadId) ?? [];
    if (!ids.includes(region.region_id)) ids.push(region.region_id);
    this.#workloads.set(workloadId, ids);
  }

  /**
   * Overwrites a region's bytes (a legitimate mutation — or an attacker rewriting weights).
   * @throws InvalidRegionError for an unknown region (the seed's message).
   */
  update(regionId: string, content: Uint8Array): void {
    if (!this.#regions.has(regionId)) throw new InvalidRegionError(`no region with id ${regionId}`);
    this.#contents.set(regionId, content.slice());
  }

  listRegions(workloadId: string): MemoryRegion[] {
    return (this.#workloads.get(workloadId) ?? []).map((id) => this.#regions.get(id)!);
  }

  /** @throws InvalidRegionError for a region not registered (the seed's message). */
  snapshot(region: MemoryRegion): RegionSnapshot {
    const content = this.#contents.get(region.region_id);
    if (content === undefined) throw new InvalidRegionError(`region ${region.region_id} not registered`);
    return snapshotOf(region.region_id, content);
  }
}
