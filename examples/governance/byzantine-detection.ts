// Byzantine double voting: eve signs "approve" and then "reject" on one proposal. The tally raises
// ByzantineDetectedError carrying both signed votes; anyone can verify that evidence from its JSON.
// Run: npm run example -- examples/governance/byzantine-detection.ts
import {
  ByzantineDetectedError, GovernanceAuditLog, GovernanceNode, GovernanceProposal, NodeRegistry, VoteTally,
  byzantineEvidenceToJSON, verifyByzantineEvidence,
} from 'quorumkit/governance';
import { parseStrict } from 'quorumkit/core';
import { Identity } from 'quorumkit/pq';

const node = async (name: string) => new GovernanceNode({ identity: await Identity.create(name), name });
const [alice, bob, eve] = await Promise.all([node('alice'), node('bob'), node('eve')]);
const registry = new NodeRegistry();
for (const n of [alice, bob, eve]) registry.register(n);

const proposal = GovernanceProposal.create('update-policy', 'policy:rate-limit', 'Raise rate limit to 100 QPS', alice.did);
await alice.signProposal(proposal);
const audit = new GovernanceAuditLog();
audit.logProposalCreated(proposal);

const tally = new VoteTally(proposal, registry);
for (const v of [await alice.castVote(proposal, 'approve'), await bob.castVote(proposal, 'approve'), await eve.castVote(proposal, 'approve')]) {
  await tally.add(v);
  audit.logVoteCast(v);
}

let wire = '';
try {
  await tally.add(await eve.castVote(proposal, 'reject')); // conflicting second vote
} catch (err) {
  if (!(err instanceof ByzantineDetectedError)) throw err;
  console.log('caught:', err.message);
  audit.logByzantineDetected(err.evidence);
  wire = JSON.stringify(byzantineEvidenceToJSON(err.evidence));
}

// A third party that only receives the JSON evidence:
const verdict = await verifyByzantineEvidence(parseStrict(wire));
console.log('evidence verifies:', verdict.valid); // true
console.log('eve weight withdrawn, approve weight now', tally.approveWeight); // 2
for (const e of audit.entries()) console.log(`  ${e.operation.padEnd(20)} ${e.actorDid?.slice(0, 24)}…`);
if (!verdict.valid) process.exit(1);
