// Attesting a live process's memory (Linux procfs, proc(5)): the regions are the mappings listed in
// /proc/<pid>/maps that a selector picks (e.g. the mapping of a model's weights file, or every
// private writable mapping), read through /proc/<pid>/mem at their virtual addresses, SHA3-256 in
// chunks — or, with the `tree` option, quorumkit's chunked tree hash (`hash_alg: 'sha3-256-tree'`)
// on the worker pool from bounded windows of the range (./_tree-read.ts). Reading another process's memory needs ptrace access to it (same user and
// kernel.yama.ptrace_scope, or CAP_SYS_PTRACE): refusals and vanished processes are typed errors.
// Node-only.

import { closeSync, openSync, readFileSync } from 'node:fs';
import { BackendError, InvalidRegionError } from '../errors.js';
import { memoryRegion, type MemoryRegion, type Protection, type RegionSnapshot } from '../region.js';
import { pythonIsoformat } from '../_time.js';
import type { AttestationBackend } from '../backend.js';
import { hashRange } from './_read.js';
import { treeChunkBytes, treeHashRange, type TreeSnapshotOption } from './_tree-read.js';
import type { BackendSnapshot } from './file-backend.js';

/** One line of /proc/<pid>/maps. */
export interface ProcMapping {
  readonly start: number;
  readonly end: number;
  /** `r`, `w`, `x`, then `p` (private) or `s` (shared). */
  readonly perms: string;
  readonly offset: number;
  readonly path: string;
}

const MAPS_LINE = /^([0-9a-f]+)-([0-9a-f]+) ([r-][w-][x-][ps]) ([0-9a-f]+) \S+ \d+\s*(.*)$/;

/**
 * The mappings of a maps file's text (proc(5): `start-end perms offset dev inode [path]`); lines
 * that do not parse are skipped, addresses beyond 2^53 (the vsyscall page) too.
 */
export function parseProcMaps(text: string): ProcMapping[] {
  const out: ProcMapping[] = [];
  for (const line of text.split('\n')) {
    const m = MAPS_LINE.exec(line);
    if (m === null) continue;
    const start = parseInt(m[1]!, 16), end = parseInt(m[2]!, 16);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end <= start) continue;
    out.push({ start, end, perms: m[3]!, offset: parseInt(m[4]!, 16), path: m[5]!.trim() });
  }
  return out;
}

function protectionOf(perms: string): Protection {
  if (perms[2] === 'x') return 'RX';
  return perms[1] === 'w' ? 'RW' : 'RO';
}

function procError(pid: number, what: string, e: unknown): BackendError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ESRCH') return new BackendError(`process ${pid} is gone (${what})`);
  if (code === 'EACCES' || code === 'EPERM') return new BackendError(`no permission to read process ${pid}'s ${what} (needs ptrace access: same user and ptrace_scope, or CAP_SYS_PTRACE)`);
  return new BackendError(`cannot read process ${pid}'s ${what}: ${code ?? (e as Error).message}`);
}

/** Options of {@link ProcessMemoryBackend}. */
export interface ProcessMemoryOptions<T extends TreeSnapshotOption | undefined = undefined> {
  readonly pid: number;
  /** Which mappings to attest (default: readable ones backed by a file whose path matches `pathPattern`, else all readable private ones; never the kernel's [vvar]/[vsyscall] pages). */
  readonly select?: (m: ProcMapping) => boolean;
  /** Shorthand for `select`: readable mappings whose path matches. */
  readonly pathPattern?: RegExp;
  /** Called while a large region is read. */
  readonly onProgress?: (regionId: string, done: number, total: number) => void;
  /** Tree snapshots (`hash_alg: 'sha3-256-tree'`, `chunk_bytes`) instead of plain SHA3-256; `snapshot` is then asynchronous. */
  readonly tree?: T;
}

/** Regions of a live process (see the header). */
export class ProcessMemoryBackend<T extends TreeSnapshotOption | undefined = undefined> implements AttestationBackend {
  readonly name = 'process-memory';
  readonly platform = 'linux-process';
  readonly pid: number;
  readonly #select: (m: ProcMapping) => boolean;
  readonly #onProgress: ProcessMemoryOptions['onProgress'];
  readonly #tree: TreeSnapshotOption | undefined;

