// Governance node under load over real HTTP (issue 8 "Load"): one node served on loopback by
// serveApp, its data dir on disk (node:sqlite WAL; no request is answered before its commit is
// fdatasync'ed — the store flushes off the event loop, src/store/_wal-sync.ts — and the audit log
// runs synchronous=FULL), and a load generator in a SEPARATE process (bench/_governance-load.ts,
// child_process.fork) that pre-signs every request before timing (signed-request headers,
// audience = the node's did, unique nonces) and replays them at concurrency 16 over keep-alive
// HTTP/1.1 (bench/_http1-client.ts).
//   (a) signed vote submissions (POST /v1/proposals/{id}/votes) spread over many open proposals:
//       throughput and p50/p95/p99 latency, beside — in the same run — the bare ML-DSA
//       verifications every vote costs (request signature + vote signature, in process), an
//       unsigned read (GET /v1/node: the HTTP floor) and a trivial signed endpoint (request
//       signature + durable nonce). Targets: ≥ 1,000 votes/s, p99 ≤ 100 ms.
//   (b) 10,000 finished rounds (proposal → vote → the node's ballot → finalize) on a second node,
//       heapUsed / RSS sampled after a forced GC at 10, 25, 50, 75 and 100 % of the rounds; the
//       slope (least squares, MiB per 1,000 rounds) must be ~flat (target ≤ 1 MiB / 1,000 rounds).
// Writes bench/results/governance-http.json. Run: npm run bench -- governance-http
// Knobs (the smoke test uses small ones): QK_BENCH_VOTES (default 6000), QK_BENCH_ROUNDS (10000),
// QK_BENCH_CONCURRENCY (16), QK_BENCH_ML_DSA (65), QK_BENCH_CASES (a,b), QK_BENCH_PROFILE (a folder:
// one V8 CPU profile of the node per timed case).

import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { importBundled } from './_bundle.ts';
import type * as Server from './_governance-server.ts';
import type { LoadCommand, MemberRecord, ReplayResult, RoundsResult } from './_governance-load.ts';
import { writeResults, type BenchRow } from './_report.ts';
import { latencyRow, linearSlope, printLatencyRows, type LatencyRow } from './_latency.ts';

const VOTES = Number(process.env.QK_BENCH_VOTES ?? 6000);
const ROUNDS = Number(process.env.QK_BENCH_ROUNDS ?? 10_000);
const CONCURRENCY = Number(process.env.QK_BENCH_CONCURRENCY ?? 16);
const LEVEL = Number(process.env.QK_BENCH_ML_DSA ?? 65) as 44 | 65 | 87;
/** When set, a folder for one V8 CPU profile of the node per timed case (`<case>.cpuprofile`). */
const PROFILE_DIR = process.env.QK_BENCH_PROFILE;
/** Which cases run (profiling one at a time): `a`, `b` or `a,b` (default). */
const CASES = (process.env.QK_BENCH_CASES ?? 'a,b').split(',');
const VOTERS = 50;
const SAMPLE_AT = [0.1, 0.25, 0.5, 0.75, 1].map((f) => Math.max(1, Math.round(f * ROUNDS)));
const TARGET = { votesPerSec: 1000, p99Ms: 100, mibPer1kRounds: 1 };
const DURABILITY = 'node:sqlite WAL on a file; each answer only after fdatasync of its commit (store: synchronous=NORMAL + fdatasync off the event loop, as durable as FULL; audit log: synchronous=FULL)';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MIB = 1024 * 1024;

const S = await importBundled<typeof Server>('bench/_governance-server.ts');

// --- the load generator process ------------------------------------------------------------------
const child: ChildProcess = fork(fileURLToPath(new URL('./_governance-load.ts', import.meta.url)), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
let nextId = 0;
const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
child.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
  const w = waiting.get(m.id);
  waiting.delete(m.id);
  if (m.ok) w?.resolve(m.value);
  else w?.reject(new Error(`load generator: ${m.error}`));
});
child.on('exit', (code) => {
  for (const w of waiting.values()) w.reject(new Error(`load generator exited (${code})`));
  waiting.clear();
});
function gen<T>(cmd: LoadCommand): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    child.send({ id, cmd });
  });
}

