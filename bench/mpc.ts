// Threshold-MPC evaluation end to end over real HTTP (issue 9 "Must show"): 3 custodians, a dealer
// and a coordinator (K = 2) as separate processes started through the CLI (bench/_mpc-cluster.ts:
// `mpc identity`, then `node dist/cli/main.js mpc custodian|dealer|coordinator`), data dirs on disk
// (node:sqlite WAL, every answer after the fdatasync of its commit), and this process as the client
// (quorumkit/mpc/client over keep-alive HTTP/1.1): it shares the inputs, seals each custodian's
// shares to that custodian, signs the request with ML-DSA-65 and recovers the outputs. Timed from
// the client call to its result:
//   - (x + 7)² single evaluations, sequential from one client: p50, p99 (targets ≤ 10 ms, ≤ 25 ms);
//   - 10,000 evaluations of (x + 7)² in one batch (target ≤ 1 s), through evalPacked (packed
//     vectors) and, for comparison, through eval() with bigint records;
//   - 10,000 evaluations of the scoring model (3 inputs, 3 `secret` weights, dot + const) in one
//     batch (target ≤ 2 s).
// Baseline, in the same run when it can start: QuorumVM itself (bench/_quorumvm.ts: its own source,
// its coordinator and 3 custodians under uvicorn, K = 2), (x + 7)² evaluated sequentially; its
// 10,000 evaluations are its sequential rate extrapolated (QuorumVM has no batch). When it cannot
// start, one line says why and the figures recorded in issue 9 are the documented baseline.
// Ratios: evaluations/s against QuorumVM's sequential evaluations/s.
// Writes bench/results/mpc.json. Run: npm run bench -- mpc
// Knobs (the smoke test uses small ones): QK_BENCH_SINGLE (sequential evals, default 1000),
// QK_BENCH_BATCH (10000), QK_BENCH_BATCH_RUNS (5; the median is reported), QK_BENCH_QVM_EVALS (300),
// QK_QUORUMVM_DIR (/tmp/quorumvm; `none` skips it), QK_BENCH_PROFILE (a folder: one V8 CPU profile
// per service process, `<service>.cpuprofile`).

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { callService, nodeTransport } from 'quorumkit/http';
import { buildPackage, compileDsl, MpcClient, packageToJson } from 'quorumkit/mpc/client';
import { canonicalizePython } from 'quorumkit/core';
import { randomElements, unpackElements } from 'quorumkit/field';
import { Identity } from 'quorumkit/pq';
import { startMpcCluster, type MpcCluster } from './_mpc-cluster.ts';
import { evalOnQuorumVm, installOnQuorumVm, startQuorumVm, type QuorumVm } from './_quorumvm.ts';
import { latencyRow, type LatencyRow } from './_latency.ts';
import { writeResults, type BenchRow } from './_report.ts';

const SINGLE = Number(process.env.QK_BENCH_SINGLE ?? 1000);
const BATCH = Number(process.env.QK_BENCH_BATCH ?? 10_000);
const RUNS = Number(process.env.QK_BENCH_BATCH_RUNS ?? 5);
const QVM_EVALS = Number(process.env.QK_BENCH_QVM_EVALS ?? 300);
const QVM_DIR = process.env.QK_QUORUMVM_DIR ?? '/tmp/quorumvm';
const PROFILE_DIR = process.env.QK_BENCH_PROFILE;
const WARMUP = Math.min(100, Math.max(5, Math.ceil(SINGLE / 10)));
const SUITE = 'MPC eval over HTTP';

const SQUARE = 'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n';
const SCORING = 'input x1\ninput x2\ninput x3\nsecret w1\nsecret w2\nsecret w3\nconst b = 7\ndot s = x1 w1 x2 w2 x3 w3\nadd score = s b\noutput score\n';
const WEIGHTS = { w1: 3n, w2: 5n, w3: 11n };
/** The bench measures speed, not policy: a budget no run reaches (and the scoring model's extraction bound allowed). */
const POLICY = { cost_per_eval: 1, budget_per_identity: 1_000_000_000, max_evals_per_minute: 1_000_000_000 };
/** Largest beaver_pool_size one install or replenish accepts (evaluations). */
const MAX_POOL = 100_000;
const TARGET = { batchMs: 1000, scoringBatchMs: 2000, p50Ms: 10, p99Ms: 25 };
/** QuorumVM on this machine as issue 9 records it (used when it cannot run here). */
const RECORDED = { evalsPerSec: [17, 21], p50Ms: [46, 57], p99Ms: [72, 93] };
const P = 2n ** 127n - 1n;

