// Authorization decisions (issue 11 "Must show"), same run, same process, on the same requests
// (bench/_authz-cases.ts: four agents under delegations, the seed's stub law — role:researcher and a
// witness-requiring role —, a trust table; 66 % granted, the rest denied for an action the delegation
// does not grant, over the role's max per action, over budget, insufficient trust, or deferred for a
// witness):
//  a. in-process decisions/s and per-decision latency p50/p99: the quorumkit AuthorizationEngine
//     (no durable logging; every decision's Python-compat log hash computed, logged in memory and
//     counted in the stats, as always) vs @cedar-policy/cedar-wasm evaluating the equivalent Cedar
//     policy (preparsed policy set, statefulIsAuthorized; the application updates the delegation's
//     counters after an Allow), in two request shapes (delegation and role as entities, or as
//     context records); and the same mix under a LawOracle law (the upstream default norms and
//     procedures, the same roles bound — bench/_authz-cases.ts) beside Cedar with the policies those
//     norms add. Targets: quorumkit ≥ Cedar (its faster shape); p50 ≤ 10 µs. Both
//     engines must give the same allow/deny on every request (checked before timing; the bench fails
//     otherwise), and each denial's deciding check must be one of Cedar's failing forbid policies.
//     Rounds interleave the two engines (a change of machine load hits both alike); decisions/s from
//     untimed passes, percentiles from passes timing each decision (performance.now; its own
//     overhead reported as "timer").
//  b. durable, batched logging: every decision's canonical record (RFC 8785 JSON) appended to the
//     transparency log's AuditTrail (quorumkit/log: SQLite WAL, synchronous=FULL, one fsync per
//     batch — group commit — and ML-DSA-65-signed checkpoints at most once a second) on a temp dir;
//     decisions/s end to end, a decision counted only once its batch is durable: with the fsync in
//     line (append), with it in libuv's thread pool while the next batch is decided (recoverLater,
//     as the DurableStore drives the trail), and with the trail in a worker thread (the log's work
//     on the second core). This is the bench's
//     own durable sink built from existing pieces, not the authz service (src/authz/server). Target
//     ≥ 20,000 decisions/s.
//  c. signed-request verification, reported apart (it is ML-DSA-bound): verifyAuthorizationRequest
//     (envelope, ML-DSA-44 / -65 signature, society, freshness, replay guard) beside the bare ML-DSA
//     verification of the same envelope's PAE bytes.
// Writes bench/results/authz.json.
// Run: npm run bench -- authz   (QK_BENCH_MAX_TIME = seconds per engine in a, per batch size in b
// and per case in c, default 2; QK_BENCH_AUTHZ_REQUESTS = requests in the mix, default 1000;
// QK_BENCH_AUTHZ_BATCHES = comma-separated batch sizes for b, default 32,256,1024; the off-thread
// fsync case runs at the largest)

import { mkdtempSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { add, configure, cycle, suite } from 'benny';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { signAuthorizationRequest, verifyAuthorizationRequest, type AuthorizationResult } from 'quorumkit/authz';
import { base64Decode, canonicalBytes } from 'quorumkit/core';
import { pae, type Envelope } from 'quorumkit/envelope';
import { NonceCache } from 'quorumkit/http';
import { AuditTrail } from 'quorumkit/log';
import { Identity, mlDsa, type MlDsaLevel } from 'quorumkit/pq';
import { percentile } from './_latency.ts';
import { printRows, rowsFromSummary, writeResults, type BenchRow } from './_report.ts';
import { buildWorkload, CEDAR_SHAPES, cedarDecide, checkAgreement, LAWS, MIX, SOCIETY, T0, type LawName, type Workload } from './_authz-cases.ts';

const MAX_TIME = Number(process.env.QK_BENCH_MAX_TIME ?? 2);
const N = Number(process.env.QK_BENCH_AUTHZ_REQUESTS ?? 1000);
const BATCHES = (process.env.QK_BENCH_AUTHZ_BATCHES ?? '32,256,1024').split(',').map(Number);
const CASES = { minSamples: 5, maxTime: MAX_TIME };
const load: number[][] = [loadavg()];

/** A row timed decision by decision: throughput plus latency percentiles in µs. */
interface DecisionRow extends BenchRow {
  readonly decisions: number;
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
}

const workloads = { 'seed-stub': await buildWorkload(N, 'seed-stub'), 'law-oracle': await buildWorkload(N, 'law-oracle') } as const;
const workload = workloads['seed-stub'];
const agreements = Object.fromEntries(LAWS.map((law) => [law, checkAgreement(workloads[law])])) as Record<LawName, ReturnType<typeof checkAgreement>>;
const agreement = agreements['seed-stub'];
console.log(`${agreement.requests} requests (per 100: ${MIX.map((m) => `${m.per100} ${m.kind}`).join(', ')})`);
for (const law of LAWS) {
  for (const shape of CEDAR_SHAPES) {
    const a = agreements[law];
    console.log(`${law} law, Cedar (${shape}): same allow/deny as the engine on ${a.sameDecision[shape]}/${a.requests}; the engine's deciding check among Cedar's failing forbids on ${a.sameReason[shape]}/${a.requests}`);
    if (a.sameDecision[shape] !== a.requests || a.sameReason[shape] !== a.requests) throw new Error(`the engines disagree: ${a.mismatches.join('; ')}`);
  }
}

// ---------------------------------------------------------------- a. in-process decisions
/**
 * Interleaved rounds of the engines over the workload: per round and engine, one untimed pass
 * (throughput) and one pass timing every decision (latency), until each engine has run `maxTime`
 * seconds (at least two rounds).
 */
function decisionRows(ws: Readonly<Record<LawName, Workload>>, maxTime: number): DecisionRow[] {
  const stub = ws['seed-stub'];
  const oracle = ws['law-oracle'];
  const stubEngine = stub.engine();
  const oracleEngine = oracle.engine();
  stub.resetCedar();
  oracle.resetCedar();
  const cases: ReadonlyArray<readonly [string, (i: number) => unknown]> = [
    ['cedar-wasm statefulIsAuthorized (delegation, role as entities)', (i) => cedarDecide(stub.requests[i]!.cedar.entities)],
    ['cedar-wasm statefulIsAuthorized (delegation, role in context)', (i) => cedarDecide(stub.requests[i]!.cedar.context)],
    ['quorumkit AuthorizationEngine.authorize', (i) => stubEngine.authorize(stub.requests[i]!.request, stub.requests[i]!.options)],
    ['cedar-wasm statefulIsAuthorized, LawOracle policies (in context)', (i) => cedarDecide(oracle.requests[i]!.cedar.context)],
    ['quorumkit AuthorizationEngine.authorize, LawOracle law', (i) => oracleEngine.authorize(oracle.requests[i]!.request, oracle.requests[i]!.options)],
    ['timer (performance.now pair, no decision)', () => undefined],
  ];
  const n = stub.requests.length;
  const lat = cases.map(() => [] as number[]);
  const passMs = cases.map(() => [] as number[]);
  const spent = cases.map(() => 0);
  let sink: unknown;
  for (const [, fn] of cases) for (let i = 0; i < n; i++) sink = fn(i); // warm-up
  for (let round = 0; round < 2 || spent.slice(0, -1).some((s) => s < maxTime * 1000); round++) {
    for (const [c, [, fn]] of cases.entries()) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) sink = fn(i);
      const t1 = performance.now();
      passMs[c]!.push(t1 - t0);
      const out = lat[c]!;
      for (let i = 0; i < n; i++) {
        const a = performance.now();
        sink = fn(i);
        out.push(performance.now() - a);
      }
      spent[c]! += performance.now() - t0;
    }
  }
  void sink;
  return cases.map(([name], c) => {
    const sorted = Float64Array.from(lat[c]!).sort();
    const passes = passMs[c]!.slice().sort((a, b) => a - b);
    const median = passes[Math.floor(passes.length / 2)]!;
    const opsPerSec = (n / median) * 1000;
    const us = (ms: number): number => ms * 1000;
    return {
      suite: `in-process decisions (${n}-request mix)`,
      case: name,
      opsPerSec,
      nsPerOp: 1e9 / opsPerSec,
      rme: passes.length > 1 ? (50 * (passes.at(-1)! - passes[0]!)) / median : 0,
      baseline: cases[0]![0],
      ratio: 1,
      decisions: sorted.length,
      meanUs: us(sorted.reduce((s, x) => s + x, 0) / sorted.length),
      p50Us: us(percentile(sorted, 50)),
      p99Us: us(percentile(sorted, 99)),
      maxUs: us(sorted.at(-1)!),
    };
  }).map((r, _, all) => {
    // LawOracle rows against the Cedar LawOracle row, the others against the first Cedar row.
    const base = r.case.includes('LawOracle') ? all.find((x) => x.case.startsWith('cedar') && x.case.includes('LawOracle'))! : all[0]!;
    return { ...r, baseline: base.case, ratio: r.opsPerSec / base.opsPerSec };
  });
}