// --- a node --------------------------------------------------------------------------------------
interface Running {
  readonly svc: Server.GovernanceService;
  readonly server: Server.RunningServer;
  readonly dir: string;
  finalized: number;
  close(): Promise<void>;
}

const APPROVE = S.VotePolicy.parse({ type: 'quorumkit-vote-policy', version: 1, default: 'queue', rules: [{ kind: 'authorize-model', decision: 'approve', rationale: 'bench' }] });

async function startNode(name: string, members: readonly MemberRecord[], onFinalized?: (n: number) => void): Promise<Running> {
  const identity = await S.Identity.create(name, { level: LEVEL });
  const genesis = S.createGenesis([{ did: identity.did, name, weight: 1, publicKey: S.base64Encode(identity.publicKey) }, ...members]);
  const dir = mkdtempSync(join(tmpdir(), 'qk-bench-gov-http-'));
  const svc = await S.GovernanceService.open({ identity, name, dataDir: join(dir, 'node'), genesis, votePolicy: APPROVE });
  const running = { finalized: 0 } as { finalized: number };
  const app = S.createGovernanceApp(svc, {
    // The production sink writes one JSON line per request; build the line, skip the terminal.
    log: (entry) => void JSON.stringify(entry),
    onFinalized: () => onFinalized?.(++running.finalized),
  });
  // The trivial signed endpoint: the same signed-request check (and durable nonce) as every write.
  app.post('/bench/signed-noop', S.requireSignedRequest({ nonces: svc.replayGuard, audience: svc.did, isAllowed: (d) => svc.isMember(d) }), (c) => c.json({ ok: true }));
  const server = await S.serveApp(app, { port: 0 });
  await gen({ op: 'target', url: server.url, did: svc.did });
  return Object.assign(running, {
    svc,
    server,
    dir,
    close: async () => {
      await server.close(1000);
      await svc.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

function checkReplay(name: string, r: ReplayResult): void {
  if (r.firstError !== null) throw new Error(`${name}: unexpected answer: ${r.firstError}`);
}

// --- (a) signed votes ----------------------------------------------------------------------------
/** Runs `fn` under the V8 CPU profiler when QK_BENCH_PROFILE is set, writing `<name>.cpuprofile`. */
async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (PROFILE_DIR === undefined) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(PROFILE_DIR, { recursive: true });
    writeFileSync(join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** A point to measure this process's CPU time and its event loop's busy time from. */
function cpuMark(): { cpu: NodeJS.CpuUsage; loop: EventLoopUtilization } {
  return { cpu: process.cpuUsage(), loop: performance.eventLoopUtilization() };
}

/** CPU µs this process spent since `start` (user + system, all threads), the system part, and µs its event loop was busy. */
function cpuSince(start: { cpu: NodeJS.CpuUsage; loop: EventLoopUtilization }): { cpuUs: number; sysUs: number; loopUs: number } {
  const d = process.cpuUsage(start.cpu);
  return { cpuUs: d.user + d.system, sysUs: d.system, loopUs: performance.eventLoopUtilization(start.loop).active * 1000 };
}

/** Bare verifications: the two ML-DSA checks every signed vote needs, on vote-sized messages, in this process. */
async function bareVerifyRow(n: number): Promise<LatencyRow> {
  const id = await S.Identity.create('bare', { level: LEVEL });
  const dsa = S.mlDsa(LEVEL);
  const msgs = [S.pae('application/vnd.quorumkit.http-request+json;v=1', S.utf8Encode('x'.repeat(420))), S.pae('application/vnd.quorumkit.governance.vote+json;v=1', S.utf8Encode('y'.repeat(560)))];
  const sigs = await Promise.all(msgs.map((m) => id.sign(m)));
  const once = async (): Promise<void> => {
    for (let k = 0; k < 2; k++) if (!(await dsa.verify(sigs[k]!, msgs[k]!, id.publicKey))) throw new Error('baseline verification failed');
  };
  for (let i = 0; i < 200; i++) await once();
  const lat = new Float64Array(n);
  const cpu0 = cpuMark();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await once();
    lat[i] = performance.now() - s;
  }
  const wallMs = performance.now() - t0;
  return latencyRow(`2× ML-DSA-${LEVEL} verify per vote (bare, in process, sequential)`, { requests: n, wallMs, latencies: lat, ...cpuSince(cpu0) });
}

async function votesCase(): Promise<{ rows: LatencyRow[]; info: Record<string, unknown> }> {
  const members = await gen<MemberRecord[]>({ op: 'identities', count: VOTERS, level: LEVEL });
  const node = await startNode('bench-node-a', members);
  try {
    const perProposal = VOTERS;
    const warm = Math.max(1, Math.ceil(Math.min(1000, VOTES / 5) / perProposal));
    const timed = Math.max(1, Math.ceil(VOTES / perProposal));
    const ids = await gen<string[]>({ op: 'proposals', count: warm + timed, tag: `a${process.pid}` });
    const n = timed * perProposal;
    console.log(`(a) ${warm + timed} open proposals, ${VOTERS} voters; pre-signing ${(warm + timed) * perProposal} votes and ${2 * n} baseline requests…`);
    await gen({ op: 'presign', name: 'warm', kind: 'votes', proposalIds: ids.slice(0, warm) });
    const shape = await gen<{ meanBodyBytes: number; meanHeaderBytes: number }>({ op: 'presign', name: 'votes', kind: 'votes', proposalIds: ids.slice(warm) });
    await gen({ op: 'presign', name: 'get', kind: 'get', count: n });
    await gen({ op: 'presign', name: 'noop', kind: 'noop', count: n });
    checkReplay('warm-up', await gen<ReplayResult>({ op: 'replay', name: 'warm', concurrency: CONCURRENCY }));
    const bare = await bareVerifyRow(Math.min(n, 2000));
    const run = async (name: string, label: string): Promise<LatencyRow> => {
      const cpu0 = cpuMark();
      const r = await profiled(name, () => gen<ReplayResult>({ op: 'replay', name, concurrency: CONCURRENCY }));
      const cpu = cpuSince(cpu0);
      checkReplay(label, r);
      return { ...latencyRow(label, { ...r, ...cpu }), generatorCpuUsPerOp: r.generatorCpuUs };
    };
    const get = await run('get', 'GET /v1/node (unsigned: the HTTP floor)');
    const noop = await run('noop', 'POST signed no-op (request signature + durable nonce)');
    const votes = await run('votes', 'POST /v1/proposals/{id}/votes (signed vote)');
    return { rows: [bare, get, noop, votes], info: { proposals: timed, warmupProposals: warm, voters: VOTERS, requestBodyBytes: shape.meanBodyBytes, requestHeaderBytes: shape.meanHeaderBytes } };
  } finally {
    await node.close();
  }
}

// --- (b) finished rounds -------------------------------------------------------------------------
interface MemorySample {
  readonly rounds: number;
  readonly heapUsedMiB: number;
  readonly rssMiB: number;
  /** The node's data dir: file → MiB (finished rounds live here, not in memory). */
  readonly files: Record<string, number>;
}

function sampleMemory(rounds: number, dir: string): MemorySample {
  gc();
  gc();
  const m = process.memoryUsage();
  const files = Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).size / MIB]));
  return { rounds, heapUsedMiB: m.heapUsed / MIB, rssMiB: m.rss / MIB, files };
}

