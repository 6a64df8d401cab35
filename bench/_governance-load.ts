// Load generator of bench/governance-http.ts, run as a SEPARATE process (child_process.fork) so it
// never shares the governance node's event loop. It holds the voters' identities (their secret keys
// never leave this process), submits the proposals of a case, pre-signs every request of a case
// before it is timed (signed-request headers with audience = the node's did, a fresh random nonce
// each; serialized to bytes), and replays them over keep-alive HTTP/1.1 (_http1-client.ts: one
// connection per concurrent sender) at a fixed concurrency, timing each request from the write to
// the last answer byte.
// Finished rounds (proposal → vote → the node's ballot → finalize) are signed as they go: that case
// measures memory, not latency. Driven over IPC by the parent (bench/governance-http.ts).

import { canonicalize } from 'quorumkit/core';
import { GovernanceNode, GovernanceProposal, type SignedVote } from 'quorumkit/governance';
import type { EnvelopeSigner } from 'quorumkit/envelope';
import { signRequest } from 'quorumkit/http';
import { Identity, type MlDsaLevel } from 'quorumkit/pq';
import { Http1Connection, serializeRequest } from './_http1-client.ts';

/** A member record as a genesis file lists it. */
export interface MemberRecord {
  readonly did: string;
  readonly name: string;
  readonly weight: number;
  readonly publicKey: string;
}

/** What the parent asks; each request carries an `id` echoed in the reply. */
export type LoadCommand =
  /** Replaces the voters with `count` fresh identities; answers their member records. */
  | { readonly op: 'identities'; readonly count: number; readonly level: MlDsaLevel }
  | { readonly op: 'target'; readonly url: string; readonly did: string }
  | { readonly op: 'proposals'; readonly count: number; readonly tag: string }
  | { readonly op: 'presign'; readonly name: string; readonly kind: 'votes'; readonly proposalIds: readonly string[] }
  | { readonly op: 'presign'; readonly name: string; readonly kind: 'noop' | 'get'; readonly count: number }
  | { readonly op: 'replay'; readonly name: string; readonly concurrency: number }
  | { readonly op: 'rounds'; readonly count: number; readonly concurrency: number; readonly tag: string }
  | { readonly op: 'exit' };

/** Outcome of replaying one pre-signed case. */
export interface ReplayResult {
  readonly requests: number;
  readonly wallMs: number;
  /** Per-request latency in ms, in request order. */
  readonly latencies: Float64Array;
  /** HTTP status → count. */
  readonly statuses: Record<string, number>;
  /** The first answer with an unexpected status (status and the start of its body). */
  readonly firstError: string | null;
  /** CPU time the generator spent per request, µs (it shares the machine with the node). */
  readonly generatorCpuUs: number;
}

/** Outcome of the finished-rounds case. */
export interface RoundsResult {
  readonly rounds: number;
  readonly wallMs: number;
  readonly statuses: Record<string, number>;
  readonly firstError: string | null;
}

interface Prepared {
  readonly method: string;
  readonly path: string;
  /** The whole request, serialized before timing. */
  readonly wire: Buffer;
  readonly bodyBytes: number;
  readonly headerBytes: number;
  /** The status a correct node answers with. */
  readonly expect: number;
}

/** The path of the trivial signed endpoint the suite mounts on the node (the signed-request baseline). */
export const SIGNED_NOOP_PATH = '/bench/signed-noop';

const voters: GovernanceNode[] = [];
const proposals = new Map<string, GovernanceProposal>();
const prepared = new Map<string, Prepared[]>();
let target: { host: string; port: number; did: string } | undefined;

function node(): { host: string; port: number; did: string } {
  if (target === undefined) throw new Error('no target node set');
  return target;
}

