// The governance routes called in process (`app.request`): every bad request — malformed JSON,
// schema mismatch, oversize body, unknown kind, bad or foreign signature, unsigned, replayed,
// signed for another node, non-member, unknown ids, bad queries — answers 4xx
// `{ error: { code, message } }` and changes nothing (checked by re-reading state); random
// garbage never gets a 5xx; a double vote answers 409 with evidence a third party verifies.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode } from '../../../src/core/bytes.js';
import { parseStrict } from '../../../src/core/parse-strict.js';
import { signEnvelope } from '../../../src/envelope/sign.js';
import { signRequest } from '../../../src/http/index.js';
import { Identity } from '../../../src/pq/identity.js';
import { GovernanceNode, GovernanceProposal, verifyByzantineEvidence } from '../../../src/governance/index.js';
import { parsePeers, VotePolicy } from '../../../src/governance/server/index.js';
import { localNode, makeNet, signedProposal, type Answer, type LocalNode, type Net } from './_nodes.js';

let net: Net;
let node: LocalNode;
let outsider: Identity;
beforeAll(async () => {
  net = await makeNet();
  node = await localNode(net, 2);
  outsider = await Identity.create('mallory', { level: 44 });
});
afterAll(() => node.close());

function expectError(r: Answer, status: number, code?: string): void {
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  if (code) expect(r.json.error.code).toBe(code);
  expect(typeof r.json.error.message).toBe('string');
}

async function snapshot(n: LocalNode): Promise<string> {
  const [proposals, cp, reg] = await Promise.all([n.get('/v1/proposals'), n.get('/v1/log/checkpoint'), n.get('/v1/registry')]);
  return JSON.stringify({ proposals: proposals.json, treeSize: cp.json.treeSize, reg: reg.json });
}

const alice = (): Identity => net.ids[0]!;