/** An MpcBenchRow: a latency row plus the CPU the services (and this client) spent per evaluation. */
interface MpcRow extends LatencyRow {
  /** Evaluations per timed request (1 for single evaluations, B for a batch). */
  readonly evalsPerRequest: number;
  /** CPU of every service process together per evaluation, µs (Linux /proc; NaN elsewhere). */
  readonly servicesCpuUsPerEval: number;
  /** CPU of this client process per evaluation, µs. */
  readonly clientCpuUsPerEval: number;
  /** The services' CPU per evaluation by process, µs. */
  readonly cpuUsPerEvalByService?: Record<string, number>;
  readonly recorded?: boolean;
}

// --- CPU of the service processes ------------------------------------------------------------------
/** User + system CPU ms of a process (Linux /proc/<pid>/stat, clock ticks of 10 ms); NaN when unavailable. */
function processCpuMs(pid: number | undefined): { cpu: number; sys: number } {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { cpu: (Number(f[11]) + Number(f[12])) * 10, sys: Number(f[12]) * 10 };
  } catch {
    return { cpu: Number.NaN, sys: Number.NaN };
  }
}

function cpuMark(pids: readonly (number | undefined)[]): () => Cpu {
  const s0 = pids.map(processCpuMs);
  const c0 = process.cpuUsage();
  return () => {
    const s1 = pids.map(processCpuMs);
    const c = process.cpuUsage(c0);
    return {
      servicesUs: s1.reduce((t, s, i) => t + s.cpu - s0[i]!.cpu, 0) * 1000,
      servicesSysUs: s1.reduce((t, s, i) => t + s.sys - s0[i]!.sys, 0) * 1000,
      clientUs: c.user + c.system,
      byProcess: s1.map((s, i) => (s.cpu - s0[i]!.cpu) * 1000),
    };
  };
}

interface Cpu { servicesUs: number; servicesSysUs: number; clientUs: number; byProcess: number[] }

/** A row from `lat` (ms per timed call, each `perCall` evaluations), the wall time and the CPU spent. */
function rowFrom(name: string, lat: Float64Array, wallMs: number, perCall: number, cpu: Cpu, names: readonly string[] = []): MpcRow {
  const evals = lat.length * perCall;
  const row = latencyRow(name, { requests: lat.length, wallMs, latencies: lat, cpuUs: cpu.servicesUs, sysUs: cpu.servicesSysUs, loopUs: 0 }, SUITE);
  const byService = names.length === 0 ? {} : { cpuUsPerEvalByService: Object.fromEntries(names.map((n, i) => [n, Math.round(cpu.byProcess[i]! / evals)])) };
  return { ...row, opsPerSec: (evals / wallMs) * 1000, nsPerOp: (wallMs * 1e6) / evals, evalsPerRequest: perCall, servicesCpuUsPerEval: cpu.servicesUs / evals, clientCpuUsPerEval: cpu.clientUs / evals, ...byService };
}

/** Times `count` sequential calls of `one(i)`; each call counts `perCall` evaluations. */
async function timed(name: string, count: number, perCall: number, pids: readonly (number | undefined)[], one: (i: number) => Promise<void>, names: readonly string[] = []): Promise<MpcRow> {
  const lat = new Float64Array(count);
  const mark = cpuMark(pids);
  const t0 = performance.now();
  let lastPrint = t0;
  for (let i = 0; i < count; i++) {
    const s = performance.now();
    await one(i);
    lat[i] = performance.now() - s;
    if (performance.now() - lastPrint > 5000) {
      lastPrint = performance.now();
      console.log(`  … ${i + 1}/${count}`);
    }
  }
  const wallMs = performance.now() - t0;
  return rowFrom(name, lat, wallMs, perCall, mark(), names);
}

/**
 * Times `runs` rounds of every case, interleaved (A, B, A, B, …) so that no case is favoured by
 * running first or last; each call counts `perCall` evaluations. Throughput = evaluations ÷ the
 * sum of that case's call times.
 */