async function prepare(signer: EnvelopeSigner | undefined, method: string, path: string, body: unknown, expect: number): Promise<Prepared> {
  const bytes = Buffer.from(body === undefined ? '' : canonicalize(body), 'utf8');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (signer !== undefined) Object.assign(headers, await signRequest(signer, { method, path, body: bytes, audience: node().did }));
  const { host, port } = node();
  const wire = serializeRequest(method, path, `${host}:${port}`, headers, bytes);
  return { method, path, wire, bodyBytes: bytes.length, headerBytes: wire.length - bytes.length, expect };
}

/** A connection of its own per concurrent sender, reopened when the server closed it. */
function sender(): { send(p: Prepared): Promise<{ status: number; text: string }>; close(): void } {
  let conn: Http1Connection | undefined;
  return {
    async send(p) {
      if (conn === undefined || conn.closed) conn = await Http1Connection.open(node().host, node().port);
      const a = await conn.request(p.wire);
      return { status: a.status, text: a.status === p.expect ? '' : a.body.toString('utf8') };
    },
    close: () => conn?.close(),
  };
}

function tracker(): { note(p: Prepared, r: { status: number; text: string }): void; statuses: Record<string, number>; firstError(): string | null } {
  const statuses: Record<string, number> = {};
  let first: string | null = null;
  return {
    statuses,
    note(p, r) {
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status !== p.expect && first === null) first = `${p.method} ${p.path.replace(/urn:quorumkit:[^/]+/, '{id}')} → ${r.status} ${r.text.slice(0, 300)}`;
    },
    firstError: () => first,
  };
}

/** Runs `task(i, send)` for i < count with at most `concurrency` in flight, each sender on its own connection. */
async function pool(count: number, concurrency: number, task: (i: number, send: (p: Prepared) => Promise<{ status: number; text: string }>) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      const s = sender();
      try {
        while (next < count) await task(next++, s.send);
      } finally {
        s.close();
      }
    }),
  );
}

/** A fresh set of voters (replacing the previous case's). */
async function identities(count: number, level: MlDsaLevel): Promise<MemberRecord[]> {
  voters.length = 0;
  proposals.clear();
  const out: MemberRecord[] = [];
  for (let i = 0; i < count; i++) {
    const name = `voter-${voters.length}`;
    const identity = await Identity.create(name, { level });
    voters.push(new GovernanceNode({ identity, name, weight: 1 }));
    out.push({ did: identity.did, name, weight: 1, publicKey: Buffer.from(identity.publicKey).toString('base64') });
  }
  return out;
}

async function newProposal(tag: string, i: number): Promise<GovernanceProposal> {
  const author = voters[0]!;
  const p = GovernanceProposal.create('authorize-model', `did:pqaid:bench-${tag}-${i}`, `bench ${tag} ${i}`, author.did, { ttlSeconds: 3600 });
  await author.signProposal(p);
  proposals.set(p.proposalId, p);
  return p;
}

async function submitProposals(count: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  const t = tracker();
  await pool(count, 16, async (i, send) => {
    const p = await newProposal(tag, i);
    const req = await prepare(voters[0]!.identity, 'POST', '/v1/proposals', { proposal: p.envelope }, 201);
    t.note(req, await send(req));
    ids[i] = p.proposalId;
  });
  if (t.firstError() !== null) throw new Error(`submitting proposals failed: ${t.firstError()}`);
  return ids;
}

/** Every voter's vote on every proposal, proposal-major within each voter (so in-flight votes hit different rounds). */
async function presignVotes(proposalIds: readonly string[]): Promise<Prepared[]> {
  const out: Prepared[] = [];
  for (const v of voters) {
    for (const id of proposalIds) {
      const vote: SignedVote = await v.castVote(proposals.get(id)!, 'approve');
      out.push(await prepare(v.identity, 'POST', `/v1/proposals/${id}/votes`, { vote: vote.envelope }, 201));
    }
  }
  return out;
}