describe('governance routes', () => {
  it('bad requests → 4xx { error: { code, message } } and no state change', async () => {
    const before = await snapshot(node);
    const good = await signedProposal(net, 'authorize-model', 'did:pqaid:bad-requests');
    const path = '/v1/proposals';
    expectError(await node.post(path, '{"proposal":'), 400, 'ERR_JSON_PARSE');
    expectError(await node.post(path, '{"proposal":{},"proposal":{}}'), 400, 'ERR_JSON_DUPLICATE_KEY');
    expectError(await node.post(path, '{"nope":1}'), 400, 'ERR_SCHEMA_INVALID');
    expectError(await node.post(path, { proposal: { ...good.envelope, extra: 1 } }), 400, 'ERR_SCHEMA_INVALID');
    expectError(await node.post(path, `{"pad":"${'x'.repeat(5 * 1024 * 1024)}"}`), 413, 'ERR_PAYLOAD_TOO_LARGE');
    // Unknown kind: a correctly signed proposal envelope whose body names a kind outside the nine.
    const unknownKind = await signEnvelope({ ...good.body(), kind: 'launch-rockets' }, good.envelope!.payloadType, [alice()]);
    expectError(await node.post(path, { proposal: unknownKind }), 400, 'ERR_INVALID_PROPOSAL');
    // Tampered proposal (the signature no longer covers the body).
    const tampered = { ...good.envelope!, payload: (await signEnvelope({ ...good.body(), title: 'other' }, good.envelope!.payloadType, [outsider])).payload };
    expectError(await node.post(path, { proposal: tampered }), 400, 'ERR_INVALID_PROPOSAL');
    // Proposed by a non-member (signed by its own proposer), relayed by a member.
    const foreign = GovernanceProposal.create('authorize-model', 'did:pqaid:x', 't', outsider.did);
    await new GovernanceNode({ identity: outsider, name: 'mallory' }).signProposal(foreign);
    expectError(await node.post(path, { proposal: foreign.envelope }), 403, 'ERR_FORBIDDEN');
    const body = JSON.stringify({ proposal: good.envelope });
    expectError(await node.post(path, body, { signer: undefined as never }), 401, 'ERR_UNAUTHENTICATED');
    expectError(await node.post(path, body, { signer: outsider }), 403, 'ERR_FORBIDDEN');
    const wrong = await signRequest(alice(), { method: 'POST', path, body: utf8Encode('{"proposal":null}'), audience: node.svc.did });
    expectError(await node.post(path, body, { signer: undefined as never, headers: wrong }), 401, 'ERR_UNAUTHENTICATED');
    const otherPath = await signRequest(alice(), { method: 'POST', path: '/v1/results', body: utf8Encode(body), audience: node.svc.did });
    expectError(await node.post(path, body, { signer: undefined as never, headers: otherPath }), 401, 'ERR_UNAUTHENTICATED');
    expectError(await node.post(path, body, { headers: { 'content-type': 'text/plain' } }), 400);
    // Votes, ballots, finalize and results on unknown proposals or with garbage.
    const unknown = `/v1/proposals/${encodeURIComponent('urn:quorumkit:proposal:none')}`;
    expectError(await node.post(`${unknown}/ballot`, '{}'), 404, 'ERR_NOT_FOUND');
    expectError(await node.post(`${unknown}/finalize`, '{}'), 404, 'ERR_NOT_FOUND');
    expectError(await node.post(`${unknown}/ballot`, '{"x":1}'), 400, 'ERR_SCHEMA_INVALID');
    expectError(await node.post(`${unknown}/votes`, { vote: good.envelope }), 400, 'ERR_INVALID_VOTE');
    expectError(await node.post('/v1/results', { result: good.envelope, votes: [] }), 400);
    expectError(await node.post('/v1/results', { result: good.envelope, votes: 'x' }), 400, 'ERR_SCHEMA_INVALID');
    for (const q of ['/v1/log/proofs/inclusion?index=999999&size=1', '/v1/log/proofs/inclusion?index=-1', '/v1/log/proofs/consistency?from=9&to=1', '/v1/log/entries/abc', '/v1/proposals?status=weird', '/v1/proposals?kind=launch-rockets',
      `/v1/proposals/${'p'.repeat(600)}`, `/v1/results/${'p'.repeat(600)}`, `/v1/subjects/${'s'.repeat(600)}/authorization`, '/v1/registry/versions/x']) {
      expectError(await node.get(q), 400);
    }
    expectError(await node.get('/v1/registry/versions/9'), 404, 'ERR_NOT_FOUND');
    expect(await snapshot(node)).toBe(before);
  });

  it('a request signed for another node, or replayed, is refused (401) and changes nothing', async () => {
    const before = await snapshot(node);
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:audience');
    const path = '/v1/proposals';
    const body = utf8Encode(JSON.stringify({ proposal: p.envelope }));
    expectError(await node.post(path, { proposal: p.envelope }, { audience: net.ids[0]!.did }), 401, 'ERR_UNAUTHENTICATED');
    expect(await snapshot(node)).toBe(before);
    const headers = await signRequest(alice(), { method: 'POST', path, body, audience: node.svc.did });
    expect((await node.post(path, new TextDecoder().decode(body), { signer: undefined as never, headers })).status).toBe(201);
    const again = await node.post(path, new TextDecoder().decode(body), { signer: undefined as never, headers });
    expectError(again, 401, 'ERR_UNAUTHENTICATED');
    expect(again.json.error.message).toMatch(/replay/);
  });

  it('a Byzantine double vote → 409 with evidence a third party verifies; the equivocator is not counted', async () => {
    const p = await signedProposal(net, 'authorize-agent', 'did:pqaid:agent-7');
    const eve = net.nodes[4]!;
    expect((await node.post('/v1/proposals', { proposal: p.envelope })).status).toBe(201);
    const id = encodeURIComponent(p.proposalId);
    expect((await node.post(`/v1/proposals/${id}/votes`, { vote: (await eve.castVote(p, 'approve')).envelope }, { signer: net.ids[4]! })).json.outcome).toBe('counted');
    const r = await node.post(`/v1/proposals/${id}/votes`, { vote: (await eve.castVote(p, 'reject')).envelope }, { signer: net.ids[4]! });
    expectError(r, 409, 'ERR_BYZANTINE_DETECTED');
    expect(r.json.error.evidence.voterDid).toBe(net.ids[4]!.did);
    expect((await verifyByzantineEvidence(parseStrict(JSON.stringify(r.json.error.evidence)))).valid).toBe(true);
    expect((await node.get(`/v1/proposals/${id}/votes`)).json.evidence).toHaveLength(1);
    expect((await node.get(`/v1/proposals/${id}`)).json.tally.validVoteCount).toBe(0);
    // A third vote by the equivocator no longer counts (409, nothing changes).
    expectError(await node.post(`/v1/proposals/${id}/votes`, { vote: (await eve.castVote(p, 'approve')).envelope }, { signer: net.ids[4]! }), 409, 'ERR_CONFLICT');
    expect((await node.get('/v1/audit')).json.entries.map((x: any) => x.entry.operation)).toContain('byzantine_detected');
  });
});

