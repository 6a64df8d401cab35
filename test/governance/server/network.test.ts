// The governance node API over real HTTP on loopback (ephemeral ports): a five-node round (weights
// 1/1/1/2/1), Byzantine double votes answered 409 with third-party-verifiable evidence, the audit
// transparency log with verifiable checkpoints and proofs, and every bad request → 4xx
// { error: { code, message } } with no state change (checked by re-fetching state).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, utf8Encode } from '../../src/core/bytes.js';
import { callService, signRequest } from '../../src/http/index.js';
import { leafHash, verifyCheckpoint, verifyConsistency, verifyInclusion } from '../../src/log/index.js';
import { Identity } from '../../src/pq/identity.js';
import {
  ConsensusRound, GovernanceNode, GovernanceProposal, RegistryHistory, verifyByzantineEvidence, verifyResultOffline, type ProposalKind,
} from '../../src/governance/index.js';
import { runRound } from '../../src/governance/server/index.js';
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

async function raw(url: string, path: string, body: string | Uint8Array, opts: { signer?: Identity; headers?: Record<string, string>; method?: string } = {}): Promise<{ status: number; json: any }> {
  const bytes = typeof body === 'string' ? utf8Encode(body) : body;
  const method = opts.method ?? 'POST';
  const signed = opts.signer ? await signRequest(opts.signer, { method, path, body: bytes }) : {};
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
    const cp = await verifyCheckpoint(checkpoint, { trusted: [net.ids[1]!.did], origin: n.svc.trail.log.origin });
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

  it('a Byzantine double vote → 409 with evidence a third party verifies; the equivocator is not counted', async () => {
    const p = await signedProposal('authorize-agent', 'did:pqaid:agent-7');
    const eve = new GovernanceNode({ identity: net.ids[4]!, name: 'eve' });
    const target = nodes[0]!;
    await callService(target.url, '/v1/proposals', { body: { proposal: p.envelope }, signer: net.ids[0]! });
    const yes = await eve.castVote(p, 'approve');
    const no = await eve.castVote(p, 'reject');
    expect((await callService<any>(target.url, `/v1/proposals/${encodeURIComponent(p.proposalId)}/votes`, { body: { vote: yes.envelope }, signer: net.ids[4]! })).outcome).toBe('counted');
    const r = await raw(target.url, `/v1/proposals/${encodeURIComponent(p.proposalId)}/votes`, JSON.stringify({ vote: no.envelope }), { signer: net.ids[4]! });
    expectError(r, 409, 'ERR_BYZANTINE_DETECTED');
    expect(r.json.error.evidence.voterDid).toBe(net.ids[4]!.did);
    expect((await verifyByzantineEvidence(JSON.parse(JSON.stringify(r.json.error.evidence)))).valid).toBe(true);
    const listed = await callService<any>(target.url, `/v1/proposals/${encodeURIComponent(p.proposalId)}/votes`);
    expect(listed.evidence).toHaveLength(1);
    const state = await callService<any>(target.url, `/v1/proposals/${encodeURIComponent(p.proposalId)}`);
    expect(state.tally.validVoteCount).toBe(0);
    // A third vote by the equivocator no longer counts (409, nothing changes).
    const again = await eve.castVote(p, 'approve');
    expectError(await raw(target.url, `/v1/proposals/${encodeURIComponent(p.proposalId)}/votes`, JSON.stringify({ vote: again.envelope }), { signer: net.ids[4]! }), 409, 'ERR_CONFLICT');
    const audit = (await callService<any>(target.url, '/v1/audit')).entries.map((x: any) => x.entry.operation);
    expect(audit).toContain('byzantine_detected');
  });

  it('bad requests → 4xx { error: { code, message } } and no state change', async () => {
    const n = nodes[2]!;
    const alice = net.ids[0]!;
    const outsider = await Identity.create('mallory', { level: 44 });
    const before = await snapshot(n);
    const good = await signedProposal('authorize-model', 'did:pqaid:bad-requests');
    const path = '/v1/proposals';
    expectError(await raw(n.url, path, '{"proposal":', { signer: alice }), 400, 'ERR_JSON_PARSE');
    expectError(await raw(n.url, path, '{"proposal":{},"proposal":{}}', { signer: alice }), 400, 'ERR_JSON_DUPLICATE_KEY');
    expectError(await raw(n.url, path, '{"nope":1}', { signer: alice }), 400, 'ERR_SCHEMA_INVALID');
    expectError(await raw(n.url, path, JSON.stringify({ proposal: { ...good.envelope, extra: 1 } }), { signer: alice }), 400, 'ERR_SCHEMA_INVALID');
    expectError(await raw(n.url, path, `{"pad":"${'x'.repeat(5 * 1024 * 1024)}"}`, { signer: alice }), 413, 'ERR_PAYLOAD_TOO_LARGE');
    // Unknown kind: a correctly signed proposal envelope whose body names a kind outside the nine.
    const { signEnvelope } = await import('../../src/envelope/sign.js');
    const unknownKind = await signEnvelope({ ...good.body(), kind: 'launch-rockets' }, good.envelope!.payloadType, [alice]);
    expectError(await raw(n.url, path, JSON.stringify({ proposal: unknownKind }), { signer: alice }), 400, 'ERR_INVALID_PROPOSAL');
    // Tampered proposal (signature no longer covers the body).
    const tampered = { ...good.envelope!, payload: (await signEnvelope({ ...good.body(), title: 'other' }, good.envelope!.payloadType, [outsider])).payload };
    expectError(await raw(n.url, path, JSON.stringify({ proposal: tampered }), { signer: alice }), 400, 'ERR_INVALID_PROPOSAL');
    // Proposed by a non-member (signed by its own proposer), relayed by a member.
    const foreign = GovernanceProposal.create('authorize-model', 'did:pqaid:x', 't', outsider.did);
    await new GovernanceNode({ identity: outsider, name: 'mallory' }).signProposal(foreign);
    expectError(await raw(n.url, path, JSON.stringify({ proposal: foreign.envelope }), { signer: alice }), 403, 'ERR_FORBIDDEN');
    const body = JSON.stringify({ proposal: good.envelope });
    expectError(await raw(n.url, path, body), 401, 'ERR_UNAUTHENTICATED');
    expectError(await raw(n.url, path, body, { signer: outsider }), 403, 'ERR_FORBIDDEN');
    const wrong = await signRequest(alice, { method: 'POST', path, body: utf8Encode('{"proposal":null}') });
    expectError(await raw(n.url, path, body, { headers: wrong }), 401, 'ERR_UNAUTHENTICATED');
    const otherPath = await signRequest(alice, { method: 'POST', path: '/v1/results', body: utf8Encode(body) });
    expectError(await raw(n.url, path, body, { headers: otherPath }), 401, 'ERR_UNAUTHENTICATED');
    expectError(await raw(n.url, path, body, { signer: alice, headers: { 'content-type': 'text/plain' } }), 400);
    // Votes, ballots, finalize and results on unknown proposals or with garbage.
    const unknown = `/v1/proposals/${encodeURIComponent('urn:quorumkit:proposal:none')}`;
    expectError(await raw(n.url, `${unknown}/ballot`, '{}', { signer: alice }), 404, 'ERR_NOT_FOUND');
    expectError(await raw(n.url, `${unknown}/finalize`, '{}', { signer: alice }), 404, 'ERR_NOT_FOUND');
    expectError(await raw(n.url, `${unknown}/ballot`, '{"x":1}', { signer: alice }), 400, 'ERR_SCHEMA_INVALID');
    expectError(await raw(n.url, `${unknown}/votes`, JSON.stringify({ vote: good.envelope }), { signer: alice }), 400, 'ERR_INVALID_VOTE');
    expectError(await raw(n.url, '/v1/results', JSON.stringify({ result: good.envelope, votes: [] }), { signer: alice }), 400);
    expectError(await raw(n.url, '/v1/results', JSON.stringify({ result: good.envelope, votes: 'x' }), { signer: alice }), 400, 'ERR_SCHEMA_INVALID');
    for (const q of ['/v1/log/proofs/inclusion?index=999999&size=1', '/v1/log/proofs/inclusion?index=-1', '/v1/log/proofs/consistency?from=9&to=1', '/v1/log/entries/abc', '/v1/proposals?status=weird', '/v1/proposals?kind=launch-rockets',
      `/v1/proposals/${'p'.repeat(600)}`, `/v1/results/${'p'.repeat(600)}`, `/v1/subjects/${'s'.repeat(600)}/authorization`]) {
      const res = await fetch(n.url + q);
      expectError({ status: res.status, json: await res.json() }, 400);
    }
    expect(await snapshot(n)).toBe(before);
  });

  it('a forged or mismatched published result is refused and changes nothing', async () => {
    const p = await signedProposal('authorize-model', 'did:pqaid:forgery');
    const outcome = await runRound({ signer: net.ids[0]!, peers: nodes.slice(0, 4).map((n) => ({ url: n.url })), proposal: p });
    expect(outcome.result.decision).toBe('passed'); // 5 of 6 weight took part
    const late = nodes[4]!;
    await callService(late.url, '/v1/proposals', { body: { proposal: p.envelope }, signer: net.ids[0]! });
    const before = await snapshot(late);
    const pub = (votes: unknown[]) => raw(late.url, '/v1/results', JSON.stringify({ result: outcome.result.envelope, votes }), { signer: net.ids[0]! });
    expectError(await pub(outcome.votes.slice(1)), 400, 'ERR_INVALID_ARGUMENT'); // a vote missing: tally differs
    expectError(await pub([]), 400, 'ERR_INVALID_ARGUMENT');
    expect(await snapshot(late)).toBe(before);
    expect((await pub(outcome.votes)).status).toBe(201);
    expect((await pub(outcome.votes)).status).toBe(200); // idempotent
  });
});
