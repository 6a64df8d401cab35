// runRound never trusts the finalizing peer (coordinator.ts): every finalize / results answer is
// re-verified with verifyResultOffline against the peers' registry histories. Real governance nodes
// on loopback plus one malicious peer (a real member node, alice, whose app is wrapped to forge its
// finalize or results answer): with an honest peer present the forged answer is skipped and the
// honest, verifying result is returned and published; when only the malicious peer can finalize the
// round fails with ERR_SIGNATURE_INVALID and the honest peers' state (re-fetched) holds no result.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signEnvelope } from '../../../src/envelope/sign.js';
import type { Envelope } from '../../../src/envelope/types.js';
import { callService, serveApp, ServiceCallError, type RunningServer } from '../../../src/http/index.js';
import { Identity } from '../../../src/pq/identity.js';
import { ConsensusResult, GovernanceNode, GovernanceProposal, RegistryHistory, verifyResultOffline } from '../../../src/governance/index.js';
import { createGovernanceApp, GovernanceService, runRound, type Peer } from '../../../src/governance/server/index.js';
import { APPROVE_AUTHORIZE, makeNet, startNode, type Net, type RunningNode } from './_nodes.js';

type Answer = { result: Envelope; votes: Envelope[] };
type Forgery = 'outsider-flipped' | 'member-flipped' | 'votes-dropped' | 'garbage';
type Route = 'finalize' | 'results';

let net: Net;
let honest: RunningNode[]; // bob, carol, dave, eve
let mallory: Identity; // not in the registry
const servers: RunningServer[] = [];
const services: GovernanceService[] = [];

beforeAll(async () => {
  net = await makeNet();
  mallory = await Identity.create('mallory', { level: 44 });
  honest = [];
  for (let i = 1; i < 5; i++) honest.push(await startNode(net, i));
});
afterAll(async () => {
  for (const s of servers) await s.close(500);
  for (const s of services) s.close();
  for (const n of honest) await n.stop();
});

async function signedProposal(subject: string): Promise<GovernanceProposal> {
  const id = net.ids[0]!;
  const p = GovernanceProposal.create('authorize-model', subject, `authorize ${subject}`, id.did);
  await new GovernanceNode({ identity: id, name: id.name }).signProposal(p);
  return p;
}

/** Turns alice's honest finalize answer into a forged one. */
async function forge(kind: Forgery, real: Answer): Promise<Answer> {
  const r = ConsensusResult.fromEnvelope(real.result);
  const flipped = { ...r.body(), decision: r.decision === 'passed' ? 'rejected' : 'passed' };
  switch (kind) {
    case 'outsider-flipped': // decision flipped, re-signed by a key not in the registry
      return { result: await signEnvelope(flipped, real.result.payloadType, [mallory]), votes: real.votes };
    case 'member-flipped': // decision flipped, re-signed by alice herself (a Byzantine member)
      return { result: await signEnvelope(flipped, real.result.payloadType, [net.ids[0]!]), votes: real.votes };
    case 'votes-dropped': // the genuine signed result, with votes that do not match its tally
      return { result: real.result, votes: real.votes.slice(1) };
    case 'garbage':
      return { result: { payloadType: 'x', payload: '!!', signatures: [] } as unknown as Envelope, votes: [] };
  }
}

/** Serves a Hono app on loopback; closed in afterAll. */
async function serve(app: Hono): Promise<string> {
  const s = await serveApp(app);
  servers.push(s);
  return s.url;
}

/**
 * A malicious alice: a real node (its own service, same registry) whose app answers every request
 * honestly except finalize / results, which return a forged result. `served` counts forged answers.
 */
async function maliciousPeer(kind: Forgery, route: Route): Promise<{ url: string; served: () => number }> {
  const svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: ':memory:', genesis: net.genesis, votePolicy: APPROVE_AUTHORIZE });
  services.push(svc);
  const inner = createGovernanceApp(svc, { log: () => undefined });
  let served = 0;
  const app = new Hono();
  app.post('/v1/proposals/:id/finalize', async (c) => {
    if (route === 'results') return c.json({ error: { code: 'ERR_CONFLICT', message: 'already finalized' } }, 409);
    const res = await inner.fetch(c.req.raw);
    if (res.status !== 201) return res;
    served++;
    return c.json(await forge(kind, (await res.json()) as Answer), 201);
  });
  app.get('/v1/results/:id', async (c) => {
    const id = c.req.param('id');
    const real = svc.result(id) ?? (await svc.finalize(id)); // alice's own, correctly signed result
    served++;
    return c.json(await forge(kind, real));
  });
  app.all('*', (c) => inner.fetch(c.req.raw));
  return { url: await serve(app), served: () => served };
}