const decisions = decisionRows(workloads, MAX_TIME);
load.push(loadavg());

// ---------------------------------------------------------------- b. durable, batched logging
/** The record the bench's durable sink appends for one decision, keys in sorted order. */
function recordOf(r: AuthorizationResult): Record<string, unknown> {
  return {
    action: r.request.action,
    atp_cost: r.request.atpCost,
    atp_remaining: r.atpRemaining,
    check: r.decidedBy.check,
    decision: r.decision,
    decision_log_hash: r.decisionLogHash,
    delegation_id: r.request.delegationId,
    denial_reason: r.denialReason,
    requester: r.request.requesterLct,
    requires_witness: r.requiresWitness,
    society: SOCIETY,
    target: r.request.targetResource,
    timestamp: r.timestamp,
    trust_actual: r.actualTrustScore,
    trust_required: r.requiredTrustScore,
    type: 'authz.decision',
  };
}

const UTF8 = new TextEncoder();
/**
 * The record's canonical bytes (RFC 8785). Its keys are inserted in sorted order and its values are
 * strings, finite numbers, booleans and null, so JSON.stringify writes RFC 8785's bytes exactly (RFC
 * 8785 §3.2.2 adopts ECMAScript's string and number serialization) without the generic encoder's
 * key sorting; {@link checkRecordEncoding} proves it on the workload before timing.
 */
function decisionRecord(r: AuthorizationResult): Uint8Array {
  return UTF8.encode(JSON.stringify(recordOf(r)));
}

/** Every workload decision's record, as {@link decisionRecord} writes it, equals canonicalBytes of it. */
function checkRecordEncoding(w: Workload): void {
  const e = w.engine();
  for (const q of w.requests) {
    const r = e.authorize(q.request, q.options);
    const a = decisionRecord(r);
    const b = canonicalBytes(recordOf(r));
    if (a.length !== b.length || a.some((x, i) => x !== b[i])) throw new Error('a decision record is not canonical JSON');
  }
}

/**
 * Decisions with durable, batched logging: the engine's onDecision hook stages each decision's
 * record; every `batch` decisions the staged records go to the AuditTrail in one durable
 * transaction, and only once that is durable are those decisions counted (acknowledged). `sync`:
 * append() returns after its fsync (the next batch waits). `pipelined`: the trail's recoverLater —
 * the commit returns at once and its fsync runs in libuv's thread pool (the DurableStore's path),
 * the engine deciding the next batch meanwhile; a batch is acknowledged when its fsync reports back.
 * `worker`: a worker thread owns the trail (bench/_authz-log-worker.ts); each batch goes to it as one
 * transferred buffer, the worker appends it as `sync` does and reports back, so the log's work runs on
 * the second core while this thread decides the next batch. `pipelined` and `worker` keep at most
 * two batches unacknowledged. Between batches the event loop runs (fsync callbacks and replies, the
 * trail's scheduled checkpoint signing).
 * `log only`: no decisions — the workload's records, encoded beforehand, appended as `sync` does:
 * the log's own ceiling for this path in the same run.
 * Runs `maxTime` seconds on a fresh log in a temp dir; checks that the log holds exactly the
 * acknowledged records and a signed checkpoint covers them.
 */
/** Where durable rows send each batch: the trail in this thread, or a worker owning it. */
interface DecisionSink {
  /** Sends one batch; `ack(applied)` runs once batches up to `applied` are durable. */
  submit(batch: number, records: Uint8Array[], ack: (applied: number) => void, fail: (e: Error) => void): void;
  /** Signs a checkpoint, closes the log; the log's size and the checkpoint's signature count. */
  finish(): Promise<{ size: number; signatures: number }>;
  /** Frees everything (also after a failure). */
  dispose(): Promise<void>;
}

