// The authorization act of `quorumkit demo`: the authorization service (src/authz/server) on loopback,
// under the upstream default law (LawOracle.defaults: PROC-HIGH-VALUE wants two witnesses above 500
// ATP) and a governance gate over a fleet-wide GovernanceState. A client delegates to a planner agent,
// which re-delegates part of it to a worker (a signed two-hop chain, each hop narrower; a hop that
// widens is refused). The worker signs every request: it reads, triggers the two-witness procedure
// (deferred; one witness is not enough, and the same witness again is refused; a second distinct
// witness grants it), spends to its
// budget limit (the next spend is denied), and after three governance nodes pass an emergency freeze
// its next read is denied. One receipt is verified offline against the service's signed checkpoint.

import type { Envelope } from '../../envelope/types.js';
import { issueDelegation } from '../../authz/chain/issue.js';
import { LawOracle } from '../../authz/law/oracle.js';
import { governanceGate } from '../../authz/gates.js';
import { verifyDecisionReceipt } from '../../authz/receipt.js';
import { signAuthorizationRequest, type RequestToAuthorize } from '../../authz/signed-request.js';
import { signWitnessAttestation } from '../../authz/witness.js';
import { AuthzService, createAuthzApp } from '../../authz/server/index.js';
import { AuthorizationGrant } from '../../governance/authorization.js';
import { GovernanceState } from '../../governance/governance-state.js';
import { GovernanceNode } from '../../governance/node.js';
import { GovernanceProposal } from '../../governance/proposal.js';
import { NodeRegistry } from '../../governance/registry.js';
import { ConsensusRound } from '../../governance/round.js';
import { callService, ServiceCallError } from '../../http/client.js';
import { serveApp } from '../../http/serve.js';
import { Identity } from '../../pq/identity.js';

const SOCIETY = 'society:demo-lab';

interface Answer {
  readonly decision_id: string;
  readonly record: { readonly decision: string; readonly denial_reason: string | null; readonly atp_remaining: number; readonly request_digest: string };
  readonly why: string;
  readonly pending?: { readonly witnesses_required: number };
}