/** An honest node whose finalize route is down (503): it votes and stores, but cannot coordinate. */
async function cannotFinalize(n: RunningNode): Promise<string> {
  const inner = createGovernanceApp(n.svc, { log: () => undefined });
  const app = new Hono();
  app.post('/v1/proposals/:id/finalize', (c) => c.json({ error: { code: 'ERR_IO', message: 'finalize unavailable' } }, 503));
  app.all('*', (c) => inner.fetch(c.req.raw));
  return serve(app);
}

async function storedResult(url: string, id: string): Promise<Answer | number> {
  try {
    return await callService<Answer>(url, `/v1/results/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e instanceof ServiceCallError) return e.status;
    throw e;
  }
}

const CASES: [Forgery, Route][] = [
  ['outsider-flipped', 'finalize'],
  ['member-flipped', 'finalize'],
  ['votes-dropped', 'finalize'],
  ['garbage', 'finalize'],
  ['outsider-flipped', 'results'],
  ['votes-dropped', 'results'],
];

describe('runRound re-verifies the finalizing peer\'s answer', () => {
  it.each(CASES)('(a) a forged %s answer from %s is skipped; the honest peer\'s verifying result is returned and published', async (kind, route) => {
    const p = await signedProposal(`did:pqaid:verify-a-${kind}-${route}`);
    const bad = await maliciousPeer(kind, route);
    const lines: string[] = [];
    // The malicious peer answers as the signer (alice), so runRound asks it to finalize first.
    const peers: Peer[] = [{ url: bad.url }, ...honest.map((n) => ({ url: n.url }))];
    const outcome = await runRound({ signer: net.ids[0]!, peers, proposal: p, progress: (l) => lines.push(l) });
    expect(bad.served()).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.startsWith(`peer ${bad.url} answered with a result that does not verify`)), lines.join('\n')).toBe(true);
    expect(outcome.coordinator).not.toBe(bad.url);
    expect(honest.map((n) => n.url)).toContain(outcome.coordinator);
    expect(outcome.result.decision).toBe('passed');
    expect(outcome.result.approveWeight).toBe(6);
    expect(outcome.result.signerDid).not.toBe(mallory.did);
    expect(outcome.result.signerDid).not.toBe(net.ids[0]!.did);
    const history = await RegistryHistory.fromJSON(net.genesis);
    const offline = await verifyResultOffline(outcome.result.envelope, outcome.votes, history, { proposal: p });
    expect(offline.valid, offline.reasons.join('; ')).toBe(true);
    // Every honest peer holds exactly the honest result.
    for (const n of honest) {
      const got = await storedResult(n.url, p.proposalId);
      expect(got).toMatchObject({ result: outcome.result.envelope });
      expect((await callService<{ status: string }>(n.url, `/v1/proposals/${encodeURIComponent(p.proposalId)}`)).status).toBe('passed');
    }
    for (const x of outcome.published) if (x.url !== bad.url) expect(x, JSON.stringify(x)).toMatchObject({ ok: true });
  });

  it.each(CASES)('(b) only the malicious peer can finalize (%s via %s): ERR_SIGNATURE_INVALID and nothing is published', async (kind, route) => {
    const p = await signedProposal(`did:pqaid:verify-b-${kind}-${route}`);
    const bad = await maliciousPeer(kind, route);
    const fronts = await Promise.all(honest.map(cannotFinalize));
    const peers: Peer[] = [{ url: bad.url }, ...fronts.map((url) => ({ url }))];
    const err = await runRound({ signer: net.ids[0]!, peers, proposal: p }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
    expect((err as Error).message).toContain(`peer ${bad.url} answered with a result that does not verify`);
    expect(bad.served()).toBeGreaterThanOrEqual(1);
    // Re-fetch every honest node's state directly (not through its front): the round reached them
    // (proposal and all five votes) but no result was recorded and the proposal is still open.
    for (const n of honest) {
      expect(await storedResult(n.url, p.proposalId)).toBe(404);
      const state = await callService<{ status: string; tally: { validVoteCount: number } }>(n.url, `/v1/proposals/${encodeURIComponent(p.proposalId)}`);
      expect(state.status).toBe('open');
      expect(state.tally.validVoteCount).toBe(5);
      const listed = await callService<{ proposals: { proposalId: string; status: string }[] }>(n.url, '/v1/proposals?status=passed');
      expect(listed.proposals.map((x) => x.proposalId)).not.toContain(p.proposalId);
      const rejected = await callService<{ proposals: { proposalId: string }[] }>(n.url, '/v1/proposals?status=rejected');
      expect(rejected.proposals.map((x) => x.proposalId)).not.toContain(p.proposalId);
      const ops = (await callService<{ entries: { entry: { operation: string; proposalId?: string } }[] }>(n.url, '/v1/audit?limit=1000')).entries
        .filter((x) => x.entry.proposalId === p.proposalId)
        .map((x) => x.entry.operation);
      expect(ops).not.toContain('consensus_reached');
    }
  });
});
