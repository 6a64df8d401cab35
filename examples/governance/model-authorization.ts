// Governance quick start (pqc-ai-governance README, translated): five weighted nodes authorize a model
// by ML-DSA-signed quorum vote, then an authorization chain answers "is it authorized now?".
// Run: npm run example -- examples/governance/model-authorization.ts
import { AuthorizationChain, AuthorizationGrant, ConsensusRound, GovernanceNode, GovernanceProposal, NodeRegistry, QuorumPolicy } from 'quorumkit/governance';
import { Identity } from 'quorumkit/pq';

const node = async (name: string, weight = 1) => new GovernanceNode({ identity: await Identity.create(name), name, weight });
const [alice, bob, carol, dave, eve] = await Promise.all([node('alice'), node('bob'), node('carol'), node('dave', 2), node('eve')]);

const registry = new NodeRegistry();
for (const n of [alice, bob, carol, dave, eve]) registry.register(n);

const p = GovernanceProposal.create('authorize-model', 'did:pqaid:medical-ai-v2', 'Authorize medical-ai-v2 for production', alice.did, {
  parameters: { environment: 'prod', maxRateQps: 50 },
});
await alice.signProposal(p);
console.log('proposal signed:', await GovernanceNode.verifyProposal(p)); // true

const round = new ConsensusRound({ proposal: p, registry, policy: new QuorumPolicy() });
for (const n of [alice, bob, carol, dave]) await round.cast(await n.castVote(p, 'approve'));
await round.cast(await eve.castVote(p, 'reject', 'needs more evaluation'));

const result = await round.finalize(alice);
console.log(result.decision, '-', result.reason, `(${result.approveWeight}/${result.totalWeight} approve)`); // passed - quorum met, supermajority approve (5/6 approve)
console.log('result verifies:', await ConsensusRound.verifyResult(result)); // true

const chain = new AuthorizationChain(p.subjectId);
chain.add(new AuthorizationGrant({ subjectId: p.subjectId, kind: p.kind, result }));
const authorized = chain.isAuthorized('authorize-model');
console.log('medical-ai-v2 authorized:', authorized); // true
if (!authorized || result.decision !== 'passed') process.exit(1);
