// Quick start (README): two identities cosign a body; a verifier requires both.
// Run: npm run example -- examples/quick-start.ts
import { canonicalize } from 'quorumkit/core';
import { signEnvelope, verifyEnvelope } from 'quorumkit/envelope';
import { Identity, mlDsa } from 'quorumkit/pq';

const alice = await Identity.create('alice'); // ML-DSA-65, fastest available provider
const bob = await Identity.create('bob', { level: 87 });

const body = { model: 'did:pqaid:medical-ai-v2', action: 'authorize', maxRateQps: 50 };
const env = await signEnvelope(body, 'model-approval', [alice, bob]);

const result = await verifyEnvelope(env, { trusted: [alice.did, bob.did], threshold: 2 });
console.log(result.valid, result.signers.length); // true 2
console.log(canonicalize(result.body)); // {"action":"authorize","maxRateQps":50,"model":"did:pqaid:medical-ai-v2"}

// Raw ML-DSA with a FIPS 204 context string (routed to a provider that supports contexts).
const dsa = mlDsa(65);
const { publicKey, secretKey } = await dsa.keygen();
const msg = new TextEncoder().encode('hello');
const context = new TextEncoder().encode('quorumkit-example');
const sig = await dsa.sign(msg, secretKey, { context });
console.log(await dsa.verify(sig, msg, publicKey, { context })); // true
if (!result.valid || !(await dsa.verify(sig, msg, publicKey, { context }))) process.exit(1);