function localSink(path: string, signer: Identity, pipelined: boolean): DecisionSink {
  const trail = AuditTrail.open(path, { origin: DECISIONS_ORIGIN, signer });
  return {
    submit(batch, records, ack, fail) {
      if (!pipelined) {
        trail.appendBatch(records, batch);
        ack(batch);
      } else trail.recoverLater([{ batch, records }], (error, applied) => (error !== null ? fail(error) : ack(applied)));
    },
    async finish() {
      const size = trail.size;
      const cp = await trail.checkpoint();
      return { size, signatures: cp.signatures.length };
    },
    dispose: () => trail.close(),
  };
}

async function workerSink(path: string): Promise<DecisionSink> {
  const worker = new Worker(new URL('./_authz-log-worker.ts', import.meta.url), { workerData: { path, origin: DECISIONS_ORIGIN } });
  type Reply = { ready?: true; applied?: number; error?: string; closed?: true; size?: number; signatures?: number };
  let onReply: (m: Reply) => void = () => undefined;
  worker.on('message', (m: Reply) => onReply(m));
  await new Promise<void>((resolve, reject) => {
    onReply = (m) => (m.ready ? resolve() : reject(new Error(m.error ?? 'worker failed to start')));
    worker.once('error', reject);
  });
  return {
    submit(batch, records, ack, fail) {
      onReply = (m) => (m.error !== undefined ? fail(new Error(m.error)) : m.applied !== undefined ? ack(m.applied) : undefined);
      const ends = new Uint32Array(records.length);
      let total = 0;
      for (const [i, r] of records.entries()) ends[i] = total += r.length;
      const bytes = new Uint8Array(total);
      for (const [i, r] of records.entries()) bytes.set(r, ends[i]! - r.length);
      worker.postMessage({ batch, bytes, ends }, [bytes.buffer, ends.buffer]);
    },
    finish: () =>
      new Promise((resolve, reject) => {
        onReply = (m) => (m.closed ? resolve({ size: m.size!, signatures: m.signatures! }) : m.error !== undefined ? reject(new Error(m.error)) : undefined);
        worker.postMessage('close');
      }),
    dispose: async () => void (await worker.terminate()),
  };
}

const DECISIONS_ORIGIN = 'quorumkit/bench/authz-decisions';
/** Batches a durable row lets wait for their acknowledgement before deciding more (pipelined, worker). */
const MAX_IN_FLIGHT = 2;

