// Nodes converge (anti-entropy over real HTTP, five nodes on loopback sharing one manual clock):
// a node that was down while a passed result was published catches up on restart; a node that missed
// the publish and is asked to finalize after the expiry adopts the network's result instead of
// deciding alone; a node that did decide alone on a partial view (participation failure) is
// superseded by the network's verifiable result once it can reach its peers, keeping both as
// evidence. Every node then gives the same authorization answer.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, type ManualClock } from '../../../src/core/clock.js';
import type { Envelope } from '../../../src/envelope/types.js';
import { callService, serveApp } from '../../../src/http/index.js';
import { ConsensusResult, type GovernanceProposal } from '../../../src/governance/index.js';
import { createGovernanceApp } from '../../../src/governance/server/index.js';
import { freePorts, makeNet, signedProposal, startNode, tempDir, type Net, type RunningNode } from './_nodes.js';

let net: Net;
beforeAll(async () => {
  net = await makeNet();
});

interface Cluster {
  readonly clock: ManualClock;
  readonly urls: string[];
  readonly dirs: string[];
  readonly nodes: (RunningNode | undefined)[];
  start(i: number): Promise<RunningNode>;
}

let cluster: Cluster | undefined;
afterEach(async () => {
  for (const n of cluster?.nodes ?? []) await n?.stop();
  cluster = undefined;
});

async function makeCluster(): Promise<Cluster> {
  const clock = manualClock('2026-06-01T00:00:00Z');
  const ports = await freePorts(5);
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  const dirs = ports.map((_, i) => tempDir(`sync-${i}`));
  const c: Cluster = {
    clock,
    urls,
    dirs,
    nodes: [],
    start: async (i) => {
      const peers = urls.filter((_, j) => j !== i).map((url) => ({ url }));
      const n = await startNode(net, i, { dataDir: dirs[i]!, clock, port: ports[i]!, peers, syncIntervalMs: 0, genesis: net.genesis });
      c.nodes[i] = n;
      return n;
    },
  };
  for (let i = 0; i < 5; i++) await c.start(i);
  return (cluster = c);
}

const pid = (p: GovernanceProposal): string => encodeURIComponent(p.proposalId);
const post = <T>(c: Cluster, i: number, path: string, body: unknown, signer = 0): Promise<T> =>
  callService<T>(c.urls[i]!, path, { body, signer: net.ids[signer]!, audience: net.ids[i]!.did });

/** Proposal to all five, ballots of alice..dave delivered to the nodes in `deliverTo`. */
async function openRound(c: Cluster, subject: string, deliverTo = [0, 1, 2, 3, 4]): Promise<GovernanceProposal> {
  const p = await signedProposal(net, 'authorize-model', subject, { ttlSeconds: 600, clock: c.clock });
  for (let i = 0; i < 5; i++) await post(c, i, '/v1/proposals', { proposal: p.envelope });
  const votes: Envelope[] = [];
  for (const i of [0, 1, 2, 3]) votes.push((await post<{ vote: Envelope }>(c, i, `/v1/proposals/${pid(p)}/ballot`, {})).vote);
  for (const i of deliverTo) for (const vote of votes) await post(c, i, `/v1/proposals/${pid(p)}/votes`, { vote }).catch(() => undefined);
  return p;
}

async function answers(c: Cluster, subject: string): Promise<unknown[]> {
  return Promise.all(c.urls.map((u) => callService<{ authorized: unknown }>(u, `/v1/subjects/${encodeURIComponent(subject)}/authorization`).then((a) => a.authorized)));
}

