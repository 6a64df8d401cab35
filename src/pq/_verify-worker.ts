// ML-DSA verification in a worker thread (internal; Node-only at run time, inert elsewhere). A
// server checks one or two signatures per request: done on its event loop they hold every other
// request back, so `verifySignatureOffThread` sends them here — to @oqs/liboqs-js (the fastest
// provider, FIPS 204 Algorithm 3 with the empty context) in one or two workers; the calls made
// together (one microtask checkpoint) share one message each way per worker — a batch per
// event-loop turn waited longer and measured slower. node:worker_threads is reached at run time through
// process.getBuiltinModule, never imported, so this module bundles for browsers, where
// `verifyInWorker` answers undefined and the caller verifies on its own thread. Should the worker
// fail, its jobs are verified on the calling thread instead: an answer is never lost or guessed.

import { builtin } from '../core/_builtin.js';
import type { MlDsaLevel } from './provider.js';

interface WorkerLike {
  postMessage(value: unknown): void;
  on(event: 'message', fn: (msg: unknown) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  on(event: 'exit', fn: (code: number) => void): void;
  ref(): void;
  unref(): void;
}
interface WorkerThreadsLike {
  Worker: new (src: string, opts: { eval: true; workerData: unknown }) => WorkerLike;
}

interface Job {
  readonly level: MlDsaLevel;
  readonly sig: Uint8Array;
  readonly msg: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly resolve: (ok: boolean) => void;
}

/** What a job falls back to when the worker is gone. */
export type InlineVerify = (level: MlDsaLevel, sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array) => Promise<boolean>;

// The worker: plain JS run with `eval: true`, reaching worker_threads the same run-time way; it
// answers each batch with one byte per job (1 valid, 0 invalid, 2 could not check).
const WORKER_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const ready = import(workerData.liboqs).then((m) => ({ 44: m.createMLDSA44(), 65: m.createMLDSA65(), 87: m.createMLDSA87() }));
parentPort.on('message', async (batch) => {
  const make = await ready;
  const out = new Uint8Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const j = batch[i];
    try { out[i] = (await make[j.level]).verify(j.msg, j.sig, j.publicKey) ? 1 : 0; } catch { out[i] = 2; }
  }
  parentPort.postMessage(out);
});
`;

/** Workers: enough to keep one core each busy beside the event loop's (at least one, at most two). */
function workerCount(): number {
  const os = builtin<{ availableParallelism?(): number }>('node:os');
  return Math.max(1, Math.min(MAX_WORKERS, (os?.availableParallelism?.() ?? 2) - 1));
}
const MAX_WORKERS = 2;

/** One worker and the batches it holds, oldest first (it answers in order). */
interface Slot {
  readonly worker: WorkerLike;
  readonly sent: Job[][];
  alive: boolean;
}

let slots: Slot[] | undefined;
let inline: InlineVerify;
let queued: Job[] = [];
let scheduled = false;

function verifyHere(j: Job): void {
  void inline(j.level, j.sig, j.msg, j.publicKey).then(j.resolve, () => j.resolve(false));
}

function startSlot(wt: WorkerThreadsLike, liboqs: string): Slot | null {
  let w: WorkerLike;
  try {
    w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { liboqs } });
  } catch {
    return null;
  }
  const slot: Slot = { worker: w, sent: [], alive: true };
  w.unref(); // referenced only while a batch is out
  w.on('message', (msg) => answer(slot, msg));
  const gone = (): void => fail(slot);
  w.on('error', gone);
  w.on('exit', gone);
  return slot;
}

function start(): Slot[] {
  const wt = builtin<WorkerThreadsLike>('node:worker_threads');
  const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
  if (wt?.Worker === undefined || typeof resolve !== 'function') return [];
  let liboqs: string;
  try {
    liboqs = resolve('@oqs/liboqs-js');
  } catch {
    return [];
  }
  const out: Slot[] = [];
  for (let i = 0; i < workerCount(); i++) {
    const slot = startSlot(wt, liboqs);
    if (slot !== null) out.push(slot);
  }
  return out;
}

function answer(slot: Slot, msg: unknown): void {
  const batch = slot.sent.shift();
  if (slot.sent.length === 0) slot.worker.unref();
  if (batch === undefined) return;
  const out = msg instanceof Uint8Array && msg.length === batch.length ? msg : null;
  batch.forEach((j, i) => {
    const r = out?.[i];
    if (r === 0 || r === 1) j.resolve(r === 1);
    else verifyHere(j);
  });
}

/** A worker is gone: the jobs it held are verified on this thread, later ones go to the others (or here). */
function fail(slot: Slot): void {
  if (!slot.alive) return;
  slot.alive = false;
  for (const batch of slot.sent.splice(0)) for (const j of batch) verifyHere(j);
}

function post(): void {
  scheduled = false;
  const batch = queued;
  queued = [];
  const live = (slots ?? []).filter((x) => x.alive);
  if (live.length === 0) {
    for (const j of batch) verifyHere(j);
    return;
  }
  // An even share per worker, the least busy first, so a batch's last verdict comes back soonest.
  live.sort((a, b) => a.sent.reduce((n, x) => n + x.length, 0) - b.sent.reduce((n, x) => n + x.length, 0));
  const per = Math.ceil(batch.length / live.length);
  for (let k = 0; k < live.length && k * per < batch.length; k++) {
    const part = batch.slice(k * per, (k + 1) * per);
    const slot = live[k]!;
    slot.sent.push(part);
    slot.worker.ref();
    slot.worker.postMessage(part.map((j) => ({ level: j.level, sig: j.sig, msg: j.msg, publicKey: j.publicKey })));
  }
}

/**
 * Queues ML-DSA.Verify of checked inputs (sizes right, empty context) for a worker; the calls made
 * together go as one message. `fallback` verifies on this thread if the worker is or goes
 * away.
 * @returns the verdict, or undefined when this runtime has no worker threads (verify inline).
 */
export function verifyInWorker(level: MlDsaLevel, sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, fallback: InlineVerify): Promise<boolean> | undefined {
  slots ??= start();
  if (slots.length === 0) return undefined;
  inline = fallback;
  return new Promise((resolve) => {
    queued.push({ level, sig, msg, publicKey, resolve });
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(post);
    }
  });
}
