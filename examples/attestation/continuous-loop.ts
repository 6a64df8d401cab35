// The continuous loop (the seed's continuous_loop_demo.py): a fresh signed report every 200 ms for
// one second, each with a fresh nonce; every one verifies. Run: npm run example -- examples/attestation/continuous-loop.ts
import { Identity } from 'quorumkit/pq';
import { AttestationVerifier, Attester, ContinuousAttester, InMemoryBackend, hashBytes, memoryRegion } from 'quorumkit/attestation';

const WORKLOAD_ID = 'model-serving-1';
const backend = new InMemoryBackend();
const weights = memoryRegion({ region_id: 'model-weights-0', description: 'Llama weight shard 0', address: 0x1000, size: 128 });
const bytes = new Uint8Array(128).fill(0xcc);
backend.register(WORKLOAD_ID, weights, bytes);
const loop = new ContinuousAttester({ attester: new Attester(await Identity.create('loop-attester')), backend, workloadId: WORKLOAD_ID, expectedHashes: { [weights.region_id]: hashBytes(bytes) } });

const reports = await loop.runFor(1, 0.2, (r) => console.log(`report ${r.report_id}  nonce ${r.claims[0]!.nonce}`));
const results = await Promise.all(reports.map((r) => AttestationVerifier.verify(r)));
const nonces = new Set(reports.map((r) => r.claims[0]!.nonce));
const ok = reports.length >= 3 && results.every((r) => r.valid) && nonces.size === reports.length;
console.log(`${reports.length} reports, ${nonces.size} distinct nonces, all valid: ${ok}`);
if (!ok) process.exit(1);