describe('governance nodes converge', () => {
  it('a node down while the result was published catches up on restart', async () => {
    const c = await makeCluster();
    const subject = 'did:pqaid:sync-restart';
    const p = await openRound(c, subject);
    await c.nodes[4]!.stop();
    const decided = await post<{ result: Envelope; votes: Envelope[] }>(c, 0, `/v1/proposals/${pid(p)}/finalize`, {});
    for (const i of [1, 2, 3]) await post(c, i, '/v1/results', decided);
    const eve = await c.start(4);
    await eve.svc.sync();
    expect(eve.svc.result(p.proposalId)!.result).toEqual(decided.result);
    expect(new Set((await answers(c, subject)).map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify({ model: true, agent: false })]));
  });

  it('node down during publish, restarted, round expires, anyone finalizes: it adopts the network result and every node answers the same', async () => {
    const c = await makeCluster();
    const subject = 'did:pqaid:sync-expiry';
    await c.nodes[4]!.stop();
    const eve = await c.start(4); // restarted before the round: its start-up sync finds nothing to adopt
    const p = await openRound(c, subject, [0, 1, 2, 3]); // eve gets the proposal, then misses every vote
    const decided = await post<{ result: Envelope; votes: Envelope[] }>(c, 0, `/v1/proposals/${pid(p)}/finalize`, {});
    for (const i of [1, 2, 3]) await post(c, i, '/v1/results', decided); // ... and the publish
    const mine = await eve.svc.proposal(p.proposalId);
    expect(mine.status).toBe('open');
    expect(mine.tally).toMatchObject({ validVoteCount: 0 }); // alone, eve would decide: participation 0/6
    c.clock.advance(601_000);
    const answer = await post<{ result: Envelope; adopted?: boolean }>(c, 4, `/v1/proposals/${pid(p)}/finalize`, {}, 1); // bob asks eve to finalize
    expect(answer.adopted).toBe(true);
    expect(answer.result).toEqual(decided.result);
    expect(ConsensusResult.fromEnvelope(answer.result).decision).toBe('passed');
    const all = await answers(c, subject);
    expect(all).toHaveLength(5);
    for (const a of all) expect(a).toEqual({ model: true, agent: false });
  });

  it('a participation-failure result decided on a partial view is superseded by the network result, both kept', async () => {
    const c = await makeCluster();
    const subject = 'did:pqaid:sync-supersede';
    await c.nodes[4]!.stop();
    const eve = await c.start(4);
    const p = await signedProposal(net, 'authorize-model', subject, { ttlSeconds: 600, clock: c.clock });
    for (let i = 0; i < 5; i++) await post(c, i, '/v1/proposals', { proposal: p.envelope });
    const votes: Envelope[] = [];
    for (const i of [0, 1, 2, 3]) votes.push((await post<{ vote: Envelope }>(c, i, `/v1/proposals/${pid(p)}/ballot`, {})).vote);
    for (const i of [0, 1, 2, 3]) for (const vote of votes) await post(c, i, `/v1/proposals/${pid(p)}/votes`, { vote }).catch(() => undefined);
    // Eve is cut off: her peers' HTTP servers are down while she decides after the expiry.
    const servers = [0, 1, 2, 3].map((i) => c.nodes[i]!);
    for (const n of servers) await n.server.close(100);
    c.clock.advance(601_000);
    const alone = ConsensusResult.fromEnvelope((await eve.svc.finalize(p.proposalId)).result);
    expect(alone.decision).toBe('rejected');
    expect(alone.reason).toMatch(/^participation /);
    // The network comes back; alice's node had finalized with the quorum.
    const back = await Promise.all(servers.map((n, i) => serveApp(createGovernanceApp(n.svc, { log: () => undefined }), { port: Number(new URL(c.urls[i]!).port) })));
    const decided = await post<{ result: Envelope; votes: Envelope[] }>(c, 0, `/v1/proposals/${pid(p)}/finalize`, {});
    for (const i of [1, 2, 3]) await post(c, i, '/v1/results', decided);
    const report = await eve.svc.sync();
    expect(report.results).toBe(1);
    const detail = await eve.svc.proposal(p.proposalId);
    expect(detail.status).toBe('passed');
    expect(detail.result).toEqual(decided.result);
    expect(detail.superseded.map((r) => ConsensusResult.fromEnvelope(r.result).reason)).toEqual([alone.reason]);
    for (const a of await answers(c, subject)) expect(a).toEqual({ model: true, agent: false });
    // A rejected result that met participation is never replaced.
    await expect(post(c, 4, '/v1/results', decided)).resolves.toMatchObject({ recorded: false });
    for (const s of back) await s.close(100);
  });
});