async function presign(cmd: Extract<LoadCommand, { op: 'presign' }>): Promise<{ requests: number; meanBodyBytes: number; meanHeaderBytes: number }> {
  let reqs: Prepared[];
  if (cmd.kind === 'votes') reqs = await presignVotes(cmd.proposalIds);
  else if (cmd.kind === 'noop') reqs = await Promise.all(Array.from({ length: cmd.count }, (_, i) => prepare(voters[i % voters.length]!.identity, 'POST', SIGNED_NOOP_PATH, {}, 200)));
  else reqs = await Promise.all(Array.from({ length: cmd.count }, () => prepare(undefined, 'GET', '/v1/node', undefined, 200)));
  prepared.set(cmd.name, reqs);
  const mean = (f: (p: Prepared) => number): number => Math.round(reqs.reduce((s, p) => s + f(p), 0) / Math.max(1, reqs.length));
  return { requests: reqs.length, meanBodyBytes: mean((p) => p.bodyBytes), meanHeaderBytes: mean((p) => p.headerBytes) };
}

async function replay(name: string, concurrency: number): Promise<ReplayResult> {
  const reqs = prepared.get(name);
  if (reqs === undefined) throw new Error(`nothing pre-signed under ${name}`);
  prepared.delete(name);
  const latencies = new Float64Array(reqs.length);
  const t = tracker();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await pool(reqs.length, concurrency, async (i, send) => {
    const start = performance.now();
    const r = await send(reqs[i]!);
    latencies[i] = performance.now() - start;
    t.note(reqs[i]!, r);
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { requests: reqs.length, wallMs, latencies, statuses: t.statuses, firstError: t.firstError(), generatorCpuUs: (cpu.user + cpu.system) / reqs.length };
}

/** One whole round: voter 0 proposes and votes, the node casts its own ballot (its vote policy approves), then finalizes. */
async function rounds(count: number, concurrency: number, tag: string): Promise<RoundsResult> {
  const t = tracker();
  const t0 = performance.now();
  const author = voters[0]!;
  const signer = author.identity;
  await pool(count, concurrency, async (i, send) => {
    const go = async (req: Promise<Prepared>): Promise<void> => {
      const p = await req;
      t.note(p, await send(p));
    };
    const p = await newProposal(tag, i);
    proposals.delete(p.proposalId);
    await go(prepare(signer, 'POST', '/v1/proposals', { proposal: p.envelope }, 201));
    const vote = await author.castVote(p, 'approve');
    await go(prepare(signer, 'POST', `/v1/proposals/${p.proposalId}/votes`, { vote: vote.envelope }, 201));
    await go(prepare(signer, 'POST', `/v1/proposals/${p.proposalId}/ballot`, {}, 200));
    await go(prepare(signer, 'POST', `/v1/proposals/${p.proposalId}/finalize`, {}, 201));
  });
  return { rounds: count, wallMs: performance.now() - t0, statuses: t.statuses, firstError: t.firstError() };
}

async function handle(cmd: LoadCommand): Promise<unknown> {
  switch (cmd.op) {
    case 'identities':
      return identities(cmd.count, cmd.level);
    case 'target': {
      const u = new URL(cmd.url);
      target = { host: u.hostname, port: Number(u.port), did: cmd.did };
      return null;
    }
    case 'proposals':
      return submitProposals(cmd.count, cmd.tag);
    case 'presign':
      return presign(cmd);
    case 'replay':
      return replay(cmd.name, cmd.concurrency);
    case 'rounds':
      return rounds(cmd.count, cmd.concurrency, cmd.tag);
    case 'exit':
      setImmediate(() => process.exit(0));
      return null;
  }
}

if (process.send !== undefined) {
  process.on('message', (msg: { id: number; cmd: LoadCommand }) => {
    handle(msg.cmd).then(
      (value) => process.send!({ id: msg.id, ok: true, value }),
      (e: unknown) => process.send!({ id: msg.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    );
  });
  // The parent going away ends the generator.
  process.on('disconnect', () => process.exit(0));
}
