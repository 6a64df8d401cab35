// The governance act of `quorumkit demo`: five governance nodes (weights 1/1/1/2/1) as real HTTP
// servers on loopback, each with its own SQLite store and audit transparency log, authorize a model;
// a Byzantine double vote is caught with evidence a third party verifies; the result is re-verified
// offline from nothing but the genesis file and the signed artifacts. Every artifact crosses a
// serialization boundary as it would on the wire: JSON.stringify out, parseStrict back in.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64Encode } from '../../core/bytes.js';
import { parseStrict } from '../../core/parse-strict.js';
import { callService, ServiceCallError, serveApp, signRequest, type RunningServer } from '../../http/index.js';
import { verifyCheckpoint } from '../../log/index.js';
import { Identity } from '../../pq/identity.js';
import { GovernanceNode, GovernanceProposal, RegistryHistory, verifyByzantineEvidence, verifyResultOffline } from '../../governance/index.js';
import { GovernanceService, VotePolicy, createGenesis, createGovernanceApp, runRound } from '../../governance/server/index.js';

/** What a receiver reads after `value` was written as JSON. */
function overTheWire(value: unknown): unknown {
  return parseStrict(JSON.stringify(value));
}

/** Runs the act; `log` prints a line, `check` prints ✓/✗ and throws on ✗. */
export async function runGovernanceAct(log: (line?: string) => void, check: (ok: boolean, what: string) => void): Promise<void> {
  const t0 = performance.now();
  const names = ['alice', 'bob', 'carol', 'dave', 'eve'];
  const weights = [1, 1, 1, 2, 1];
  const ids = await Promise.all(names.map((n) => Identity.create(n, { level: 65 })));
  const genesis = createGenesis(ids.map((id, i) => ({ did: id.did, name: id.name, weight: weights[i]!, publicKey: base64Encode(id.publicKey) })));
  const policy = VotePolicy.parse({ type: 'quorumkit-vote-policy', version: 1, default: 'queue', rules: [{ kind: 'authorize-model', subject: 'did:pqaid:medical-*', decision: 'approve', rationale: 'medical models cleared by review board' }] });
  const dir = mkdtempSync(join(tmpdir(), 'quorumkit-demo-gov-'));
  const services: GovernanceService[] = [];
  const servers: RunningServer[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const svc = await GovernanceService.open({ identity: ids[i]!, dataDir: join(dir, names[i]!), genesis, votePolicy: policy });
      services.push(svc);
      servers.push(await serveApp(createGovernanceApp(svc, { log: () => undefined })));
      log(`  node ${names[i]!.padEnd(5)} weight ${weights[i]}  ${servers[i]!.url}  ${ids[i]!.did.slice(0, 26)}…`);
    }
    const [alice, , , dave, eve] = ids as [Identity, Identity, Identity, Identity, Identity];
    const subject = 'did:pqaid:medical-ai-v2';
    const proposal = GovernanceProposal.create('authorize-model', subject, 'Authorize medical-ai v2 for production', alice.did, { parameters: { environment: 'prod', maxRateQps: 50 } });
    await new GovernanceNode({ identity: alice, name: 'alice' }).signProposal(proposal);
    const pid = encodeURIComponent(proposal.proposalId);
    for (const [i, s] of servers.entries()) await callService(s.url, '/v1/proposals', { body: { proposal: proposal.envelope }, signer: alice, audience: ids[i]!.did });
    log(`  alice proposed authorize-model ${subject} (${proposal.proposalId.slice(-12)}) to 5 nodes`);

    // eve's node votes approve by policy, then eve also signs a conflicting reject and sends it.
    const eveBallot = await callService<{ vote: unknown }>(servers[4]!.url, `/v1/proposals/${pid}/ballot`, { body: {}, signer: eve, audience: eve.did });
    await callService(servers[0]!.url, `/v1/proposals/${pid}/votes`, { body: { vote: eveBallot.vote }, signer: eve, audience: alice.did });
    const conflicting = await new GovernanceNode({ identity: eve, name: 'eve' }).castVote(proposal, 'reject', 'changed my mind');
    // Raw fetch (not callService) to show the 409 body with its evidence.
    const body = new TextEncoder().encode(JSON.stringify({ vote: conflicting.envelope }));
    const path = `/v1/proposals/${pid}/votes`;
    const res = await fetch(`${servers[0]!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await signRequest(eve, { method: 'POST', path, body, audience: alice.did })) },
      body,
    });
    const answer = parseStrict(await res.text()) as { error: { code: string; evidence?: unknown } };
    check(res.status === 409 && answer.error.code === 'ERR_BYZANTINE_DETECTED', `eve's double vote (approve, then reject) → HTTP 409 ${answer.error.code}`);
    const evidence = overTheWire(answer.error.evidence);
    check((await verifyByzantineEvidence(evidence)).valid, 'the evidence (both signed votes) verifies for a third party');

    const outcome = await runRound({ signer: alice, peers: servers.map((s) => ({ url: s.url })), proposal });
    const r = outcome.result;
    log(`  round finalized by alice's node: ${r.decision} — approve ${r.approveWeight}/${r.totalWeight}, ${outcome.votes.length} votes counted (${r.reason})`);
    check(r.decision === 'passed' && !outcome.votes.some((v) => v.signatures[0]!.keyid === eve.did), 'passed without the equivocator\'s weight');
    check(outcome.published.every((p) => p.ok), 'result published to and re-verified by the 4 other nodes');

    const history = await RegistryHistory.fromJSON(overTheWire(genesis));
    const offline = await verifyResultOffline(overTheWire(r.envelope), overTheWire(outcome.votes), history, { proposal });
    check(offline.valid, `offline re-verification from genesis + artifacts: ${offline.tally?.countedVotes} vote signatures, membership at v${offline.tally?.registryVersion}, tally, policy`);
    const auth = await callService<{ authorized: { model: boolean } }>(servers[1]!.url, `/v1/subjects/${encodeURIComponent(subject)}/authorization`);
    check(auth.authorized.model, `bob's node answers: ${subject} is authorized`);
    const cp = await callService<{ checkpoint: unknown; treeSize: number }>(servers[3]!.url, '/v1/log/checkpoint');
    check((await verifyCheckpoint(cp.checkpoint, { trusted: [dave.did] })).valid, `dave's audit log: ${cp.treeSize} entries under an ML-DSA-signed checkpoint`);
    try {
      await callService(servers[2]!.url, '/v1/proposals', { body: { proposal: proposal.envelope } });
      check(false, 'an unsigned request is refused');
    } catch (e) {
      check(e instanceof ServiceCallError && e.status === 401, 'an unsigned request is refused (401)');
    }
    log(`  governance act: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    for (const s of servers) await s.close(500);
    for (const s of services) await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