async function durableBatchedRow(w: Workload, signer: Identity, batch: number, mode: 'sync' | 'pipelined' | 'worker' | 'log only', maxTime: number): Promise<DecisionRow> {
  const dir = mkdtempSync(join(tmpdir(), 'qk-bench-authz-'));
  const path = join(dir, 'decisions.db');
  const sink = mode === 'worker' ? await workerSink(path) : localSink(path, signer, mode === 'pipelined');
  try {
    let staged: Uint8Array[] = [];
    const engine = w.engine({ onDecision: (r) => void staged.push(decisionRecord(r)) });
    const encoded = mode === 'log only' ? w.requests.map((q) => decisionRecord(w.engine().authorize(q.request, q.options))) : [];
    const ackMs: number[] = [];
    const pending: { batch: number; count: number; start: number }[] = [];
    let acknowledged = 0;
    let failure: Error | null = null;
    const ack = (applied: number): void => {
      const now = performance.now();
      while (pending.length > 0 && pending[0]!.batch <= applied) {
        const p = pending.shift()!;
        acknowledged += p.count;
        ackMs.push(now - p.start);
      }
    };
    const fail = (e: Error): void => void (failure = e);
    const tick = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
    let next = 0;
    let batchNo = 0;
    const n = w.requests.length;
    const t0 = performance.now();
    while (performance.now() - t0 < maxTime * 1000 || batchNo < 2) {
      const start = performance.now();
      for (let k = 0; k < batch; k++) {
        const r = w.requests[next]!;
        if (mode === 'log only') staged.push(encoded[next]!);
        else engine.authorize(r.request, r.options);
        next = (next + 1) % n;
      }
      const records = staged;
      staged = [];
      pending.push({ batch: ++batchNo, count: records.length, start });
      sink.submit(batchNo, records, ack, fail);
      do {
        await tick();
        if (failure !== null) throw failure;
      } while (pending.length >= MAX_IN_FLIGHT);
    }
    while (pending.length > 0) {
      await tick();
      if (failure !== null) throw failure;
    }
    const wallMs = performance.now() - t0;
    const { size, signatures } = await sink.finish();
    if (size !== acknowledged) throw new Error(`the log holds ${size} records, ${acknowledged} acknowledged`);
    if (signatures !== 1) throw new Error('no signed checkpoint');
    const sorted = Float64Array.from(ackMs).sort();
    const opsPerSec = (acknowledged / wallMs) * 1000;
    const how = { sync: 'append', pipelined: 'recoverLater (fsync off-thread)', worker: 'append in a worker thread' } as const;
    return {
      suite: 'decisions with durable, batched logging (AuditTrail, group commit, temp dir)',
      case: mode === 'log only' ? `AuditTrail append alone (records encoded beforehand), batches of ${batch}` : `authorize + AuditTrail ${how[mode]}, batches of ${batch}`,
      opsPerSec,
      nsPerOp: 1e9 / opsPerSec,
      rme: 0,
      baseline: '',
      ratio: 1,
      decisions: acknowledged,
      // A decision waits for its batch's acknowledgement: decide + commit + fsync.
      meanUs: (sorted.reduce((s, x) => s + x, 0) / sorted.length) * 1000,
      p50Us: percentile(sorted, 50) * 1000,
      p99Us: percentile(sorted, 99) * 1000,
      maxUs: sorted.at(-1)! * 1000,
    };
  } finally {
    await sink.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

checkRecordEncoding(workload);
const societyKey = await Identity.create('bench-society', { level: 65 });
const durable: DecisionRow[] = [];
for (const b of BATCHES) durable.push(await durableBatchedRow(workload, societyKey, b, 'sync', MAX_TIME));
durable.push(await durableBatchedRow(workload, societyKey, Math.max(...BATCHES), 'pipelined', MAX_TIME));
durable.push(await durableBatchedRow(workload, societyKey, Math.max(...BATCHES), 'worker', MAX_TIME));
durable.push(await durableBatchedRow(workload, societyKey, Math.max(...BATCHES), 'log only', MAX_TIME));
for (const [i, r] of durable.entries()) durable[i] = { ...r, baseline: durable[0]!.case, ratio: r.opsPerSec / durable[0]!.opsPerSec };
load.push(loadavg());

// ---------------------------------------------------------------- c. signed-request verification
const verifyRows: BenchRow[] = [];
for (const level of [44, 65] as MlDsaLevel[]) {
  const agent = await Identity.create(`bench-signer-${level}`, { level });
  const K = 64;
  const envelopes: Envelope[] = [];
  for (let i = 0; i < K; i++) {
    envelopes.push(await signAuthorizationRequest(agent, SOCIETY, { action: 'read', targetResource: `data:corpus/shard-${i}`, atpCost: 5, delegationId: 'deleg:bench:A', context: { trust_context: 'research' } }, { now: T0 }));
  }
  const dsa = mlDsa(level);
  const raw = envelopes.map((e) => {
    const s = e.signatures[0]!;
    return { sig: base64Decode(s.sig), msg: pae(e.payloadType, base64Decode(e.payload)), pk: base64Decode(s.publicKey!) };
  });
  const base = `ML-DSA-${level} verify (${dsa.provider})`;
  let i = 0;
  let j = 0;
  let nonces = new NonceCache();
  verifyRows.push(
    ...rowsFromSummary(
      await suite(
        `signed-request verification, ML-DSA-${level}`,
        configure({ cases: CASES }),
        add(base, async () => {
          const r = raw[i++ % K]!;
          if (!(await dsa.verify(r.sig, r.msg, r.pk))) throw new Error('verification failed');
        }),
        add('verifyAuthorizationRequest (with replay guard)', async () => {
          if (j % K === 0) nonces = new NonceCache(); // each envelope's nonce is fresh once per cycle
          const v = await verifyAuthorizationRequest(envelopes[j++ % K], { societyId: SOCIETY, now: T0, nonces });
          if (v.credential === null) throw new Error('no credential');
        }),
        cycle(),
      ),
      base,
    ),
  );
}
load.push(loadavg());

// ---------------------------------------------------------------- report
const qk = decisions.find((r) => r.case === 'quorumkit AuthorizationEngine.authorize')!;
// The target is against the faster Cedar shape.
const cd = decisions.filter((r) => r.case.startsWith('cedar') && !r.case.includes('LawOracle')).reduce((a, b) => (b.opsPerSec > a.opsPerSec ? b : a));
const qkLaw = decisions.find((r) => r.case === 'quorumkit AuthorizationEngine.authorize, LawOracle law')!;
const cdLaw = decisions.find((r) => r.case.startsWith('cedar') && r.case.includes('LawOracle'))!;
const timer = decisions.find((r) => r.case.startsWith('timer'))!;
const us = (x: number): string => x.toFixed(2);
console.log(`\nAuthorization decisions, same requests, same process (cedar-wasm ${cedar.getCedarVersion()})`);
const head = ['case', 'decisions', 'decisions/s', 'mean µs', 'p50 µs', 'p99 µs', 'max µs', 'ratio'];
const body = [...decisions, ...durable].map((r) => [r.case, String(r.decisions), r.opsPerSec.toFixed(0), us(r.meanUs), us(r.p50Us), us(r.p99Us), us(r.maxUs), `${r.ratio.toFixed(2)}× ${r.baseline === r.case ? '(baseline)' : ''}`.trim()]);
const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
const line = (cells: string[]): string => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join('  ');
console.log(line(head));
for (const b of body) console.log(line(b));
console.log('(durable rows: latency = from the start of a decision\'s batch to its acknowledgement — decide, commit, fsync)');
console.log('\nSigned-request verification, ops/s and ratio against the bare ML-DSA verification');
printRows(verifyRows);

const ratio = qk.opsPerSec / cd.opsPerSec;
const best = durable.filter((r) => r.case.startsWith('authorize')).reduce((a, b) => (b.opsPerSec > a.opsPerSec ? b : a));
const logOnly = durable.find((r) => r.case.startsWith('AuditTrail append alone'))!;
const targets = {
  atLeastCedar: { ratio, against: cd.case, lawOracleRatio: qkLaw.opsPerSec / cdLaw.opsPerSec, meets: ratio >= 1 && qkLaw.opsPerSec >= cdLaw.opsPerSec },
  p50AtMost10us: { p50Us: qk.p50Us, lawOracleP50Us: qkLaw.p50Us, meets: qk.p50Us <= 10 },
  durableAtLeast20k: { decisionsPerSec: best.opsPerSec, batch: best.case, logAloneRecordsPerSec: logOnly.opsPerSec, meets: best.opsPerSec >= 20_000 },
};
const v = (ok: boolean): string => (ok ? 'meets' : 'MISSES');
console.log(`\nquorumkit ${Math.round(qk.opsPerSec)} decisions/s vs Cedar ${Math.round(cd.opsPerSec)}/s (its faster shape): ${ratio.toFixed(2)}× (${v(ratio >= 1)} the ≥ 1× target)`);
console.log(`LawOracle law: quorumkit ${Math.round(qkLaw.opsPerSec)} decisions/s, p50 ${us(qkLaw.p50Us)} µs, p99 ${us(qkLaw.p99Us)} µs vs Cedar ${Math.round(cdLaw.opsPerSec)}/s, p50 ${us(cdLaw.p50Us)} µs: ${(qkLaw.opsPerSec / cdLaw.opsPerSec).toFixed(2)}×`);
console.log(`quorumkit p50 ${us(qk.p50Us)} µs, p99 ${us(qk.p99Us)} µs; Cedar p50 ${us(cd.p50Us)} µs, p99 ${us(cd.p99Us)} µs; timer alone p50 ${us(timer.p50Us)} µs (${v(qk.p50Us <= 10)} p50 ≤ 10 µs)`);
console.log(`durable, batched logging: ${Math.round(best.opsPerSec)} decisions/s (${best.case}; ${v(best.opsPerSec >= 20_000)} ≥ 20,000/s); the log alone takes ${Math.round(logOnly.opsPerSec)} records/s on this path`);
for (const r of verifyRows.filter((x) => x.case !== x.baseline)) console.log(`${r.suite}: ${(r.nsPerOp / 1000).toFixed(0)} µs per request (${(1 / r.ratio).toFixed(2)}× the bare ML-DSA verification)`);
console.log(`load average (1 min) during the run: ${load.map((l) => l[0]!.toFixed(2)).join(' → ')} on ${availableParallelism()} cores`);
console.log(`wrote ${writeResults('authz', [...decisions, ...durable, ...verifyRows], {
  requests: agreement.requests,
  mix: MIX,
  agreement,
  lawOracleAgreement: agreements['law-oracle'],
  targets,
  cedarVersion: cedar.getCedarVersion(),
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  loadAverage: load,
  batches: BATCHES,
})}`);
