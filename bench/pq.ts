// ML-DSA (FIPS 204) keygen / sign / verify per provider, each beside @noble/post-quantum in the
// same run. Writes bench/results/pq.json and one benny chart per (level, operation).
// Run: npm run bench -- pq   (or: quorumkit bench pq)

import { add, configure, cycle, save, suite } from 'benny';
import { listProviders, mlDsa, type MlDsaLevel, type ProviderName } from 'quorumkit/pq';
import { printRows, RESULTS_DIR, rowsFromSummary, writeResults, type BenchRow } from './_report.ts';

const LEVELS: MlDsaLevel[] = [44, 65, 87];
const CASES = { minSamples: 5, maxTime: Number(process.env.QK_BENCH_MAX_TIME ?? 1.5) };

const providers = (await listProviders()).filter((p) => p.available).map((p) => p.name as ProviderName);
const defaultProvider = mlDsa(65).provider;
const msg = new TextEncoder().encode('quorumkit bench: a 64-byte message for ML-DSA signing benchmarks');
const rows: BenchRow[] = [];

for (const level of LEVELS) {
  const keys = await mlDsa(level, { provider: 'noble' }).keygen();
  const sig = await mlDsa(level, { provider: 'noble' }).sign(msg, keys.secretKey);
  const dsa = Object.fromEntries(providers.map((p) => [p, mlDsa(level, { provider: p })]));
  const ops = {
    keygen: (p: ProviderName) => () => dsa[p]!.keygen(),
    sign: (p: ProviderName) => () => dsa[p]!.sign(msg, keys.secretKey),
    verify: (p: ProviderName) => () => dsa[p]!.verify(sig, msg, keys.publicKey),
  };
  for (const [op, make] of Object.entries(ops)) {
    const name = `ML-DSA-${level} ${op}`;
    const summary = await suite(
      name,
      configure({ cases: CASES }),
      ...providers.map((p) => add(p, make(p))),
      cycle(),
      save({ file: `pq-ml-dsa-${level}-${op}`, folder: RESULTS_DIR, format: 'chart.html', details: false }),
    );
    rows.push(...rowsFromSummary(summary, 'noble'));
  }
}

console.log(`\nML-DSA, ops/s and ratio against @noble/post-quantum (same run; default provider: ${defaultProvider})`);
printRows(rows);
const file = writeResults('pq', rows, { defaultProvider, providers });
console.log(`\nwrote ${file}`);
