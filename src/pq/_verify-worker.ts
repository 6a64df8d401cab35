// ML-DSA verification in a worker thread (internal; Node-only at run time, inert elsewhere). A
// server checks one or two signatures per request: done on its event loop they hold every other
// request back, so `verifySignatureOffThread` sends them here — to @oqs/liboqs-js (the fastest
// provider, FIPS 204 Algorithm 3 with the empty context) in one worker — batched per event-loop turn,
// one message each way per batch. node:worker_threads is reached at run time through
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

let worker: WorkerLike | null | undefined;
let inline: InlineVerify;
let queued: Job[] = [];
let scheduled = false;
const sent: Job[][] = [];

function start(): WorkerLike | null {
  const wt = builtin<WorkerThreadsLike>('node:worker_threads');
  const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
  if (wt?.Worker === undefined || typeof resolve !== 'function') return null;
  let w: WorkerLike;
  try {
    w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { liboqs: resolve('@oqs/liboqs-js') } });
  } catch {
    return null;
  }
  w.unref(); // referenced only while a batch is out
  w.on('message', (msg) => answer(msg));
  const gone = (): void => fail();
  w.on('error', gone);
  w.on('exit', gone);
  return w;
}

function answer(msg: unknown): void {
  const batch = sent.shift();
  if (sent.length === 0) worker?.unref();
  if (batch === undefined) return;
  const out = msg instanceof Uint8Array && msg.length === batch.length ? msg : null;
  batch.forEach((j, i) => {
    const r = out?.[i];
    if (r === 0 || r === 1) j.resolve(r === 1);
    else void inline(j.level, j.sig, j.msg, j.publicKey).then(j.resolve, () => j.resolve(false));
  });
}

/** The worker is gone: every job it held, and every later one, is verified on this thread. */
function fail(): void {
  worker = null;
  for (const batch of sent.splice(0)) for (const j of batch) void inline(j.level, j.sig, j.msg, j.publicKey).then(j.resolve, () => j.resolve(false));
}

function post(): void {
  scheduled = false;
  const batch = queued;
  queued = [];
  if (batch.length === 0) return;
  if (worker === null || worker === undefined) {
    for (const j of batch) void inline(j.level, j.sig, j.msg, j.publicKey).then(j.resolve, () => j.resolve(false));
    return;
  }
  sent.push(batch);
  worker.ref();
  worker.postMessage(batch.map((j) => ({ level: j.level, sig: j.sig, msg: j.msg, publicKey: j.publicKey })));
}

/**
 * Queues ML-DSA.Verify of checked inputs (sizes right, empty context) for the worker; the jobs of one
 * event-loop turn go as one message. `fallback` verifies on this thread if the worker is or goes
 * away.
 * @returns the verdict, or undefined when this runtime has no worker threads (verify inline).
 */
export function verifyInWorker(level: MlDsaLevel, sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, fallback: InlineVerify): Promise<boolean> | undefined {
  if (worker === undefined) worker = start();
  if (worker === null) return undefined;
  inline = fallback;
  return new Promise((resolve) => {
    queued.push({ level, sig, msg, publicKey, resolve });
    if (!scheduled) {
      scheduled = true;
      setImmediate(post);
    }
  });
}
