// Every governance-server parser fed garbage: the law is "a typed ERR_INVALID_ARGUMENT (or a valid
// parse), never another exception", and over HTTP "any body → 4xx JSON error, never 5xx, no state change".
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode } from '../../src/core/bytes.js';
import { callService, signRequest } from '../../src/http/index.js';
import { GovernanceNode, GovernanceProposal } from '../../src/governance/index.js';
import { GovernanceStore, VotePolicy, parseGenesis, parsePeers } from '../../src/governance/server/index.js';
import { Identity } from '../../src/pq/identity.js';
import { makeNet, startNode, type Net, type RunningNode } from './_nodes.js';

function typedOrOk(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect((e as { code?: string }).code, String(e)).toBe('ERR_INVALID_ARGUMENT');
  }
}

describe('parsers under garbage', () => {
  it('parsePeers, VotePolicy.parse, GovernanceStore.putProposal/putVote throw only typed errors', async () => {
    const store = GovernanceStore.open(':memory:');
    const author = new GovernanceNode({ identity: await Identity.create('garbage-author', { level: 44 }), name: 'garbage-author' });
    const stored = GovernanceProposal.create('authorize-model', 'did:pqaid:model-garbage', 'title', author.did);
    await author.signProposal(stored);
    expect(store.putProposal(stored.envelope!, 0)).toBe(true);
    const goodVote = await author.castVote(stored, 'approve');
    expect(store.putVote(stored.proposalId, goodVote.envelope)).toBe(true);
    const votesBefore = JSON.stringify(store.votes(stored.proposalId));
    const voteSig = goodVote.envelope.signatures[0]!;
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        typedOrOk(() => parsePeers(v));
        typedOrOk(() => VotePolicy.parse(v));
        typedOrOk(() => VotePolicy.parse({ type: 'quorumkit-vote-policy', version: 1, rules: [v] }));
        typedOrOk(() => store.putProposal(v as never, 0));
        typedOrOk(() => store.putProposal({ payloadType: 'application/vnd.quorumkit.governance.proposal+json;v=1', payload: 'e30=', signatures: [v] } as never, 0));
        // Garbage votes aimed at the stored proposal: parsing/validation must reject them.
        typedOrOk(() => store.putVote(stored.proposalId, v as never));
        typedOrOk(() => store.putVote(stored.proposalId, { ...goodVote.envelope, signatures: [v] } as never));
        typedOrOk(() => store.putVote(stored.proposalId, { ...goodVote.envelope, payload: v } as never));
        typedOrOk(() => store.putVote(stored.proposalId, { ...goodVote.envelope, signatures: [{ ...voteSig, sig: v }] } as never));
      }),
      { numRuns: 300 },
    );
    expect(store.listProposals().map((p) => p.proposal.proposalId)).toEqual([stored.proposalId]);
    expect(JSON.stringify(store.votes(stored.proposalId))).toBe(votesBefore);
    store.close();
  });

  it('parseGenesis rejects garbage with ERR_INVALID_ARGUMENT', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        await expect(parseGenesis(v)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      }),
      { numRuns: 100 },
    );
  });
});

const garbageBody = fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.uint8Array().map((b) => String.fromCharCode(...b)));

function isEmptyObjectJson(body: string): boolean {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
  } catch {
    return false;
  }
}

describe('HTTP endpoints under garbage bodies', () => {
  let net: Net;
  let node: RunningNode;
  beforeAll(async () => {
    net = await makeNet();
    node = await startNode(net, 0);
  });
  afterAll(() => node.stop());

  async function expectRejected(path: string, body: string): Promise<{ error?: { code: string; message: string } }> {
    const bytes = utf8Encode(body);
    const headers = await signRequest(net.ids[0]!, { method: 'POST', path, body: bytes });
    const res = await fetch(node.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: bytes as Uint8Array<ArrayBuffer> });
    const json = (await res.json()) as { error?: { code: string; message: string } };
    expect(res.status, `${path} ${body.slice(0, 80)} → ${JSON.stringify(json)}`).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(typeof json.error?.code).toBe('string');
    return json;
  }

  it('signed garbage bodies → 4xx JSON errors, never 5xx, and no state change', async () => {
    const before = JSON.stringify([await callService(node.url, '/v1/proposals'), (await callService<{ treeSize: number }>(node.url, '/v1/log/checkpoint')).treeSize]);
    const paths = ['/v1/proposals', '/v1/results', '/v1/proposals/x/votes', '/v1/proposals/x/ballot', '/v1/proposals/x/finalize'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), garbageBody, async (path, body) => {
        await expectRejected(path, body);
      }),
      { numRuns: 150 },
    );
    const after = JSON.stringify([await callService(node.url, '/v1/proposals'), (await callService<{ treeSize: number }>(node.url, '/v1/log/checkpoint')).treeSize]);
    expect(after).toBe(before);
  });

  it('garbage aimed at a REAL open proposal is rejected by body validation, and the round is unchanged', async () => {
    const author = new GovernanceNode({ identity: net.ids[1]!, name: net.ids[1]!.name });
    const p = GovernanceProposal.create('revoke-model', 'did:pqaid:model-garbage', 'garbage target', author.did);
    await author.signProposal(p);
    await callService(node.url, '/v1/proposals', { body: { proposal: p.envelope }, signer: net.ids[1]! });
    const id = encodeURIComponent(p.proposalId);
    // A real vote first, so "unchanged" covers a non-empty votes list and tally.
    const vote = await author.castVote(p, 'reject');
    expect((await callService<{ outcome: string }>(node.url, `/v1/proposals/${id}/votes`, { body: { vote: vote.envelope }, signer: net.ids[1]! })).outcome).toBe('counted');
    const snapshot = async (): Promise<string> => JSON.stringify([
      await callService(node.url, `/v1/proposals/${id}`),
      await callService(node.url, `/v1/proposals/${id}/votes`),
      (await callService<{ treeSize: number }>(node.url, '/v1/log/checkpoint')).treeSize,
    ]);
    const before = await snapshot();
    expect(before).toContain('"status":"open"');
    const paths = [`/v1/proposals/${id}/votes`, `/v1/proposals/${id}/ballot`, `/v1/proposals/${id}/finalize`];
    // `{}` is the one VALID ballot/finalize body, so it is excluded: everything else must be refused.
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), garbageBody.filter((b) => !isEmptyObjectJson(b)), async (path, body) => {
        const json = await expectRejected(path, body);
        codes.add(json.error!.code);
        // Never "not found": the id is real, so the refusal must come from the body.
        expect(json.error!.code).not.toBe('ERR_NOT_FOUND');
      }),
      { numRuns: 150 },
    );
    // Only body-level refusals: unparsable JSON, schema mismatch or an invalid value.
    for (const code of codes) expect(['ERR_JSON_PARSE', 'ERR_SCHEMA_INVALID', 'ERR_INVALID_ARGUMENT']).toContain(code);
    expect(codes.has('ERR_JSON_PARSE') && codes.has('ERR_SCHEMA_INVALID')).toBe(true);
    // A vote envelope whose signature is garbled: parses as a vote, refused, not counted.
    const bad = { ...vote.envelope, signatures: [{ ...vote.envelope.signatures[0]!, sig: 'AAAA' }] };
    await expectRejected(`/v1/proposals/${id}/votes`, JSON.stringify({ vote: bad }));
    expect(await snapshot()).toBe(before);
  });
});
