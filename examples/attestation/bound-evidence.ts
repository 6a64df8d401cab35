// A report bound to TEE evidence: a weights file attested through the SEV-SNP backend, whose evidence
// source here is a FAKE device signing with a TEST PKI (quorumkit/tee/testing) — on a confidential VM
// use snpIoctlEvidenceSource() or tsmEvidenceSource() from quorumkit/attestation/node instead. The
// verifier checks the ML-DSA report, the SEV-SNP report and the binding (REPORT_DATA = SHA3-512 of
// the report body); the test root is trusted only because it is passed explicitly.
// Run: npm run example -- examples/attestation/bound-evidence.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Identity } from 'quorumkit/pq';
import { AmdSevSnpBackend, Attester, ContinuousAttester, hashBytes, verifyBoundReport } from 'quorumkit/attestation';
import { FileBackend } from 'quorumkit/attestation/node';
import { createTestSnpPki, fakeSnpEvidenceSource, FakeSnpSigner } from 'quorumkit/tee/testing';

const dir = mkdtempSync(join(tmpdir(), 'qk-bound-'));
const weights = new Uint8Array(1 << 20).fill(0x5a);
writeFileSync(join(dir, 'weights.bin'), weights);

const pki = await createTestSnpPki({ product: 'Milan', rsaBits: 2048 }); // a TEST PKI, not AMD's
const backend = new AmdSevSnpBackend({
  memory: new FileBackend({ weights: join(dir, 'weights.bin') }),
  evidence: fakeSnpEvidenceSource(new FakeSnpSigner(pki)),
});
const loop = new ContinuousAttester({ attester: new Attester(await Identity.create('host')), backend, workloadId: 'llm', expectedHashes: { weights: hashBytes(weights) } });
const { report, evidence } = await loop.attestBoundOnce();

const v = await verifyBoundReport(report, evidence, { now: new Date(), snpRoots: [pki.root] });
console.log(`report valid     : ${v.report.valid}`);
console.log(`evidence valid   : ${v.evidence.valid}`);
console.log(`bound            : ${v.bound}`);
console.log(`valid            : ${v.valid}`);
const untrusted = await verifyBoundReport(report, evidence, { now: new Date() }); // AMD's roots only
console.log(`with AMD's roots : ${untrusted.valid} (${untrusted.reasons[0]})`);
rmSync(dir, { recursive: true, force: true });
