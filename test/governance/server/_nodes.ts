// Fixtures for governance node tests: five ML-DSA-44 identities (weights 1/1/1/2/1), a genesis file,
// vote policies, nodes served over real HTTP on loopback (ephemeral ports) for what needs a socket,
// and in-process nodes whose routes are called with `app.request(...)` for everything else.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { base64Encode, utf8Encode } from '../../../src/core/bytes.js';
import { serveApp, signRequest, type RunningServer, type ServiceEnv } from '../../../src/http/index.js';
import { Identity } from '../../../src/pq/identity.js';
import { GovernanceNode, GovernanceProposal, type ProposalKind } from '../../../src/governance/index.js';
import { createGenesis, createGovernanceApp, GovernanceService, VotePolicy, type GenesisFile, type GovernanceServiceOptions } from '../../../src/governance/server/index.js';

export const NAMES = ['alice', 'bob', 'carol', 'dave', 'eve'] as const;
export const WEIGHTS = [1, 1, 1, 2, 1] as const;

/** Approves every authorize-* proposal (and a few others), queues everything else. */
export const APPROVE_AUTHORIZE = VotePolicy.parse({
  type: 'quorumkit-vote-policy',
  version: 1,
  default: 'queue',
  rules: [{ kind: ['authorize-model', 'authorize-agent', 'add-node', 'emergency-freeze', 'update-policy'], subject: '*', decision: 'approve', rationale: 'test policy' }],
});

export interface Net {
  readonly ids: Identity[];
  /** The five as GovernanceNodes with their weights (to sign proposals and votes). */
  readonly nodes: GovernanceNode[];
  readonly genesis: GenesisFile;
}

export async function makeNet(): Promise<Net> {
  const ids = await Promise.all(NAMES.map((n) => Identity.create(n, { level: 44 })));
  const genesis = createGenesis(ids.map((id, i) => ({ did: id.did, name: id.name, weight: WEIGHTS[i]!, publicKey: base64Encode(id.publicKey) })));
  const nodes = ids.map((id, i) => new GovernanceNode({ identity: id, name: id.name, weight: WEIGHTS[i]! }));
  return { ids, nodes, genesis };
}

/** A proposal signed by member `proposer` (default alice). */
export async function signedProposal(net: Net, kind: ProposalKind, subject: string, options: { proposer?: number; parameters?: Record<string, unknown>; ttlSeconds?: number; clock?: import('../../../src/core/clock.js').Clock } = {}): Promise<GovernanceProposal> {
  const author = net.nodes[options.proposer ?? 0]!;
  const p = GovernanceProposal.create(kind, subject, `${kind} ${subject}`, author.did, {
    ...(options.parameters ? { parameters: options.parameters } : {}),
    ...(options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await author.signProposal(p);
  return p;
}

/** Opens node `i` of `net` as a service (`:memory:` unless a data dir is given). */
export function openService(net: Net, i: number, opts: Partial<GovernanceServiceOptions> = {}): Promise<GovernanceService> {
  return GovernanceService.open({ identity: net.ids[i]!, dataDir: ':memory:', genesis: net.genesis, votePolicy: APPROVE_AUTHORIZE, checkpointIntervalMs: 0, ...opts });
}

/** An HTTP answer: status and parsed JSON. */
export interface Answer {
  readonly status: number;
  readonly json: any;
}

/** Options of a request to a node. */
export interface Call {
  /** Sign as this identity, for `audience` (default: the node's did). */
  readonly signer?: Identity;
  readonly audience?: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
}

/** A node whose routes are called in process with `app.request(...)` (no socket). */
export interface LocalNode {
  readonly svc: GovernanceService;
  readonly app: Hono<ServiceEnv>;
  readonly logs: Record<string, unknown>[];
  get(path: string): Promise<Answer>;
  /** POSTs `body` (a string is sent as is, anything else as JSON). */
  post(path: string, body: unknown, call?: Call): Promise<Answer>;
  close(): Promise<void>;
}

/** Sends one request to `app` in process. */
export async function request(app: Hono<ServiceEnv>, audience: string, path: string, body: unknown, call: Call = {}): Promise<Answer> {
  const method = call.method ?? (body === undefined ? 'GET' : 'POST');
  const bytes = body === undefined ? undefined : typeof body === 'string' ? utf8Encode(body) : utf8Encode(JSON.stringify(body));
  const signed = call.signer ? await signRequest(call.signer, { method, path, body: bytes ?? new Uint8Array(0), audience: call.audience ?? audience }) : {};
  const res = await app.request(path, { method, headers: { 'content-type': 'application/json', ...signed, ...call.headers }, ...(bytes ? { body: bytes as Uint8Array<ArrayBuffer> } : {}) });
  return { status: res.status, json: await res.json() };
}

/** Node `i` of `net` in process. */
export async function localNode(net: Net, i: number, opts: Partial<GovernanceServiceOptions> & { maxBodyBytes?: number } = {}): Promise<LocalNode> {
  const { maxBodyBytes, ...svcOpts } = opts;
  const svc = await openService(net, i, svcOpts);
  const logs: Record<string, unknown>[] = [];
  const app = createGovernanceApp(svc, { log: (e) => logs.push(e), ...(maxBodyBytes ? { maxBodyBytes } : {}) });
  return {
    svc,
    app,
    logs,
    get: (path) => request(app, svc.did, path, undefined),
    post: (path, body, call = {}) => request(app, svc.did, path, body, { signer: net.ids[0]!, ...call }),
    close: () => svc.close(),
  };
}

export interface RunningNode {
  readonly svc: GovernanceService;
  readonly server: RunningServer;
  readonly url: string;
  readonly did: string;
  readonly logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Node `i` of `net` served over real HTTP on loopback (on `port`, default an ephemeral one). */
export async function startNode(net: Net, i: number, opts: Partial<GovernanceServiceOptions> & { maxBodyBytes?: number; port?: number } = {}): Promise<RunningNode> {
  const { maxBodyBytes, port, ...svcOpts } = opts;
  const svc = await openService(net, i, svcOpts);
  const logs: Record<string, unknown>[] = [];
  const server = await serveApp(createGovernanceApp(svc, { log: (e) => logs.push(e), ...(maxBodyBytes ? { maxBodyBytes } : {}) }), port === undefined ? {} : { port });
  return {
    svc,
    server,
    url: server.url,
    did: svc.did,
    logs,
    stop: async () => {
      await server.close(500);
      await svc.close();
    },
  };
}

/** `n` TCP ports free on loopback right now (for nodes that must know each other's URLs before they start). */
export async function freePorts(n: number): Promise<number[]> {
  const { createServer } = await import('node:net');
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `qk-gov-${prefix}-`));
}
