// An agent acting under a signed delegation chain, decided in process: a client delegates to a
// planner, the planner re-delegates a narrower part to a worker; the engine runs the upstream default
// law (LawOracle.defaults); the worker signs each request (ML-DSA), and a request above 500 ATP waits
// for two distinct witnesses (PROC-HIGH-VALUE). The same pieces run as a service: `quorumkit authz serve`.
// Run: npm run example -- examples/authz/agent-delegation.ts
import { Identity } from 'quorumkit/pq';
import {
  AgentDelegation, AuthorizationEngine, countWitnesses, issueDelegation, LawOracle, signAuthorizationRequest,
  signWitnessAttestation, verifyAuthorizationRequest, verifyDelegationChainOrThrow,
} from 'quorumkit/authz';

const society = 'society:lab';
const [client, planner, worker, w1, w2] = (await Promise.all(['client', 'planner', 'worker', 'w1', 'w2'].map((n) => Identity.create(n, { level: 44 })))) as [Identity, Identity, Identity, Identity, Identity];
const now = Math.floor(Date.now() / 1000);

// client → planner → worker: each hop signed by its delegator, and only ever narrower
const hop1 = await issueDelegation(client, { societyId: society, delegationId: 'deleg:planner', delegate: planner.did, roleLct: 'role:researcher', permissions: ['read', 'compute', 'delegate'], atpBudget: 5000 }, { now });
const hop2 = await issueDelegation(planner, { delegationId: 'deleg:worker', delegate: worker.did, permissions: ['read', 'compute'], atpBudget: 1000 }, { parent: hop1 });
const chain = await verifyDelegationChainOrThrow([hop1, hop2], { society, now, trustedRoots: [client.did] });

const engine = new AuthorizationEngine(society, { law: LawOracle.defaults(society) });
engine.registerDelegation(new AgentDelegation(chain.delegation, now));

// the worker signs a request; the engine decides it only with the verified credential
const env = await signAuthorizationRequest(worker, society, { action: 'compute', targetResource: 'gpu:train', atpCost: 600, delegationId: 'deleg:worker' });
const { request, credential, digest } = await verifyAuthorizationRequest(env, { societyId: society });
const first = engine.authorize(request, { credential });
console.log(first.decision, first.decidedBy.why); // deferred 2 witnesses required (PROC-HIGH-VALUE), 0 supplied

// two distinct allowed witnesses sign this exact request (a repeat of w1 would not count twice)
const attestations = [await signWitnessAttestation(w1, digest, society), await signWitnessAttestation(w1, digest, society), await signWitnessAttestation(w2, digest, society)];
const { count } = await countWitnesses(attestations, { digest, allowed: new Set([w1.did, w2.did]), society });
const second = engine.authorize(request, { credential, witnesses: count });
console.log(second.decision, second.atpRemaining); // granted 400

console.log(first.decision === 'deferred' && count === 2 && second.decision === 'granted' && second.atpRemaining === 400);
