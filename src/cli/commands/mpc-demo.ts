// The MPC act of `quorumkit demo`: a dealer, a coordinator and three custodians as real processes on
// loopback (the CLI's `mpc` services, each with its own SQLite store and transparency log). An owner
// installs f(x) = (x + 7)² and a credit-scoring model whose three weights are secret parameters —
// Shamir-shared to the custodians, never in the package or at the coordinator; evaluations run on
// client-shared inputs with Beaver multiplication; the extraction bound refuses a cloning-friendly
// policy; budget and rate limits answer 429; a custodian is killed and evaluations go on with K = 2;
// the audit hash chain and the signed log checkpoint (with an inclusion proof) verify.

import { base64Decode, fromHex } from '../../core/bytes.js';
import { callService, ServiceCallError } from '../../http/index.js';
import { leafHash, verifyCheckpoint, verifyInclusion } from '../../log/verifier.js';
import { MpcClient, verifyChain } from '../../mpc/client/index.js';
import { Identity } from '../../pq/identity.js';
import { startProcessCluster, type ProcessCluster } from '../mpc-cluster.js';

const SAMPLE = 'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n';
/** Credit score = w1·income + w2·tenure + w3·on-time payments + 300, with the weights secret. */
export const SCORING_SOURCE = [
  '# credit score: the three weights are the model owner\'s secret',
  'input income', 'input tenure', 'input on_time',
  'secret w_income', 'secret w_tenure', 'secret w_on_time',
  'const base = 300',
  'dot weighted = income w_income tenure w_tenure on_time w_on_time',
  'add score = weighted base',
  'output score', '',
].join('\n');

const failure = async (p: Promise<unknown>): Promise<ServiceCallError | undefined> => p.then(() => undefined, (e: unknown) => (e instanceof ServiceCallError ? e : Promise.reject(e)));

/**
 * Runs the act on a fresh cluster (or on `cluster`, left running for the caller).
 * `log` prints a line; `check` prints ✓/✗ and throws on ✗.
 */
export async function runMpcAct(log: (line?: string) => void, check: (ok: boolean, what: string) => void, cluster?: ProcessCluster): Promise<void> {
  const t0 = performance.now();
  const c = cluster ?? (await startProcessCluster());
  try {
    log(`  coordinator ${c.coordinatorUrl}  ${c.dids['coordinator']!.slice(0, 26)}…`);
    c.custodianUrls.forEach((u, i) => log(`  custodian ${i}  ${u}  ${c.custodianDids[i]!.slice(0, 26)}…`));
    log(`  dealer       (separate process, its own key)  ${c.dids['dealer']!.slice(0, 26)}…`);
    const owner = await MpcClient.connect({ coordinatorUrl: c.coordinatorUrl, signer: c.owner, trustedCustodians: c.custodianDids });
    const sample = await owner.install({ source: SAMPLE, policy: { budget_per_identity: 100, max_evals_per_minute: 600 }, beaverPoolSize: 50 });
    check(sample.status === 'ACTIVE', `(x + 7)² installed and activated by K = ${owner.threshold} distinct custodian approvals (ML-DSA)`);
    const ys = (await owner.eval(sample.programId, [{ x: 3n }, { x: 10n }, { x: 0n }])).map((o) => o['y']);
    check(ys[0] === 100n && ys[1] === 289n && ys[2] === 49n, `f(3) = ${ys[0]}, f(10) = ${ys[1]}, f(0) = ${ys[2]} on shares (one Beaver round, outputs masked from the coordinator)`);

    const refused = await failure(owner.install({ source: SCORING_SOURCE, secrets: { w_income: 2n, w_tenure: 15n, w_on_time: 4n }, policy: { budget_per_identity: 5, max_evals_per_minute: 60 } }));
    check(refused?.status === 400 && refused.code === 'ERR_MPC_EXTRACTABLE_POLICY', `a budget of 5 evaluations per identity is refused: ${refused?.details['extraction_bound']} queries recover three secret weights exactly`);
    const scoring = await owner.install({ source: SCORING_SOURCE, secrets: { w_income: 2n, w_tenure: 15n, w_on_time: 4n }, policy: { budget_per_identity: 3, max_evals_per_minute: 60 } });
    const applicant = await MpcClient.connect({ coordinatorUrl: c.coordinatorUrl, signer: await Identity.create('applicant'), trustedCustodians: c.custodianDids });
    const [score] = await applicant.eval(scoring.programId, { income: 120n, tenure: 6n, on_time: 24n });
    check(score!['score'] === 2n * 120n + 15n * 6n + 4n * 24n + 300n, `credit score ${score!['score']} from secret weights (extraction bound ${scoring.extractionBound}, budget 3)`);
    await applicant.eval(scoring.programId, [{ income: 80n, tenure: 2n, on_time: 12n }, { income: 95n, tenure: 3n, on_time: 30n }]);
    const over = await failure(applicant.eval(scoring.programId, { income: 1n, tenure: 1n, on_time: 1n }));
    check(over?.status === 429 && over.message.startsWith('budget exhausted'), `4th evaluation by the same identity: 429 "${over?.message}"`);

    const limited = await owner.install({ source: SAMPLE, policy: { budget_per_identity: 100, max_evals_per_minute: 2 }, beaverPoolSize: 5 });
    await owner.eval(limited.programId, { x: 1n });
    await owner.eval(limited.programId, { x: 2n });
    const fast = await failure(owner.eval(limited.programId, { x: 3n }));
    check(fast?.status === 429 && fast.message === 'rate limit exceeded', `a 3rd evaluation within the minute at 2/min: 429 "${fast?.message}"`);

    await c.kill('custodian-1', 'SIGKILL');
    const after = (await owner.eval(sample.programId, [{ x: 3n }, { x: 10n }])).map((o) => o['y']);
    check(after[0] === 100n && after[1] === 289n, 'custodian 1 killed (SIGKILL): evaluations still succeed with custodians 0 and 2');

    const audit = await callService<{ entries: { event: string }[]; chain_valid: boolean }>(c.coordinatorUrl, '/audit');
    check(audit.chain_valid && verifyChain(audit.entries), `audit hash chain verifies (${audit.entries.length} events: ${[...new Set(audit.entries.map((e) => e.event))].join(', ')})`);
    const { checkpoint } = await callService<{ checkpoint: unknown }>(c.coordinatorUrl, '/v1/log/checkpoint');
    const cp = await verifyCheckpoint(checkpoint, { trusted: [c.dids['coordinator']!] });
    const size = cp.checkpoint!.treeSize;
    const last = await callService<{ data: string }>(c.coordinatorUrl, `/v1/log/entries/${size - 1}`);
    const proof = await callService<{ proof: string[] }>(c.coordinatorUrl, `/v1/log/proofs/inclusion?index=${size - 1}&size=${size}`);
    const included = verifyInclusion(leafHash(base64Decode(last.data)), size - 1, size, proof.proof.map(fromHex), cp.root!);
    check(cp.valid && included, `signed log checkpoint (${size} entries) verifies offline, last event included`);
    log(`  act time ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    if (cluster === undefined) await c.close();
  }
}
