// Detecting memory tampering (the seed's detect_memory_tampering.py): attest the clean state,
// rewrite the weights as an attacker would, attest again — the verifier flags the drift, and
// verifyOrThrow raises RegionDriftError. Run: npm run example -- examples/attestation/detect-tampering.ts
import { Identity } from 'quorumkit/pq';
import { AttestationVerifier, Attester, ContinuousAttester, InMemoryBackend, RegionDriftError, hashBytes, memoryRegion } from 'quorumkit/attestation';

const WORKLOAD_ID = 'model-serving-1';
const attester = new Attester(await Identity.create('tamper-detector'));
const backend = new InMemoryBackend();
const weights = memoryRegion({ region_id: 'model-weights-0', description: 'Llama weight shard 0', address: 0x1000, size: 32, protection: 'RO' });
const trusted = new TextEncoder().encode('MODEL-WEIGHTS-TRUSTED-PAYLOAD-01');
backend.register(WORKLOAD_ID, weights, trusted);
const loop = new ContinuousAttester({ attester, backend, workloadId: WORKLOAD_ID, expectedHashes: { [weights.region_id]: hashBytes(trusted) } });

const clean = await AttestationVerifier.verify(await loop.attestOnce(), { strict: true });
console.log('[clean]');
console.log(`  valid   : ${clean.valid}`);
console.log(`  drifts  : [${clean.drifts.join(', ')}]`);

// A simulated attacker rewrites the weights.
backend.update(weights.region_id, new TextEncoder().encode('MODEL-WEIGHTS-COMPROMISED!!!!!!!'));
const dirtyReport = await loop.attestOnce();
const dirty = await AttestationVerifier.verify(dirtyReport, { strict: true });
console.log('[tampered]');
console.log(`  valid   : ${dirty.valid}`);
console.log(`  drifts  : [${dirty.drifts.join(', ')}]`);
console.log(`  error   : ${dirty.error}`);

let raised = false;
try {
  await AttestationVerifier.verifyOrThrow(dirtyReport);
} catch (e) {
  raised = e instanceof RegionDriftError;
  console.log(`  raised  : ${(e as Error).name}: ${(e as Error).message}`);
}
const caught = clean.valid && !dirty.valid && dirty.drifts.length === 1 && raised;
console.log(`tampering caught: ${caught}`);
if (!caught) process.exit(1);
