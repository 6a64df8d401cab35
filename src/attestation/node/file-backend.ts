// Attesting weight files on disk: each configured file is a region (address 0, its size), its
// snapshot the SHA3-256 of its bytes read in chunks now. Node-only.

import { closeSync, fstatSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { BackendError, InvalidRegionError } from '../errors.js';
import { memoryRegion, type MemoryRegion, type RegionSnapshot } from '../region.js';
import { pythonIsoformat } from '../_time.js';
import type { AttestationBackend } from '../backend.js';
import { hashRange } from './_read.js';

/** Files as regions (see the header). */
export class FileBackend implements AttestationBackend {
  readonly name = 'file';
  readonly platform = 'file';
  readonly #files: Map<string, string>;
  readonly #onProgress: ((regionId: string, done: number, total: number) => void) | undefined;

  /** `files`: region id → path (default id: the file's name). */
  constructor(files: Readonly<Record<string, string>> | readonly string[], o: { onProgress?: (regionId: string, done: number, total: number) => void } = {}) {
    const entries = Array.isArray(files) ? (files as readonly string[]).map((p) => [basename(p), p] as const) : Object.entries(files as Record<string, string>);
    if (entries.length === 0) throw new InvalidRegionError('"files" expected at least one file');
    this.#files = new Map(entries);
    if (this.#files.size !== entries.length) throw new InvalidRegionError('"files" repeats a region id');
    this.#onProgress = o.onProgress;
  }

  #open(path: string): { fd: number; size: number } {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw new BackendError(`cannot open ${path}: ${(e as { code?: string }).code ?? (e as Error).message}`);
    }
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      throw new BackendError(`${path} is not a regular file`);
    }
    return { fd, size: st.size };
  }

  listRegions(_workloadId: string): MemoryRegion[] {
    return [...this.#files].map(([id, path]) => {
      const { fd, size } = this.#open(path);
      closeSync(fd);
      return memoryRegion({ region_id: id, description: path, address: 0, size, protection: 'RO' });
    });
  }

  /** @throws InvalidRegionError for an unknown region; BackendError when the file cannot be read or changed size. */
  snapshot(region: MemoryRegion): RegionSnapshot {
    const path = this.#files.get(region.region_id);
    if (path === undefined) throw new InvalidRegionError(`region ${region.region_id} not registered`);
    const { fd, size } = this.#open(path);
    try {
      const at = new Date();
      const hash = hashRange(fd, 0, size, this.#onProgress && ((d, t) => this.#onProgress!(region.region_id, d, t)));
      return { region_id: region.region_id, content_hash: hash, size, taken_at: pythonIsoformat(at) };
    } catch (e) {
      throw new BackendError(`cannot read ${path}: ${(e as { code?: string }).code ?? (e as Error).message}`);
    } finally {
      closeSync(fd);
    }
  }
}
