// A credit-scoring model whose three weights are secret: the model owner installs it with the
// weights Shamir-shared to three custodians (any two evaluate; none alone learns a weight), a dealer
// delivers Beaver triples the coordinator never sees, and an applicant's client shares its inputs
// itself — the coordinator only ever opens masked values. Every service runs on real HTTP in this
// process (in production each is its own process: `quorumkit mpc custodian|dealer|coordinator`).
// Run: npm run example -- examples/mpc/credit-scoring.ts
import { serveApp } from 'quorumkit/http';
import { Identity } from 'quorumkit/pq';
import {
  CoordinatorService, CustodianService, DealerService, MpcClient, createCoordinatorApp, createCustodianApp, createDealerApp, generateKemKeyPair,
} from 'quorumkit/mpc';

const MODEL = `
# score = 300 + w_income·income + w_tenure·tenure + w_on_time·on_time, the weights secret
input income
input tenure
input on_time
secret w_income
secret w_tenure
secret w_on_time
const base = 300
dot weighted = income w_income tenure w_tenure on_time w_on_time
add score = weighted base
output score
`;

const [owner, applicant, coordinatorId, dealerId] = await Promise.all(['bank', 'applicant', 'coordinator', 'dealer'].map((n) => Identity.create(n)));
const trust = { coordinators: new Set([coordinatorId!.did]), dealers: new Set([dealerId!.did]), owners: new Set([owner!.did]) };
const custodians = await Promise.all([0, 1, 2].map(async (index) => {
  const svc = await CustodianService.open({ dataDir: ':memory:', identity: await Identity.create(`custodian-${index}`), kem: await generateKemKeyPair(), index, trust });
  return { svc, server: await serveApp(createCustodianApp(svc)) };
}));
const endpoints = custodians.map((c) => ({ url: c.server.url }));
const dealer = await DealerService.open({ dataDir: ':memory:', identity: dealerId!, custodians: endpoints, threshold: 2, coordinators: new Set([coordinatorId!.did]) });
const dealerServer = await serveApp(createDealerApp(dealer));
const coordinator = await CoordinatorService.open({ dataDir: ':memory:', identity: coordinatorId!, custodians: endpoints, threshold: 2, dealer: { url: dealerServer.url, did: dealer.did }, owners: new Set([owner!.did]) });
const coordinatorServer = await serveApp(createCoordinatorApp(coordinator));

// The bank installs the model. Four queries would determine three weights exactly (a linear model
// in three inputs), so the coordinator refuses any budget of four or more evaluations per identity.
const bank = await MpcClient.connect({ coordinatorUrl: coordinatorServer.url, signer: owner!, trustedCustodians: custodians.map((c) => c.svc.did) });
const weights = { w_income: 2n, w_tenure: 15n, w_on_time: 4n };
const model = await bank.install({ source: MODEL, secrets: weights, policy: { budget_per_identity: 3, max_evals_per_minute: 60 } });
console.log(`installed ${model.programId.slice(0, 16)}… ${model.status}, extraction bound ${model.extractionBound}`);

// An applicant scores two profiles in one batch.
const client = await MpcClient.connect({ coordinatorUrl: coordinatorServer.url, signer: applicant!, trustedCustodians: custodians.map((c) => c.svc.did) });
const scores = await client.eval(model.programId, [{ income: 120n, tenure: 6n, on_time: 24n }, { income: 40n, tenure: 1n, on_time: 3n }]);
console.log('scores:', scores.map((s) => s['score']).join(', '));

const ok = model.status === 'ACTIVE' && model.extractionBound === 4n && scores[0]!['score'] === 726n && scores[1]!['score'] === 407n;
console.log('credit scoring:', ok); // credit scoring: true
await coordinatorServer.close();
await coordinator.close();
await dealerServer.close();
await dealer.close();
for (const c of custodians) { await c.server.close(); await c.svc.close(); }
if (!ok) process.exit(1);
