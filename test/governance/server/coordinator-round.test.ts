// runRound over real HTTP on loopback, in time: every vote is delivered to every peer as soon as it
// is collected (so a `--wait` longer than the proposal's lifetime still decides on the votes cast
// in time), the round is finalized as soon as the outcome is settled and nothing is still awaited,
// a peer whose ballot poll fails while it restarts is polled again with backoff (its stored vote
// counts), and a peer that stays down holds the round only for the retry window.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callService, serveApp, type RunningServer } from '../../../src/http/index.js';
import { createGovernanceApp, GovernanceService, runRound, VotePolicy, type Peer } from '../../../src/governance/server/index.js';
import { makeNet, openService, signedProposal, startNode, tempDir, type Net, type RunningNode } from './_nodes.js';

/** Every vote waits for a human. */
const QUEUE_ALL = VotePolicy.parse({ type: 'quorumkit-vote-policy', version: 1, default: 'queue', rules: [] });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let net: Net;
const running: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  net = await makeNet();
});
afterAll(async () => {
  for (const n of running) await n.stop().catch(() => undefined);
});

async function start(i: number, opts: Parameters<typeof startNode>[2] = {}): Promise<RunningNode> {
  const n = await startNode(net, i, opts);
  running.push(n);
  return n;
}

const status = async (url: string, id: string): Promise<string> => (await callService<{ status: string }>(url, `/v1/proposals/${encodeURIComponent(id)}`)).status;

/**
 * Node `i` on a data dir behind a front that, on the first ballot request, lets the node cast and
 * store its vote, answers 503, and restarts the node (close, reopen the data dir, same port) after
 * `downMs` — the vote was acknowledged by the node but its answer was lost.
 */
async function restartingNode(i: number, downMs: number): Promise<{ url: string; restarted: Promise<void>; ballots: () => number }> {
  const dataDir = tempDir('restarting');
  let svc = await openService(net, i, { dataDir });
  let ballots = 0;
  let restart!: () => void;
  const restarted = new Promise<void>((r) => (restart = r));
  let server: RunningServer;
  const front = (): Hono => {
    const inner = createGovernanceApp(svc, { log: () => undefined });
    const app = new Hono();
    app.post('/v1/proposals/:id/ballot', async (c) => {
      ballots++;
      const res = await inner.fetch(c.req.raw);
      if (ballots > 1) return res;
      setTimeout(() => void bounce(), 0);
      return c.json({ error: { code: 'ERR_IO', message: 'node restarting' } }, 503);
    });
    app.all('*', (c) => inner.fetch(c.req.raw));
    return app;
  };
  const bounce = async (): Promise<void> => {
    const port = server.port;
    await server.close(0);
    await svc.close();
    await sleep(downMs);
    svc = await openService(net, i, { dataDir });
    server = await serveApp(front(), { port });
    restart();
  };
  server = await serveApp(front());
  running.push({ stop: async () => (await server.close(0), await svc.close()) });
  return { url: server.url, restarted, ballots: () => ballots };
}

describe('runRound delivers votes as they arrive and retries failed peers', () => {
  it('a --wait longer than the proposal lifetime still passes the round on the votes cast in time', async () => {
    const nodes = [await start(0), await start(1), await start(2), await start(3), await start(4, { votePolicy: QUEUE_ALL })];
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:wait-past-ttl', { ttlSeconds: 2 });
    const outcome = await runRound({ signer: net.ids[0]!, peers: nodes.map((n) => ({ url: n.url })), proposal: p, waitMs: 5000, pollMs: 100 });
    expect(outcome.result.decision, outcome.result.reason).toBe('passed');
    expect(outcome.result.approveWeight).toBe(5);
    expect(outcome.votes).toHaveLength(4);
    expect(outcome.missing).toEqual([nodes[4]!.url]); // eve's vote stayed queued for a human
    for (const n of nodes) expect(await status(n.url, p.proposalId)).toBe('passed');
  });

  it('finalizes as soon as the outcome is settled and no vote is awaited (no wait for the expiry)', async () => {
    const nodes = [await start(0), await start(1), await start(2), await start(3), await start(4)];
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:settled-early', { ttlSeconds: 600 });
    const t0 = Date.now();
    const outcome = await runRound({ signer: net.ids[0]!, peers: nodes.map((n) => ({ url: n.url })), proposal: p, waitMs: 60_000 });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(outcome.result.decision).toBe('passed');
    expect(outcome.votes).toHaveLength(5);
  });

  it('a peer whose ballot poll fails while it restarts is polled again and its stored vote counts', async () => {
    const others = [await start(0), await start(1), await start(2), await start(4)];
    const dave = await restartingNode(3, 500);
    const peers: Peer[] = [...others.slice(0, 3).map((n) => ({ url: n.url })), { url: dave.url }, { url: others[3]!.url }];
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:restarted-peer');
    const lines: string[] = [];
    const t0 = Date.now();
    const outcome = await runRound({ signer: net.ids[0]!, peers, proposal: p, progress: (l) => lines.push(l) });
    expect(Date.now() - t0, 'polled again soon (backoff), not after the 10 s retry window').toBeLessThan(8000);
    await dave.restarted;
    expect(dave.ballots(), lines.join('\n')).toBeGreaterThanOrEqual(2);
    expect(outcome.missing, lines.join('\n')).toEqual([]);
    expect(outcome.votes).toHaveLength(5);
    expect(outcome.result).toMatchObject({ decision: 'passed', approveWeight: 6 });
    expect(await status(dave.url, p.proposalId)).toBe('passed');
  });

  it('a peer that stays down holds the round only for the retry window, then the round ends without it', async () => {
    const nodes = [await start(0), await start(1), await start(2), await start(3), await start(4)];
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:peer-stays-down');
    const lines: string[] = [];
    const t0 = Date.now();
    const outcome = await runRound({
      signer: net.ids[0]!, peers: nodes.map((n) => ({ url: n.url })), proposal: p, retryWindowMs: 1500,
      progress: (l) => {
        lines.push(l);
        if (l.includes('accepted by')) void nodes[4]!.stop(); // eve goes down right after taking the proposal
      },
    });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(outcome.result.decision).toBe('passed');
    expect(outcome.missing).toEqual([nodes[4]!.url]);
    expect(lines.filter((l) => l.startsWith(`peer ${nodes[4]!.url} gave no ballot`)).length, lines.join('\n')).toBeGreaterThanOrEqual(1);
  });
});