const garbageBody = fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.uint8Array().map((b) => String.fromCharCode(...b)));

function isEmptyObjectJson(body: string): boolean {
  try {
    const v = parseStrict(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
  } catch {
    return false;
  }
}

function typedOrOk(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect((e as { code?: string }).code, String(e)).toBe('ERR_INVALID_ARGUMENT');
  }
}

describe('governance routes under garbage', () => {
  it('parsePeers and VotePolicy.parse throw only typed errors for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        typedOrOk(() => parsePeers(v));
        typedOrOk(() => VotePolicy.parse(v));
        typedOrOk(() => VotePolicy.parse({ type: 'quorumkit-vote-policy', version: 1, rules: [v] }));
      }),
      { numRuns: 300 },
    );
  });

  it('signed garbage bodies → 4xx JSON errors, never 5xx, and no state change', async () => {
    const before = await snapshot(node);
    const paths = ['/v1/proposals', '/v1/results', '/v1/proposals/x/votes', '/v1/proposals/x/ballot', '/v1/proposals/x/finalize'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), garbageBody, async (path, body) => {
        const r = await node.post(path, body);
        expect(r.status, `${path} ${body.slice(0, 80)} → ${JSON.stringify(r.json)}`).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        expect(typeof r.json.error?.code).toBe('string');
      }),
      { numRuns: 150 },
    );
    expect(await snapshot(node)).toBe(before);
  });

  it('garbage aimed at a REAL open proposal is refused by body validation, and the round is unchanged', async () => {
    const author = net.nodes[1]!;
    const p = await signedProposal(net, 'revoke-model', 'did:pqaid:model-garbage', { proposer: 1 });
    await node.post('/v1/proposals', { proposal: p.envelope }, { signer: net.ids[1]! });
    const id = encodeURIComponent(p.proposalId);
    const vote = await author.castVote(p, 'reject');
    expect((await node.post(`/v1/proposals/${id}/votes`, { vote: vote.envelope }, { signer: net.ids[1]! })).json.outcome).toBe('counted');
    const state = async (): Promise<string> => JSON.stringify([(await node.get(`/v1/proposals/${id}`)).json, (await node.get(`/v1/proposals/${id}/votes`)).json, (await node.get('/v1/log/checkpoint')).json.treeSize]);
    const before = await state();
    expect(before).toContain('"status":"open"');
    const paths = [`/v1/proposals/${id}/votes`, `/v1/proposals/${id}/ballot`, `/v1/proposals/${id}/finalize`];
    // `{}` is the one VALID ballot/finalize body, so it is excluded: everything else must be refused.
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), garbageBody.filter((b) => !isEmptyObjectJson(b)), async (path, body) => {
        const r = await node.post(path, body, { signer: net.ids[1]! });
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        codes.add(r.json.error.code);
        expect(r.json.error.code).not.toBe('ERR_NOT_FOUND'); // the id is real: the refusal comes from the body
      }),
      { numRuns: 150 },
    );
    for (const code of codes) expect(['ERR_JSON_PARSE', 'ERR_SCHEMA_INVALID', 'ERR_INVALID_ARGUMENT', 'ERR_INVALID_VOTE']).toContain(code);
    expect(codes.has('ERR_JSON_PARSE') && codes.has('ERR_SCHEMA_INVALID')).toBe(true);
    // A vote envelope whose signature is garbled: parses as a vote, refused, not counted.
    const bad = { ...vote.envelope, signatures: [{ ...vote.envelope.signatures[0]!, sig: 'AAAA' }] };
    expectError(await node.post(`/v1/proposals/${id}/votes`, { vote: bad }, { signer: net.ids[1]! }), 400, 'ERR_INVALID_VOTE');
    expect(await state()).toBe(before);
  });
});
