// Governance: a 100-node round (cast + tally + sign the result; verify the result), offline
// re-verification of a 100-vote result (verifyResultOffline), and tally throughput — each beside
// 100 ML-DSA-65 verifications of the same vote envelopes with the default provider, measured in the
// same run (the floor: every vote signature must be checked once). Target: offline verification
// costs ≤ 1.3× the 100 bare verifications. Writes bench/results/governance.json.
// It also runs the transparency-log cases (bench/_log-cases.ts): durable appends per second, single
// and batched, and inclusion proofs at 1,000,000 entries (targets ≥ 5,000 appends/s, ≤ 1 ms).
// The round and tally cases decode each vote afresh (SignedVote.fromEnvelope), as a node does for
// every vote it receives: a SignedVote remembers that its signature verified, so casting the same
// objects again would measure no verification at all.
// Run: npm run bench -- governance

import { add, configure, cycle, suite } from 'benny';
import { base64Decode } from 'quorumkit/core';
import { pae } from 'quorumkit/envelope';
import {
  ConsensusRound, GovernanceNode, GovernanceProposal, RegistryHistory, SignedVote, VoteTally, verifyResultOffline,
} from 'quorumkit/governance';
import { Identity, mlDsa } from 'quorumkit/pq';
import { LOG_BENCH_ENTRIES, logBenchRows } from './_log-cases.ts';
import { printRows, rowsFromSummary, writeResults, type BenchRow } from './_report.ts';

const CASES = { minSamples: 5, maxTime: Number(process.env.QK_BENCH_MAX_TIME ?? 2) };
const N = 100;
const rows: BenchRow[] = [];

const nodes: GovernanceNode[] = [];
for (let i = 0; i < N; i++) nodes.push(new GovernanceNode({ identity: await Identity.create(`node-${i}`, { level: 65 }), name: `node-${i}`, weight: 1 + (i % 3) }));
const history = RegistryHistory.create(nodes);
const registry = history.registryAt();
const proposal = GovernanceProposal.create('authorize-model', 'did:pqaid:bench-model', 'Bench', nodes[0]!.did);
await nodes[0]!.signProposal(proposal);
const votes: SignedVote[] = [];
for (const n of nodes) votes.push(await n.castVote(proposal, n.weight === 3 ? 'reject' : 'approve'));
const round0 = new ConsensusRound({ proposal, history });
for (const v of votes) await round0.cast(v);
const result = await round0.finalize(nodes[0]!);
const envelopes = votes.map((v) => v.envelope);

// The baseline: the raw ML-DSA-65 verifications any verifier must do, on the same vote envelopes.
const dsa = mlDsa(65);
const raw = votes.map((v) => {
  const s = v.envelope.signatures[0]!;
  return { sig: base64Decode(s.sig), msg: pae(v.envelope.payloadType, base64Decode(v.envelope.payload)), pk: base64Decode(s.publicKey!) };
});
const verify100 = async (): Promise<void> => {
  for (const r of raw) if (!(await dsa.verify(r.sig, r.msg, r.pk))) throw new Error('baseline verification failed');
};
const BASE = `${N}× ML-DSA-65 verify (${dsa.provider})`;

const check = await verifyResultOffline(result, envelopes, history, { proposal });
if (!check.valid) throw new Error(`offline verification failed: ${check.reasons.join('; ')}`);

rows.push(
  ...rowsFromSummary(
    await suite(
      `${N}-node round`,
      configure({ cases: CASES }),
      add(BASE, verify100),
      add(`finalize: cast ${N} votes + tally + sign`, async () => {
        const round = new ConsensusRound({ proposal, history });
        for (const v of votes) await round.cast(SignedVote.fromEnvelope(v.envelope));
        await round.finalize(nodes[0]!);
      }),
      add('verify the signed result (coordinator signature)', async () => {
        if (!(await ConsensusRound.verifyResult(result))) throw new Error('result did not verify');
      }),
      cycle(),
    ),
    BASE,
  ),
);

const offline = await suite(
  `offline verification of a ${N}-vote result`,
  configure({ cases: CASES }),
  add(BASE, verify100),
  add('verifyResultOffline', async () => {
    if (!(await verifyResultOffline(result, envelopes, history, { proposal })).valid) throw new Error('offline verification failed');
  }),
  cycle(),
);
const offlineRows = rowsFromSummary(offline, BASE);
rows.push(...offlineRows);
const cost = 1 / offlineRows.find((r) => r.case === 'verifyResultOffline')!.ratio;

const tally = await suite(
  `tally throughput (${N} votes)`,
  configure({ cases: CASES }),
  add(BASE, verify100),
  add(`VoteTally.add ×${N}`, async () => {
    const t = new VoteTally(proposal, registry);
    for (const v of votes) await t.add(SignedVote.fromEnvelope(v.envelope));
  }),
  cycle(),
);
// Report votes per second, not tallies per second.
rows.push(...rowsFromSummary({ ...tally, results: tally.results.map((r) => ({ ...r, ops: r.ops * N })) }, BASE));

rows.push(...(await logBenchRows()));

console.log(`\nGovernance, ops/s (tally rows: votes/s, append rows: entries/s) and ratio against each operation's baseline in the same run`);
printRows(rows);
const verdict = cost <= 1.3 ? 'meets' : 'MISSES';
console.log(`\noffline verification of a ${N}-vote result costs ${cost.toFixed(2)}× ${BASE} (${verdict} the ≤ 1.3× target)`);
const single = rows.find((r) => r.case === 'log append')!;
const batched = rows.find((r) => r.case === 'log appendMany')!;
const proof = rows.find((r) => r.case === 'inclusion proof')!;
console.log(`durable log appends: ${Math.round(single.opsPerSec)}/s one per commit, ${Math.round(batched.opsPerSec)}/s batched (target ≥ 5,000/s)`);
console.log(`inclusion proof at ${LOG_BENCH_ENTRIES.toLocaleString('en-US')} entries: ${(proof.nsPerOp / 1e6).toFixed(3)} ms (target ≤ 1 ms)`);
console.log(`wrote ${writeResults('governance', rows, { votes: N, offlineCostRatio: cost, target: 1.3, provider: dsa.provider, logEntries: LOG_BENCH_ENTRIES })}`);
