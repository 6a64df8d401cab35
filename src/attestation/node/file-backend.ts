// Attesting weight files on disk: each configured file is a region (address 0, its size), its
// snapshot the SHA3-256 of its bytes read in chunks now — or, with the `tree` option, quorumkit's
// chunked tree hash (`hash_alg: 'sha3-256-tree'`) computed on the worker pool from bounded windows
// of the file (./_tree-read.ts). Node-only.

import { closeSync, fstatSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { BackendError, InvalidRegionError } from '../errors.js';
import { memoryRegion, type MemoryRegion, type RegionSnapshot } from '../region.js';
import { pythonIsoformat } from '../_time.js';
import type { AttestationBackend } from '../backend.js';
import { hashRange } from './_read.js';
import { treeChunkBytes, treeHashRange, type TreeSnapshotOption } from './_tree-read.js';

/** What `snapshot` returns: a promise in tree mode, the snapshot itself otherwise. */
export type BackendSnapshot<T extends TreeSnapshotOption | undefined> = T extends TreeSnapshotOption ? Promise<RegionSnapshot> : RegionSnapshot;

/** Options of {@link FileBackend}. */
export interface FileBackendOptions<T extends TreeSnapshotOption | undefined = undefined> {
  /** Called while a file is read (plain) or as windows of it are hashed (tree). */
  readonly onProgress?: (regionId: string, done: number, total: number) => void;
  /** Tree snapshots (`hash_alg: 'sha3-256-tree'`, `chunk_bytes`) instead of plain SHA3-256. */
  readonly tree?: T;
}

/** Files as regions (see the header). With `tree`, `snapshot` is asynchronous. */
export class FileBackend<T extends TreeSnapshotOption | undefined = undefined> implements AttestationBackend {
  readonly name = 'file';
  readonly platform = 'file';
  readonly #files: Map<string, string>;
  readonly #onProgress: ((regionId: string, done: number, total: number) => void) | undefined;
  readonly #tree: TreeSnapshotOption | undefined;

  /**
   * `files`: region id → path (default id: the file's name).
   * @throws InvalidRegionError for no files, a repeated id, or a `tree.chunkBytes` outside [1, 64 MiB].
   */
  constructor(files: Readonly<Record<string, string>> | readonly string[], o: FileBackendOptions<T> = {}) {
    const entries = Array.isArray(files) ? (files as readonly string[]).map((p) => [basename(p), p] as const) : Object.entries(files as Record<string, string>);
    if (entries.length === 0) throw new InvalidRegionError('"files" expected at least one file');
    this.#files = new Map(entries);
    if (this.#files.size !== entries.length) throw new InvalidRegionError('"files" repeats a region id');
    this.#onProgress = o.onProgress;
    if (o.tree !== undefined) treeChunkBytes(o.tree, 0);
    this.#tree = o.tree;
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

  /**
   * The file's snapshot now: plain SHA3-256, or with `tree` the tree snapshot (a promise).
   * @throws InvalidRegionError for an unknown region, or (tree) a file of more than 2^20 chunks;
   *   BackendError when the file cannot be read or changed size.
   */
  snapshot(region: MemoryRegion): BackendSnapshot<T> {
    if (this.#tree !== undefined) return this.#treeSnapshot(region, this.#tree) as BackendSnapshot<T>;
    const path = this.#path(region);
    const { fd, size } = this.#open(path);
    try {
      const at = new Date();
      const hash = hashRange(fd, 0, size, this.#progress(region));
      return { region_id: region.region_id, content_hash: hash, size, taken_at: pythonIsoformat(at) } as BackendSnapshot<T>;
    } catch (e) {
      throw readFailed(path, e);
    } finally {
      closeSync(fd);
    }
  }

  #path(region: MemoryRegion): string {
    const path = this.#files.get(region.region_id);
    if (path === undefined) throw new InvalidRegionError(`region ${region.region_id} not registered`);
    return path;
  }

  #progress(region: MemoryRegion): ((done: number, total: number) => void) | undefined {
    const f = this.#onProgress;
    return f && ((d, t) => f(region.region_id, d, t));
  }

  async #treeSnapshot(region: MemoryRegion, tree: TreeSnapshotOption): Promise<RegionSnapshot> {
    const path = this.#path(region);
    const { fd, size } = this.#open(path);
    try {
      const chunkBytes = treeChunkBytes(tree, size);
      const at = new Date();
      let hash: string;
      try {
        hash = await treeHashRange(fd, 0, size, chunkBytes, this.#progress(region));
      } catch (e) {
        throw readFailed(path, e);
      }
      return { region_id: region.region_id, content_hash: hash, size, taken_at: pythonIsoformat(at), hash_alg: 'sha3-256-tree', chunk_bytes: chunkBytes };
    } finally {
      closeSync(fd);
    }
  }
}

function readFailed(path: string, e: unknown): BackendError {
  return new BackendError(`cannot read ${path}: ${(e as { code?: string }).code ?? (e as Error).message}`);
}
