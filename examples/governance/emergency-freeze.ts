// Emergency freeze: a passed emergency-freeze unauthorizes every subject of every chain sharing one
// GovernanceState, until a passed update-policy with parameters { action: 'lift-freeze' } lifts it.
// A freeze that lacks quorum is rejected and never counts. Every decision is a signed artifact that
// re-verifies offline from the genesis registry and its votes alone.
// Run: npm run example -- examples/governance/emergency-freeze.ts
import {
  AuthorizationChain, AuthorizationGrant, ConsensusRound, GovernanceNode, GovernanceProposal, GovernanceState, LIFT_FREEZE_ACTION,
  RegistryHistory, verifyResultOffline, type ProposalKind,
} from 'quorumkit/governance';
import { parseStrict } from 'quorumkit/core';
import { Identity } from 'quorumkit/pq';

const node = async (name: string, weight = 1) => new GovernanceNode({ identity: await Identity.create(name), name, weight });
const nodes = await Promise.all([node('alice'), node('bob'), node('carol'), node('dave', 2)]);
const alice = nodes[0]!;
const history = RegistryHistory.create(nodes); // version 0: members, weights and public keys

async function decide(kind: ProposalKind, subjectId: string, title: string, voters: GovernanceNode[], parameters = {}) {
  const proposal = GovernanceProposal.create(kind, subjectId, title, alice.did, { parameters });
  await alice.signProposal(proposal);
  const round = new ConsensusRound({ proposal, history });
  for (const n of voters) await round.cast(await n.castVote(proposal, 'approve'));
  const result = await round.finalize(alice);
  return { proposal, result, votes: round.tally.validVotes, grant: new AuthorizationGrant({ subjectId, kind, result, proposal }) };
}

const state = new GovernanceState(); // shared by every chain: the fleet-wide freeze flag
const AGENT = 'did:pqaid:trading-agent-7';
const MODEL = 'did:pqaid:pricing-model-3';
const agent = new AuthorizationChain(AGENT, { state });
const model = new AuthorizationChain(MODEL, { state });
agent.add((await decide('authorize-agent', AGENT, 'Let trading-agent-7 act', nodes)).grant);
model.add((await decide('authorize-model', MODEL, 'Serve pricing-model-3', nodes)).grant);
console.log('before freeze:', agent.isAuthorized('authorize-agent'), model.isAuthorized('authorize-model')); // true true

// Only alice votes to freeze: 1 of 5 weight, no quorum, rejected — it changes nothing.
const weak = await decide('emergency-freeze', 'governance:fleet', 'Freeze (alice alone)', [alice]);
state.apply(weak.grant);
console.log('weak freeze:', weak.result.decision, '-', weak.result.reason, '| frozen:', state.frozen); // rejected … frozen: false

// The fleet agrees: freeze. Every subject is now unauthorized.
const freeze = await decide('emergency-freeze', 'governance:fleet', 'Freeze everything now', nodes);
state.apply(freeze.grant);
const duringFreeze = agent.isAuthorized('authorize-agent') || model.isAuthorized('authorize-model');
console.log('frozen:', state.frozen, '| any authorized:', duringFreeze); // frozen: true | any authorized: false

// Anyone holding genesis + the freeze result + its votes can re-check the decision offline.
const offline = await verifyResultOffline(parseStrict(JSON.stringify(freeze.result.envelope)), parseStrict(JSON.stringify(freeze.votes)), history);
console.log('freeze re-verifies offline:', offline.valid, `(${offline.tally?.approveWeight}/${offline.tally?.totalWeight})`); // true (5/5)

// A passed update-policy with { action: 'lift-freeze' } lifts it; prior grants apply again.
const lift = await decide('update-policy', 'governance:fleet', 'Lift the freeze', nodes, { action: LIFT_FREEZE_ACTION });
state.apply(lift.grant);
const afterLift = agent.isAuthorized('authorize-agent') && model.isAuthorized('authorize-model');
console.log('after lift:', afterLift, '| events:', state.events().map((e) => e.action).join(' → ')); // true | freeze → lift
if (duringFreeze || !afterLift || !offline.valid) process.exit(1);