async function timedInterleaved(cases: readonly { name: string; one: () => Promise<void> }[], runs: number, perCall: number, pids: readonly (number | undefined)[]): Promise<MpcRow[]> {
  const acc = cases.map(() => ({ lat: new Float64Array(runs), cpu: { servicesUs: 0, servicesSysUs: 0, clientUs: 0, byProcess: pids.map(() => 0) } as Cpu }));
  for (let r = 0; r < runs; r++) {
    for (const [j, c] of cases.entries()) {
      const mark = cpuMark(pids);
      const s = performance.now();
      await c.one();
      acc[j]!.lat[r] = performance.now() - s;
      const d = mark();
      const a = acc[j]!.cpu;
      a.servicesUs += d.servicesUs; a.servicesSysUs += d.servicesSysUs; a.clientUs += d.clientUs;
      d.byProcess.forEach((v, i) => { a.byProcess[i]! += v; });
    }
  }
  return cases.map((c, j) => rowFrom(c.name, acc[j]!.lat, acc[j]!.lat.reduce((t, x) => t + x, 0), perCall, acc[j]!.cpu));
}

function check(what: string, got: bigint, want: bigint): void {
  if (got !== want) throw new Error(`${what}: got ${got}, expected ${want}`);
}

// --- the baseline ----------------------------------------------------------------------------------
async function quorumVmRow(): Promise<{ row: MpcRow; note: string }> {
  const recordedRow = (why: string): { row: MpcRow; note: string } => {
    const mid = (r: number[]): number => (r[0]! + r[1]!) / 2;
    const base = latencyRow('QuorumVM (x + 7)² single eval, sequential — recorded in issue 9', { requests: 0, wallMs: 1000, latencies: Float64Array.of(mid(RECORDED.p50Ms)), cpuUs: Number.NaN, sysUs: Number.NaN, loopUs: 0 }, SUITE);
    const eps = mid(RECORDED.evalsPerSec);
    return {
      row: { ...base, opsPerSec: eps, nsPerOp: 1e9 / eps, p50Ms: mid(RECORDED.p50Ms), p95Ms: Number.NaN, p99Ms: mid(RECORDED.p99Ms), maxMs: Number.NaN, meanMs: Number.NaN, evalsPerRequest: 1, servicesCpuUsPerEval: Number.NaN, clientCpuUsPerEval: Number.NaN, recorded: true },
      note: `QuorumVM could not run here (${why}); baseline = the figures issue 9 records for this machine (${RECORDED.evalsPerSec.join('–')} evals/s, p50 ${RECORDED.p50Ms.join('–')} ms, p99 ${RECORDED.p99Ms.join('–')} ms; midpoints used)`,
    };
  };
  if (QVM_DIR === 'none') return recordedRow('QK_QUORUMVM_DIR=none');
  let q: QuorumVm;
  try {
    q = await startQuorumVm(QVM_DIR);
  } catch (e) {
    return recordedRow((e as Error).message.split('\n')[0]!);
  }
  try {
    const pkg = buildPackage(compileDsl(SQUARE), { policy: POLICY });
    console.log(`QuorumVM: coordinator ${q.coordinatorUrl}, 3 custodians; installing (x + 7)² (pool ${QVM_EVALS + 20})…`);
    await installOnQuorumVm(q, canonicalizePython(packageToJson(pkg)), pkg.programId, QVM_EVALS + 20);
    for (let i = 0; i < 10; i++) check('QuorumVM f(3)', await evalOnQuorumVm(q, pkg.programId, 'bench', { x: 3n }), 100n);
    console.log(`QuorumVM: ${QVM_EVALS} sequential evaluations of (x + 7)²…`);
    const row = await timed('QuorumVM (x + 7)² single eval, sequential', QVM_EVALS, 1, q.pids, async (i) => {
      const x = BigInt(i);
      check('QuorumVM', await evalOnQuorumVm(q, pkg.programId, 'bench', { x }), (x + 7n) ** 2n);
    });
    return { row, note: `QuorumVM ran in this run (${QVM_DIR}: its coordinator and 3 custodians under uvicorn, K = 2)` };
  } finally {
    await q.stop();
  }
}

