// Governance nodes over real HTTP on loopback (ephemeral ports): a five-node round (weights
// 1/1/1/2/1) driven by `runRound`, the audit transparency log with verifiable checkpoints and
// proofs fetched over the wire, and a forged or mismatched published result refused with no state
// change. (Route-level bad input is tested in process: routes.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, utf8Encode } from '../../../src/core/bytes.js';
import { callService, signRequest } from '../../../src/http/index.js';
import { leafHash, verifyCheckpoint, verifyConsistency, verifyInclusion } from '../../../src/log/index.js';
import { Identity } from '../../../src/pq/identity.js';
import {
  ConsensusRound, GovernanceNode, GovernanceProposal, RegistryHistory, verifyByzantineEvidence, verifyResultOffline, type ProposalKind,
} from '../../../src/governance/index.js';
import { runRound } from '../../../src/governance/server/index.js';
import { makeNet, startNode, type Net, type RunningNode } from './_nodes.js';

let net: Net;
let nodes: RunningNode[];

beforeAll(async () => {
  net = await makeNet();
  nodes = [];
  for (let i = 0; i < 5; i++) nodes.push(await startNode(net, i));
});
afterAll(async () => {
  for (const n of nodes) await n.stop();
});

async function signedProposal(kind: ProposalKind, subject: string, proposerIndex = 0, parameters: Record<string, unknown> = {}): Promise<GovernanceProposal> {
  const id = net.ids[proposerIndex]!;
  const p = GovernanceProposal.create(kind, subject, `${kind} ${subject}`, id.did, { parameters });
  await new GovernanceNode({ identity: id, name: id.name }).signProposal(p);
  return p;
}

async function raw(url: string, path: string, body: string | Uint8Array, opts: { signer?: Identity; audience?: string; headers?: Record<string, string>; method?: string } = {}): Promise<{ status: number; json: any }> {
  const bytes = typeof body === 'string' ? utf8Encode(body) : body;
  const method = opts.method ?? 'POST';
  const signed = opts.signer ? await signRequest(opts.signer, { method, path, body: bytes, audience: opts.audience ?? (await callService<{ did: string }>(url, '/v1/node')).did }) : {};
  const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json', ...signed, ...opts.headers }, body: bytes as Uint8Array<ArrayBuffer> });
  return { status: res.status, json: await res.json() };
}

function expectError(r: { status: number; json: any }, status: number, code?: string): void {
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  if (code) expect(r.json.error.code).toBe(code);
  expect(typeof r.json.error.message).toBe('string');
}

async function snapshot(n: RunningNode): Promise<string> {
  const [proposals, cp, reg] = await Promise.all([
    callService(n.url, '/v1/proposals'),
    callService(n.url, '/v1/log/checkpoint'),
    callService(n.url, '/v1/registry'),
  ]);
  return JSON.stringify({ proposals, treeSize: (cp as { treeSize: number }).treeSize, reg });
}

describe('governance node API over HTTP', () => {
  it('five nodes (weights 1/1/1/2/1) authorize a model; every node records it and it re-verifies offline', async () => {
    const subject = 'did:pqaid:medical-ai-v2';
    const p = await signedProposal('authorize-model', subject);
    const outcome = await runRound({ signer: net.ids[0]!, peers: nodes.map((n) => ({ url: n.url })), proposal: p });
    expect(outcome.result.decision).toBe('passed');
    expect(outcome.result.approveWeight).toBe(6);
    expect(outcome.result.totalWeight).toBe(6);
    expect(outcome.votes).toHaveLength(5);
    expect(outcome.missing).toEqual([]);
    expect(outcome.published.every((x) => x.ok)).toBe(true);
    expect(await ConsensusRound.verifyResult(outcome.result, { trusted: net.ids.map((i) => i.did) })).toBe(true);
    const history = await RegistryHistory.fromJSON(net.genesis);
    const offline = await verifyResultOffline(outcome.result, outcome.votes, history, { proposal: p });
    expect(offline.valid, offline.reasons.join('; ')).toBe(true);
    for (const n of nodes) {
      const auth = await callService<any>(n.url, `/v1/subjects/${encodeURIComponent(subject)}/authorization`);
      expect(auth.authorized).toEqual({ model: true, agent: false });
      const got = await callService<any>(n.url, `/v1/results/${encodeURIComponent(p.proposalId)}`);
      expect(got.result).toEqual(outcome.result.envelope);
      expect((await callService<any>(n.url, `/v1/proposals/${encodeURIComponent(p.proposalId)}`)).status).toBe('passed');
    }
  });

  it('the audit log: signed checkpoint, inclusion and consistency proofs verify offline', async () => {
    const n = nodes[1]!;
    const { checkpoint, treeSize } = await callService<any>(n.url, '/v1/log/checkpoint');
    expect(treeSize).toBeGreaterThanOrEqual(3);
    const cp = await verifyCheckpoint(checkpoint, { trusted: [net.ids[1]!.did], origin: n.svc.nodeInfo().logOrigin });
    expect(cp.valid, cp.reasons.join('; ')).toBe(true);
    const size = cp.checkpoint!.treeSize;
    for (let i = 0; i < size; i++) {
      const e = await callService<any>(n.url, `/v1/log/entries/${i}`);
      const proof = await callService<any>(n.url, `/v1/log/proofs/inclusion?index=${i}&size=${size}`);
      expect(proof.leafHash).toBe(e.leafHash);
      expect(verifyInclusion(leafHash(Buffer.from(e.data, 'base64')), i, size, proof.proof.map(fromHex), cp.root!)).toBe(true);
      expect(verifyInclusion(leafHash(utf8Encode('forged')), i, size, proof.proof.map(fromHex), cp.root!)).toBe(false);
    }
    const ops = (await callService<any>(n.url, '/v1/audit')).entries.map((x: any) => x.entry.operation);
    expect(ops).toContain('consensus_reached');
    expect(ops).toContain('authorization_granted');
    const c = await callService<any>(n.url, `/v1/log/proofs/consistency?from=1&to=${size}`);
    expect(verifyConsistency(1, size, fromHex(c.fromRoot), cp.root!, c.proof.map(fromHex))).toBe(true);
  });

  it('a forged or mismatched published result is refused and changes nothing', async () => {
    const p = await signedProposal('authorize-model', 'did:pqaid:forgery');
    const outcome = await runRound({ signer: net.ids[0]!, peers: nodes.slice(0, 4).map((n) => ({ url: n.url })), proposal: p });
    expect(outcome.result.decision).toBe('passed'); // 5 of 6 weight took part
    const late = nodes[4]!;
    await callService(late.url, '/v1/proposals', { body: { proposal: p.envelope }, signer: net.ids[0]!, audience: late.did });
    const before = await snapshot(late);
    const pub = (votes: unknown[]) => raw(late.url, '/v1/results', JSON.stringify({ result: outcome.result.envelope, votes }), { signer: net.ids[0]! });
    expectError(await pub(outcome.votes.slice(1)), 400, 'ERR_INVALID_ARGUMENT'); // a vote missing: tally differs
    expectError(await pub([]), 400, 'ERR_INVALID_ARGUMENT');
    expect(await snapshot(late)).toBe(before);
    expect((await pub(outcome.votes)).status).toBe(201);
    expect((await pub(outcome.votes)).status).toBe(200); // idempotent
  });
});