async function roundsCase(): Promise<{ samples: MemorySample[]; result: RoundsResult }> {
  const members = await gen<MemberRecord[]>({ op: 'identities', count: 1, level: LEVEL });
  const samples: MemorySample[] = [];
  const node = await startNode('bench-node-b', members, (n) => {
    if (SAMPLE_AT.includes(n)) samples.push(sampleMemory(n, join(node.dir, 'node')));
  });
  try {
    console.log(`(b) ${ROUNDS.toLocaleString('en-US')} finished rounds (proposal → vote → the node's ballot → finalize), concurrency ${CONCURRENCY}…`);
    const result = await profiled('rounds', () => gen<RoundsResult>({ op: 'rounds', count: ROUNDS, concurrency: CONCURRENCY, tag: `b${process.pid}` }));
    if (result.firstError !== null) throw new Error(`rounds: unexpected answer: ${result.firstError}`);
    if (node.finalized !== ROUNDS) throw new Error(`rounds: ${node.finalized} finalized, expected ${ROUNDS}`);
    return { samples, result };
  } finally {
    await node.close();
  }
}

// --- run, report ---------------------------------------------------------------------------------
const meets = (ok: boolean): string => (ok ? 'meets' : 'MISSES');

function reportVotes(a: { rows: LatencyRow[] }): LatencyRow[] {
  const [bare, , noop, votes] = a.rows as [LatencyRow, LatencyRow, LatencyRow, LatencyRow];
  const rows = a.rows.map((r) => ({ ...r, baseline: bare.case, ratio: r.opsPerSec / bare.opsPerSec }));
  console.log(`\nGovernance node over HTTP (${DURABILITY}), requests/s and latency; ratio: req/s against the bare verifications in the same run`);
  printLatencyRows(rows);
  const ok = votes.opsPerSec >= TARGET.votesPerSec && votes.p99Ms <= TARGET.p99Ms;
  console.log(`\nsigned votes: ${votes.opsPerSec.toFixed(0)}/s, p99 ${votes.p99Ms.toFixed(1)} ms (${meets(ok)} the ≥ ${TARGET.votesPerSec}/s, p99 ≤ ${TARGET.p99Ms} ms target); ${(votes.opsPerSec / noop.opsPerSec).toFixed(2)}× the signed no-op`);
  return rows;
}