// --- quorumkit ------------------------------------------------------------------------------------
async function quorumkitRows(cluster: MpcCluster, owner: Identity): Promise<MpcRow[]> {
  const procs = [cluster.coordinator, cluster.dealer, ...cluster.custodians];
  const pids = procs.map((p) => p.child.pid);
  const names = procs.map((p) => p.name);
  const client = await MpcClient.connect({ coordinatorUrl: cluster.coordinator.url, signer: owner, coordinatorDid: cluster.coordinator.did, trustedCustodians: cluster.custodians.map((c) => c.did), transport: nodeTransport() });
  const squarePool = WARMUP + SINGLE + (2 * RUNS + 2) * BATCH;
  console.log(`installing (x + 7)² (${squarePool.toLocaleString('en-US')} evaluations of triples) and the scoring model (${((RUNS + 1) * BATCH).toLocaleString('en-US')})…`);
  // One install or replenish deals at most MAX_POOL evaluations' worth: the rest comes by POST /replenish_beaver.
  const topUp = async (programId: string, evals: number): Promise<void> => {
    for (let left = evals; left > 0; left -= MAX_POOL) {
      await callService(cluster.coordinator.url, '/replenish_beaver', { body: { program_id: programId, pool_size: Math.min(MAX_POOL, left) }, signer: owner, audience: cluster.coordinator.did, timeoutMs: 600_000, transport: nodeTransport() });
    }
  };
  const square = await client.install({ source: SQUARE, policy: POLICY, beaverPoolSize: Math.min(MAX_POOL, squarePool) });
  await topUp(square.programId, squarePool - MAX_POOL);
  const scoring = await client.install({ source: SCORING, secrets: WEIGHTS, policy: POLICY, beaverPoolSize: Math.min(MAX_POOL, (RUNS + 1) * BATCH), allowExtraction: true });
  await topUp(scoring.programId, (RUNS + 1) * BATCH - MAX_POOL);
  if (square.status !== 'ACTIVE' || scoring.status !== 'ACTIVE') throw new Error('programs did not activate');
  const rows: MpcRow[] = [];

  console.log(`(x + 7)²: ${WARMUP} warm-up and ${SINGLE} timed sequential single evaluations…`);
  for (let i = 0; i < WARMUP; i++) check('f(3)', (await client.eval(square.programId, { x: 3n }))[0]!['y']!, 100n);
  rows.push(await timed('quorumkit (x + 7)² single eval, sequential', SINGLE, 1, pids, async (i) => {
    const x = BigInt(i);
    check('f(x)', (await client.eval(square.programId, { x }))[0]!['y']!, (x + 7n) ** 2n);
  }, names));

  const xs = randomElements(BATCH);
  const want = unpackElements(xs).map((x) => ((x + 7n) ** 2n) % P);
  const checkAll = (what: string, got: Uint8Array | bigint[], expect: bigint[]): void => {
    const g = got instanceof Uint8Array ? unpackElements(got) : got;
    if (g.length !== expect.length || g.some((v, i) => v !== expect[i])) throw new Error(`${what}: wrong outputs`);
  };
  const records = unpackElements(xs).map((x) => ({ x }));
  console.log(`(x + 7)²: ${RUNS} batches of ${BATCH.toLocaleString('en-US')} through evalPacked and ${RUNS} through eval() with bigint records, interleaved (after one warm-up each)…`);
  checkAll('batch', (await client.evalPacked(square.programId, { x: xs }))['y']!, want);
  checkAll('batch', (await client.eval(square.programId, records)).map((o) => o['y']!), want);
  rows.push(...await timedInterleaved([
    { name: `quorumkit (x + 7)² ${BATCH.toLocaleString('en-US')}-eval batch, evalPacked`, one: async () => checkAll('batch', (await client.evalPacked(square.programId, { x: xs }))['y']!, want) },
    { name: `quorumkit (x + 7)² ${BATCH.toLocaleString('en-US')}-eval batch, eval() bigint records`, one: async () => checkAll('batch', (await client.eval(square.programId, records)).map((o) => o['y']!), want) },
  ], RUNS, BATCH, pids));

  const inputs = { x1: randomElements(BATCH), x2: randomElements(BATCH), x3: randomElements(BATCH) };
  const [a, b, c] = [unpackElements(inputs.x1), unpackElements(inputs.x2), unpackElements(inputs.x3)];
  const scores = a.map((x, i) => (x * WEIGHTS.w1 + b[i]! * WEIGHTS.w2 + c[i]! * WEIGHTS.w3 + 7n) % P);
  console.log(`scoring model: ${RUNS} batches of ${BATCH.toLocaleString('en-US')} through evalPacked (after one warm-up)…`);
  checkAll('scoring', (await client.evalPacked(scoring.programId, inputs))['score']!, scores);
  rows.push(await timed(`quorumkit scoring (3 secret weights) ${BATCH.toLocaleString('en-US')}-eval batch, evalPacked`, RUNS, BATCH, pids, async () => {
    checkAll('scoring', (await client.evalPacked(scoring.programId, inputs))['score']!, scores);
  }));
  return rows;
}

// --- report ----------------------------------------------------------------------------------------
const ms = (x: number): string => (Number.isNaN(x) ? '-' : x.toFixed(1));
const us = (x: number): string => (Number.isNaN(x) ? '-' : x.toFixed(0));

