// Basic attestation (the seed's basic_attestation.py): two in-memory regions — model weights and a
// KV cache —, their expected hashes pinned at boot, one report signed with ML-DSA and verified from
// scratch. Run: npm run example -- examples/attestation/basic.ts
import { Identity } from 'quorumkit/pq';
import { AttestationVerifier, Attester, ContinuousAttester, InMemoryBackend, hashBytes, memoryRegion } from 'quorumkit/attestation';

const WORKLOAD_ID = 'model-serving-1';
const attester = new Attester(await Identity.create('llama-host-attester'));

const backend = new InMemoryBackend();
const weights = memoryRegion({ region_id: 'model-weights-0', description: 'Llama weight shard 0', address: 0x1000, size: 128, protection: 'RO' });
const cache = memoryRegion({ region_id: 'activation-cache', description: 'KV cache for in-flight request', address: 0x2000, size: 64, protection: 'RW' });
const weightsBytes = new Uint8Array(128).fill(0xaa);
const cacheBytes = new Uint8Array(64).fill(0xbb);
backend.register(WORKLOAD_ID, weights, weightsBytes);
backend.register(WORKLOAD_ID, cache, cacheBytes);

// Expected hashes, pinned at VM boot.
const expectedHashes = { [weights.region_id]: hashBytes(weightsBytes), [cache.region_id]: hashBytes(cacheBytes) };
const loop = new ContinuousAttester({ attester, backend, workloadId: WORKLOAD_ID, expectedHashes });
const report = await loop.attestOnce();
console.log(`signed report    : ${report.report_id}`);
console.log(`attester did     : ${report.signer_did}`);
console.log(`algorithm        : ${report.algorithm}`);
console.log(`claims           : ${report.claims.length}`);

const result = await AttestationVerifier.verify(report, { strict: true });
console.log(`valid            : ${result.valid}`);
console.log(`signature valid  : ${result.signatureValid}`);
console.log(`not expired      : ${result.notExpired}`);
console.log(`drifts           : [${result.drifts.join(', ')}]`);
if (!result.valid) process.exit(1);