function reportRounds(b: { samples: MemorySample[]; result: RoundsResult }): Record<string, unknown> {
  const heapSlope = linearSlope(b.samples.map((s) => [s.rounds / 1000, s.heapUsedMiB]));
  const rssSlope = linearSlope(b.samples.map((s) => [s.rounds / 1000, s.rssMiB]));
  const roundsPerSec = (b.result.rounds / b.result.wallMs) * 1000;
  console.log(`\nfinished rounds: ${b.result.rounds.toLocaleString('en-US')} at ${roundsPerSec.toFixed(0)} rounds/s; memory after a forced GC, and the data dir:`);
  console.log('rounds  heapUsed MiB   RSS MiB   data dir (MiB)');
  for (const s of b.samples) console.log(`${String(s.rounds).padStart(6)}  ${s.heapUsedMiB.toFixed(1).padStart(12)}  ${s.rssMiB.toFixed(1).padStart(8)}   ${Object.entries(s.files).map(([f, m]) => `${f} ${m.toFixed(1)}`).join(', ')}`);
  console.log(`memory: heapUsed ${heapSlope.toFixed(2)} MiB / 1,000 finished rounds, RSS ${rssSlope.toFixed(2)} MiB / 1,000 (${meets(heapSlope <= TARGET.mibPer1kRounds)} the ≤ ${TARGET.mibPer1kRounds} MiB / 1,000 rounds heap target)`);
  return { count: b.result.rounds, wallMs: b.result.wallMs, roundsPerSec, statuses: b.result.statuses, samples: b.samples, heapMiBPer1kRounds: heapSlope, rssMiBPer1kRounds: rssSlope };
}

try {
  console.log(`governance node over HTTP: one node on loopback, data dir in ${tmpdir()} (${DURABILITY}); load generator in a separate process, concurrency ${CONCURRENCY}, ML-DSA-${LEVEL}`);
  const a = CASES.includes('a') ? await votesCase() : undefined;
  const b = CASES.includes('b') ? await roundsCase() : undefined;
  const rows = a === undefined ? [] : reportVotes(a);
  const rounds = b === undefined ? null : reportRounds(b);
  const file = writeResults('governance-http', rows as BenchRow[], { durability: DURABILITY, concurrency: CONCURRENCY, level: LEVEL, target: TARGET, votes: a?.info ?? null, rounds });
  console.log(`wrote ${file}`);
} finally {
  await gen({ op: 'exit' }).catch(() => undefined);
}