function printRows(rows: readonly MpcRow[]): void {
  const head = ['case', 'timed', 'evals/s', 'p50 ms', 'p99 ms', 'max ms', 'services CPU µs/eval', 'client CPU µs/eval', 'ratio'];
  const body = rows.map((r) => [r.case, r.recorded ? 'recorded' : `${r.requests}×${r.evalsPerRequest}`, r.opsPerSec.toFixed(r.opsPerSec < 100 ? 1 : 0), ms(r.p50Ms), ms(r.p99Ms), ms(r.maxMs), us(r.servicesCpuUsPerEval), us(r.clientCpuUsPerEval), r.baseline === r.case ? '1× (baseline)' : `${r.ratio >= 10 ? r.ratio.toFixed(0) : r.ratio.toFixed(2)}×`]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const b of body) console.log(line(b));
}

const meets = (ok: boolean): string => (ok ? 'meets' : 'MISSES');
const loadAtStart = loadavg();
const owner = await Identity.create('bench-owner');
console.log(`MPC over HTTP on loopback: 3 custodians, a dealer and a coordinator (K = 2) as CLI processes; client = this process (ML-DSA-65, ML-KEM-768)`);
const baseline = await quorumVmRow();
console.log(baseline.note);
const cluster = await startMpcCluster({ ownerDid: owner.did, ...(PROFILE_DIR === undefined ? {} : { profileDir: PROFILE_DIR }) });
let ours: MpcRow[];
try {
  console.log(`quorumkit: coordinator ${cluster.coordinator.url}, dealer ${cluster.dealer.url}, custodians ${cluster.custodians.map((c) => c.url).join(' ')}`);
  ours = await quorumkitRows(cluster, owner);
} finally {
  await cluster.stop();
}
const base = baseline.row;
const rows: MpcRow[] = [base, ...ours].map((r) => ({ ...r, baseline: base.case, ratio: r.opsPerSec / base.opsPerSec }));
console.log(`\n${SUITE}; ratio: evaluations/s against ${base.recorded ? "QuorumVM's recorded" : "QuorumVM's measured"} sequential rate (for a batch: QuorumVM's time for ${BATCH.toLocaleString('en-US')} sequential evaluations ÷ ours); batch rows: p50 = median batch wall time`);
printRows(rows);
const [single, packed, , scoring] = ours as [MpcRow, MpcRow, MpcRow, MpcRow];
console.log(`\nsingle eval, services' CPU per evaluation (µs): ${Object.entries(single.cpuUsPerEvalByService ?? {}).map(([n, v]) => `${n} ${v}`).join(', ')}; client ${single.clientCpuUsPerEval.toFixed(0)}`);
console.log(`single eval: p50 ${single.p50Ms.toFixed(1)} ms, p99 ${single.p99Ms.toFixed(1)} ms (${meets(single.p50Ms <= TARGET.p50Ms && single.p99Ms <= TARGET.p99Ms)} p50 ≤ ${TARGET.p50Ms} ms, p99 ≤ ${TARGET.p99Ms} ms; QuorumVM p50 ${ms(base.p50Ms)} ms, p99 ${ms(base.p99Ms)} ms)`);
console.log(`(x + 7)² batch of ${BATCH.toLocaleString('en-US')}: median ${packed.p50Ms.toFixed(0)} ms (${meets(packed.p50Ms <= TARGET.batchMs)} ≤ ${TARGET.batchMs} ms), ${(packed.opsPerSec / base.opsPerSec).toFixed(0)}× QuorumVM's sequential rate`);
console.log(`scoring batch of ${BATCH.toLocaleString('en-US')}: median ${scoring.p50Ms.toFixed(0)} ms (${meets(scoring.p50Ms <= TARGET.scoringBatchMs)} ≤ ${TARGET.scoringBatchMs} ms)`);
const load = { start: loadAtStart.map((x) => Number(x.toFixed(2))), end: loadavg().map((x) => Number(x.toFixed(2))) };
console.log(`load average (1, 5, 15 min) at start ${load.start.join(', ')}, at end ${load.end.join(', ')} (2 cores; other sessions share them)`);
const file = writeResults('mpc', rows as BenchRow[], { loadAverage: load, baseline: baseline.note, quorumvmRan: base.recorded !== true, target: TARGET, batch: BATCH, runs: RUNS, single: SINGLE, durability: 'node:sqlite WAL on disk; every answer after the fdatasync of its commit (evaluation-round nonces in memory, see CustodianService.roundReplayGuard)' });
console.log(`wrote ${file}`);