/** Runs the act; `check` ends the demo on the first failed expectation. */
export async function runAuthzAct(log: (line?: string) => void, check: (ok: boolean, what: string) => void): Promise<void> {
  const [serviceKey, client, planner, worker, w1, w2] = await Promise.all(['authz-service', 'client-alice', 'agent-planner', 'agent-worker', 'witness-1', 'witness-2'].map((n) => Identity.create(n, { level: 44 })));
  const state = new GovernanceState();
  const svc = await AuthzService.open(':memory:', serviceKey!, {
    society: SOCIETY, law: LawOracle.defaults(SOCIETY), trustedRoots: [client!.did], witnesses: [w1!.did, w2!.did], sweepIntervalMs: 0, gates: [governanceGate({ state })],
  });
  const server = await serveApp(createAuthzApp(svc));
  try {
    log(`  authorization service ${server.url} — law: upstream defaults (${svc.society}), witnesses: 2 allowed keys`);
    const now = Math.floor(Date.now() / 1000);
    const hop1 = await issueDelegation(client!, { societyId: SOCIETY, delegationId: 'deleg:planner', delegate: planner!.did, roleLct: 'role:researcher', permissions: ['read', 'compute', 'delegate'], atpBudget: 5000, maxActionsPerHour: 100 }, { now });
    const hop2 = await issueDelegation(planner!, { delegationId: 'deleg:worker', delegate: worker!.did, permissions: ['read', 'compute'], atpBudget: 1000, maxActionsPerHour: 50 }, { parent: hop1 });
    const reg = await callService<{ delegation_id: string; hop_ids: string[] }>(server.url, '/v1/delegations', { body: { chain: [hop1, hop2] } });
    check(reg.delegation_id === 'deleg:worker' && reg.hop_ids.length === 2, 'a signed two-hop chain (client → planner → worker, 5000 → 1000 ATP) registered');
    let widened: string | null = null;
    try {
      await issueDelegation(planner!, { delegationId: 'deleg:greedy', delegate: worker!.did, permissions: ['read', 'write'], atpBudget: 9000 }, { parent: hop1 });
    } catch (e) {
      widened = (e as { code?: string }).code ?? null;
    }
    check(widened === 'ERR_AUTHZ_ATTENUATION', 'a hop that widens its parent (write, 9000 ATP) is refused: ERR_AUTHZ_ATTENUATION');

    const decide = async (r: RequestToAuthorize): Promise<Answer> => callService<Answer>(server.url, '/v1/decide', { body: await signAuthorizationRequest(worker!, SOCIETY, { delegationId: 'deleg:worker', ...r }) });
    const read = await decide({ action: 'read', targetResource: 'data:papers', atpCost: 5 });
    check(read.record.decision === 'granted' && read.record.atp_remaining === 995, 'the worker reads (5 ATP): granted, 995 ATP left');

    const big = await decide({ action: 'compute', targetResource: 'gpu:train', atpCost: 600 });
    check(big.record.decision === 'deferred' && big.pending?.witnesses_required === 2, `compute for 600 ATP: deferred — ${big.why}`);
    const digest = big.record.request_digest;
    const witness = async (w: Identity): Promise<{ state: { status: string; witnesses: string[] }; decision?: Answer }> =>
      callService(server.url, '/v1/witness', { body: await signWitnessAttestation(w, digest, SOCIETY) });
    const one = await witness(w1!);
    let dup: string | null = null;
    try {
      await witness(w1!);
    } catch (e) {
      dup = e instanceof ServiceCallError ? `${e.status} ${e.code}` : null;
    }
    const after = await callService<{ status: string; witnesses: string[] }>(server.url, `/v1/requests/${digest}`);
    check(one.state.status === 'pending' && dup === '409 ERR_CONFLICT' && after.status === 'pending' && after.witnesses.length === 1, `witness 1 signs: still pending (1 of 2); it signs again: ${dup}, not counted twice`);
    const two = await witness(w2!);
    check(two.decision?.record.decision === 'granted' && two.decision.record.atp_remaining === 395, 'witness 2 signs: granted, 395 ATP left');

    const spend = await decide({ action: 'compute', targetResource: 'gpu:eval', atpCost: 390 });
    const over = await decide({ action: 'compute', targetResource: 'gpu:eval', atpCost: 10 });
    check(spend.record.decision === 'granted' && over.record.denial_reason === 'atp_budget_exceeded', `spends to the limit (390, 5 left); the next 10 ATP: denied ${over.record.denial_reason}`);

    // Governance: three nodes pass an emergency freeze; the gate reads the fleet-wide state.
    const nodes = await Promise.all(['gov-1', 'gov-2', 'gov-3'].map(async (n) => new GovernanceNode({ identity: await Identity.create(n, { level: 44 }), name: n, weight: 1 })));
    const registry = new NodeRegistry();
    for (const n of nodes) registry.register(n);
    const proposal = GovernanceProposal.create('emergency-freeze', 'fleet', 'freeze every agent', nodes[0]!.did);
    const round = new ConsensusRound({ proposal, registry });
    for (const n of nodes) await round.cast(await n.castVote(proposal, 'approve'));
    state.apply(new AuthorizationGrant({ subjectId: 'fleet', kind: 'emergency-freeze', result: await round.finalize(nodes[0]!), proposal }));
    const frozen = await decide({ action: 'read', targetResource: 'data:papers', atpCost: 1 });
    check(state.frozen && frozen.record.denial_reason === 'law_violation' && frozen.why === 'an emergency freeze is in force', 'three governance nodes pass an emergency freeze: the next read is denied (law_violation)');

    const proof = await callService<{ receipt: Envelope; checkpoint: Envelope; inclusion: { index: number; treeSize: number; proof: string[] } }>(server.url, `/v1/receipts/${two.decision!.decision_id}/proof`);
    const v = await verifyDecisionReceipt(proof.receipt, { serviceDid: svc.did, checkpoint: proof.checkpoint, inclusionProof: proof.inclusion });
    check(v.valid && v.included === true, `the witnessed grant's receipt verifies offline: service signature, log entry ${proof.inclusion.index} in a signed checkpoint of ${proof.inclusion.treeSize}`);
    let replay: string | null = null;
    const env = await signAuthorizationRequest(worker!, SOCIETY, { delegationId: 'deleg:worker', action: 'read', targetResource: 'data:papers', atpCost: 1 });
    await callService(server.url, '/v1/decide', { body: env });
    try {
      await callService(server.url, '/v1/decide', { body: env });
    } catch (e) {
      replay = e instanceof ServiceCallError ? `${e.status} ${e.code}` : null;
    }
    check(replay === '401 ERR_UNAUTHENTICATED', `the same signed request sent twice: ${replay} (replay), nothing recorded`);
  } finally {
    await server.close();
    await svc.close();
  }
}
