// Node worker pool for tree-hash leaves (internal; Node-only at run time, inert elsewhere).
// node:worker_threads and node:os are reached only at run time through process.getBuiltinModule
// (Node ≥ 22.3), never imported, so this module bundles for browsers, where `poolAvailable()` is
// false and tree hashing stays on the calling thread.
// Each worker instantiates the same embedded quorumkit.wasm (the WebAssembly.Module compiled once
// here, after the same SHA-256 integrity check as the loader, and cloned to workers), and hashes
// jobs = runs of whole chunks. The region is never copied per worker: a SharedArrayBuffer-backed
// input is read by the workers in place; any other input is copied once, job by job, into a
// SharedArrayBuffer staging area each worker reuses (so the copy of the next job overlaps with
// hashing, and warm staging memory avoids fresh allocations and page faults per call).

import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../core/bytes.js';
import { QuorumkitError, UnsupportedError } from '../core/errors.js';
import { embeddedBytes, type WasmBuild } from '../wasm/_instance.js';
import { WasmIntegrityError, WasmUnavailableError } from '../wasm/errors.js';

interface WorkerLike {
  postMessage(value: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', fn: (msg: WorkerReply) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  on(event: 'exit', fn: (code: number) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}
interface WorkerThreadsLike {
  Worker: new (src: string, opts: { eval: true; workerData: unknown }) => WorkerLike;
}
interface OsLike {
  availableParallelism?(): number;
  cpus(): unknown[];
}
interface WorkerReply {
  readonly id: number;
  readonly leaves?: Uint8Array;
  readonly error?: string;
}
interface Job {
  readonly id: number;
  readonly buffer: ArrayBufferLike;
  readonly offset: number;
  readonly length: number;
  resolve(leaves: Uint8Array): void;
  reject(err: Error): void;
}

/** Bytes of region per job: enough to amortise a message round trip, small enough to balance. */
export const JOB_BYTES = 16 * 1024 * 1024;
const SLICE_BYTES = 4 * 1024 * 1024;

// The worker: plain JS run with `eval: true`, reaching worker_threads the same run-time way.
const WORKER_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const abort = (m, f, line) => { throw new Error('quorumkit.wasm assertion failed (line ' + line + ')'); };
const ex = new WebAssembly.Instance(workerData.module, { env: { abort } }).exports;
const mem = ex.memory;
const align = (x) => Math.ceil(x / 16) * 16;
const st = align(ex.scratchBase());
const st2 = align(st + ex.keccakStateBytes());
const work = align(st2 + ex.keccakX2StateBytes());
parentPort.on('message', (job) => {
  try {
    const { id, buffer, byteOffset, length, chunkBytes, sliceBytes } = job;
    const src = new Uint8Array(buffer, byteOffset, length);
    const out = new Uint8Array(32 * Math.ceil(length / chunkBytes));
    const per = Math.max(chunkBytes, Math.floor(sliceBytes / chunkBytes) * chunkBytes);
    const inLen = Math.min(per, length);
    const outPtr = align(work + inLen);
    const end = outPtr + 32 * Math.ceil(inLen / chunkBytes);
    if (end > mem.buffer.byteLength) mem.grow(Math.ceil((end - mem.buffer.byteLength) / 65536));
    const u8 = new Uint8Array(mem.buffer);
    for (let off = 0; off < length; off += per) {
      const part = src.subarray(off, Math.min(off + per, length));
      u8.set(part, work);
      ex.keccakTreeLeaves(st, st2, work, part.length, chunkBytes, outPtr);
      const k = Math.ceil(part.length / chunkBytes);
      out.set(u8.subarray(outPtr, outPtr + 32 * k), (32 * off) / chunkBytes);
    }
    u8.fill(0, st, end);
    parentPort.postMessage({ id, leaves: out }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: job && job.id, error: String((e && e.message) || e) });
  }
});
`;

function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return proc?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/** True when this runtime can run the pool (Node with worker_threads reachable). Never throws. */
export function poolAvailable(): boolean {
  return builtin<WorkerThreadsLike>('node:worker_threads')?.Worker !== undefined;
}

/** Default pool size: the available cores (os.availableParallelism), at least 1. */
export function defaultPoolSize(): number {
  const os = builtin<OsLike>('node:os');
  const n = os?.availableParallelism?.() ?? os?.cpus().length ?? 1;
  return Math.max(1, n);
}

/** Jobs in flight per worker: two, so the next job's bytes are staged while the current one hashes. */
const DEPTH = 2;

class Slot {
  /** Jobs posted to this worker, in the order it answers them. */
  readonly jobs: Array<Job & { stage: number }> = [];
  /** Reused SharedArrayBuffers a non-shared job's bytes are copied into (warm memory, no transfer). */
  readonly staging: Array<SharedArrayBuffer | null> = [null, null];
  nextStage = 0;
  constructor(readonly worker: WorkerLike) {}
}

class Pool {
  readonly key: string;
  readonly #slots: Slot[] = [];
  readonly #queue: Array<Job & { byteOffset: number; chunkBytes: number; source: Uint8Array }> = [];

  constructor(wt: WorkerThreadsLike, module: WebAssembly.Module, size: number, key: string) {
    this.key = key;
    for (let i = 0; i < size; i++) {
      const worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { module } });
      worker.unref();
      const slot = new Slot(worker);
      worker.on('message', (msg) => this.#done(slot, msg));
      worker.on('error', (err) => this.#fail(slot, err));
      worker.on('exit', (code) => this.#fail(slot, new Error(`hash worker exited with code ${code}`)));
      this.#slots.push(slot);
    }
  }

  get size(): number {
    return this.#slots.length;
  }

  run(source: Uint8Array, chunkBytes: number, offset: number, length: number, id: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ id, offset, length, resolve, reject, buffer: source.buffer, byteOffset: source.byteOffset, chunkBytes, source });
      this.#pump();
    });
  }

  #pump(): void {
    // fill every worker to depth 1 first, then to DEPTH, so work spreads evenly
    for (let depth = 1; depth <= DEPTH; depth++) {
      for (const slot of this.#slots) {
        if (slot.jobs.length >= depth) continue;
        const job = this.#queue.shift();
        if (job === undefined) return;
        this.#post(slot, job);
      }
    }
  }

  #post(slot: Slot, job: Job & { byteOffset: number; chunkBytes: number; source: Uint8Array }): void {
    slot.worker.ref(); // keep the process alive while a job is out
    const shared = typeof SharedArrayBuffer === 'function' && job.buffer instanceof SharedArrayBuffer;
    let stage = -1;
    let buffer = job.buffer;
    let byteOffset = job.byteOffset + job.offset;
    if (!shared) {
      stage = slot.nextStage;
      slot.nextStage = (slot.nextStage + 1) % DEPTH;
      let sab = slot.staging[stage] ?? null;
      if (sab === null || sab.byteLength < job.length) sab = slot.staging[stage] = new SharedArrayBuffer(job.length);
      new Uint8Array(sab, 0, job.length).set(job.source.subarray(job.offset, job.offset + job.length));
      buffer = sab;
      byteOffset = 0;
    }
    slot.jobs.push({ ...job, stage });
    slot.worker.postMessage({ id: job.id, buffer, byteOffset, length: job.length, chunkBytes: job.chunkBytes, sliceBytes: SLICE_BYTES });
  }

  #done(slot: Slot, msg: WorkerReply): void {
    const job = slot.jobs.shift();
    if (slot.jobs.length === 0) slot.worker.unref();
    if (job !== undefined) {
      const sab = job.stage >= 0 ? slot.staging[job.stage] : null;
      if (sab) new Uint8Array(sab, 0, job.length).fill(0); // region bytes do not linger in the pool
      if (msg.leaves instanceof Uint8Array && msg.id === job.id) job.resolve(msg.leaves);
      else job.reject(new WasmUnavailableError(`hash worker failed: ${msg.error ?? 'unexpected reply'}`));
    }
    this.#pump();
    this.#closeIfRetiredAndIdle();
  }

  #fail(slot: Slot, err: Error): void {
    const i = this.#slots.indexOf(slot);
    if (i < 0) return;
    this.#slots.splice(i, 1);
    for (const j of slot.jobs.splice(0)) j.reject(new WasmUnavailableError(`hash worker failed: ${err.message}`, { cause: err }));
    if (this.#slots.length === 0) {
      for (const j of this.#queue.splice(0)) j.reject(new WasmUnavailableError('every hash worker failed'));
      if (pool === this) pool = null;
    } else this.#pump();
  }

  /** Terminates every worker now; queued and in-flight jobs are rejected, never left pending. */
  async close(): Promise<void> {
    const slots = this.#slots.splice(0);
    const closed = (): QuorumkitError => new WasmUnavailableError('hash pool closed');
    for (const j of this.#queue.splice(0)) j.reject(closed());
    for (const s of slots) for (const j of s.jobs.splice(0)) j.reject(closed());
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  #retiring = false;

  /** Closes the pool once the jobs it already accepted have finished (a newer pool replaced it). */
  retire(): void {
    this.#retiring = true;
    this.#closeIfRetiredAndIdle();
  }

  #closeIfRetiredAndIdle(): void {
    if (this.#retiring && this.#queue.length === 0 && this.#slots.every((s) => s.jobs.length === 0)) void this.close();
  }
}

let pool: Pool | null = null;

function getPool(build: WasmBuild, simd: boolean, size: number): Pool {
  const key = `${build}/${simd}/${size}`;
  if (pool !== null && pool.key === key && pool.size > 0) return pool;
  if (pool !== null) pool.retire(); // a caller may still be waiting on the old pool's jobs
  const wt = builtin<WorkerThreadsLike>('node:worker_threads');
  if (wt === undefined) throw new UnsupportedError('worker_threads is not available in this runtime');
  const { bytes, sha256: expected } = embeddedBytes(build, simd);
  if (toHex(sha256(bytes)) !== expected) {
    throw new WasmIntegrityError('WASM bytes do not match their embedded SHA-256; rebuild with node build.mjs');
  }
  pool = new Pool(wt, new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), size, key);
  return pool;
}

/**
 * Leaf digests SHA3-256(0x00 ‖ chunk) of `bytes` computed by the worker pool (created on first use,
 * `size` workers running the given build). `onBytes(n)` is called as jobs of n bytes finish.
 * @throws QuorumkitError `ERR_UNSUPPORTED` without worker_threads; `ERR_WASM_UNAVAILABLE` when a
 * worker fails.
 */
export async function poolTreeLeaves(
  bytes: Uint8Array,
  chunkBytes: number,
  opts: { build: WasmBuild; simd: boolean; size: number; onBytes?: (n: number) => void },
): Promise<Uint8Array> {
  const p = getPool(opts.build, opts.simd, opts.size);
  const n = Math.ceil(bytes.length / chunkBytes);
  const out = new Uint8Array(32 * n);
  const jobChunks = Math.max(1, Math.floor(JOB_BYTES / chunkBytes));
  const jobs: Promise<void>[] = [];
  for (let c = 0, id = 0; c < n; c += jobChunks, id++) {
    const offset = c * chunkBytes;
    const length = Math.min(jobChunks * chunkBytes, bytes.length - offset);
    jobs.push(
      p.run(bytes, chunkBytes, offset, length, id).then((leaves) => {
        out.set(leaves, 32 * c);
        opts.onBytes?.(length);
      }),
    );
  }
  await Promise.all(jobs);
  return out;
}

/**
 * Terminates the tree-hash worker pool, if any; the next pooled call starts a new one. Pending
 * jobs are rejected.
 */
export async function closeHashPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.close();
}
