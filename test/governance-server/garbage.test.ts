// Every governance-server parser fed garbage: the law is "a typed ERR_INVALID_ARGUMENT (or a valid
// parse), never another exception", and over HTTP "any body → 4xx JSON error, never 5xx, no state change".
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode } from '../../src/core/bytes.js';
import { callService, signRequest } from '../../src/http/index.js';
import { GovernanceStore, VotePolicy, parseGenesis, parsePeers } from '../../src/governance/server/index.js';
import { makeNet, startNode, type Net, type RunningNode } from './_nodes.js';

function typedOrOk(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect((e as { code?: string }).code, String(e)).toBe('ERR_INVALID_ARGUMENT');
  }
}

describe('parsers under garbage', () => {
  it('parsePeers, VotePolicy.parse, GovernanceStore.putProposal/putVote throw only typed errors', () => {
    const store = GovernanceStore.open(':memory:');
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        typedOrOk(() => parsePeers(v));
        typedOrOk(() => VotePolicy.parse(v));
        typedOrOk(() => VotePolicy.parse({ type: 'quorumkit-vote-policy', version: 1, rules: [v] }));
        typedOrOk(() => store.putProposal(v as never, 0));
        typedOrOk(() => store.putProposal({ payloadType: 'application/vnd.quorumkit.governance.proposal+json;v=1', payload: 'e30=', signatures: [v] } as never, 0));
      }),
      { numRuns: 300 },
    );
    expect(store.listProposals()).toEqual([]);
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

describe('HTTP endpoints under garbage bodies', () => {
  let net: Net;
  let node: RunningNode;
  beforeAll(async () => {
    net = await makeNet();
    node = await startNode(net, 0);
  });
  afterAll(() => node.stop());

  it('signed garbage bodies → 4xx JSON errors, never 5xx, and no state change', async () => {
    const before = JSON.stringify([await callService(node.url, '/v1/proposals'), (await callService<{ treeSize: number }>(node.url, '/v1/log/checkpoint')).treeSize]);
    const paths = ['/v1/proposals', '/v1/results', '/v1/proposals/x/votes', '/v1/proposals/x/ballot', '/v1/proposals/x/finalize'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.uint8Array().map((b) => String.fromCharCode(...b))), async (path, body) => {
        const bytes = utf8Encode(body);
        const headers = await signRequest(net.ids[0]!, { method: 'POST', path, body: bytes });
        const res = await fetch(node.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: bytes as Uint8Array<ArrayBuffer> });
        const json = (await res.json()) as { error?: { code: string; message: string } };
        expect(res.status, `${path} ${body.slice(0, 80)} → ${JSON.stringify(json)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(typeof json.error?.code).toBe('string');
      }),
      { numRuns: 150 },
    );
    const after = JSON.stringify([await callService(node.url, '/v1/proposals'), (await callService<{ treeSize: number }>(node.url, '/v1/log/checkpoint')).treeSize]);
    expect(after).toBe(before);
  });
});