  /** @throws InvalidRegionError for a bad pid or a `tree.chunkBytes` outside [1, 64 MiB]. */
  constructor(o: ProcessMemoryOptions<T>) {
    if (!Number.isSafeInteger(o.pid) || o.pid < 1) throw new InvalidRegionError('"pid" expected a positive integer');
    this.pid = o.pid;
    const pattern = o.pathPattern;
    // The kernel's [vvar…] and [vsyscall] pages are listed readable but cannot be read through /proc/<pid>/mem.
    const readable = (m: ProcMapping): boolean => m.perms[0] === 'r' && !/^\[(?:vvar|vsyscall)/.test(m.path);
    this.#select = o.select ?? (pattern ? (m) => readable(m) && pattern.test(m.path) : (m) => readable(m) && m.perms[3] === 'p');
    this.#onProgress = o.onProgress;
    if (o.tree !== undefined) treeChunkBytes(o.tree, 0);
    this.#tree = o.tree;
  }

  /** The process's current mappings. @throws BackendError when the process is gone or unreadable. */
  mappings(): ProcMapping[] {
    try {
      return parseProcMaps(readFileSync(`/proc/${this.pid}/maps`, 'utf8'));
    } catch (e) {
      throw procError(this.pid, 'maps', e);
    }
  }

  /** The selected mappings as regions: id `<path or [anon]>@0x<start>`. The workload id is informational. */
  listRegions(_workloadId: string): MemoryRegion[] {
    return this.mappings().filter(this.#select).map((m) => memoryRegion({
      region_id: `${m.path === '' ? '[anon]' : m.path}@0x${m.start.toString(16)}`.slice(-256),
      description: `pid ${this.pid} ${m.perms} offset 0x${m.offset.toString(16)}`,
      address: m.start, size: m.end - m.start, protection: protectionOf(m.perms),
    }));
  }

  /**
   * The region's snapshot, read now through /proc/<pid>/mem: plain SHA3-256, or with `tree` the
   * tree snapshot (a promise).
   * @throws BackendError when the process is gone, unreadable, or the range is no longer mapped;
   *   InvalidRegionError (tree) for a region of more than 2^20 chunks.
   */
  snapshot(region: MemoryRegion): BackendSnapshot<T> {
    const progress = this.#onProgress && ((d: number, t: number) => this.#onProgress!(region.region_id, d, t));
    if (this.#tree !== undefined) return this.#treeSnapshot(region, this.#tree, progress) as BackendSnapshot<T>;
    const fd = this.#openMem();
    try {
      const at = new Date();
      const hash = hashRange(fd, region.address, region.size, progress);
      return { region_id: region.region_id, content_hash: hash, size: region.size, taken_at: pythonIsoformat(at) } as BackendSnapshot<T>;
    } catch (e) {
      throw this.#readError(region, e);
    } finally {
      closeSync(fd);
    }
  }

  async #treeSnapshot(region: MemoryRegion, tree: TreeSnapshotOption, progress: ((d: number, t: number) => void) | undefined): Promise<RegionSnapshot> {
    const chunkBytes = treeChunkBytes(tree, region.size);
    const fd = this.#openMem();
    try {
      const at = new Date();
      let hash: string;
      try {
        hash = await treeHashRange(fd, region.address, region.size, chunkBytes, progress);
      } catch (e) {
        throw this.#readError(region, e);
      }
      return { region_id: region.region_id, content_hash: hash, size: region.size, taken_at: pythonIsoformat(at), hash_alg: 'sha3-256-tree', chunk_bytes: chunkBytes };
    } finally {
      closeSync(fd);
    }
  }

  #openMem(): number {
    try {
      return openSync(`/proc/${this.pid}/mem`, 'r');
    } catch (e) {
      throw procError(this.pid, 'memory', e);
    }
  }

  #readError(region: MemoryRegion, e: unknown): BackendError {
    if (e instanceof BackendError) return e;
    if ((e as { code?: string }).code === 'EIO' || /short read/.test((e as Error).message)) return new BackendError(`region ${region.region_id} of process ${this.pid} is no longer mapped`);
    return procError(this.pid, 'memory', e);
  }
}
