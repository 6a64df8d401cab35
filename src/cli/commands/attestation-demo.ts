// The attestation act of `quorumkit demo`: a child process (python3) maps a model-weights file
// copy-on-write, as a model server maps its weights; the attester reads that mapping through
// /proc/<pid>/maps and /proc/<pid>/mem (ProcessMemoryBackend), pins its SHA3-256, and binds each
// ML-DSA report to SEV-SNP evidence from a FAKE device signing with a TEST PKI (quorumkit/tee/testing
// — this machine is no confidential VM; the evidence is shown as such and verifies only against the
// test root given explicitly, never against AMD's). Then the child changes one byte of its mapped
// weights (the file on disk stays as it was) and the next bound report shows the drift. Last, one
// genuine SEV-SNP report from the conformance vectors verifies against AMD's real pinned roots.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AmdSevSnpBackend } from '../../attestation/tee-backend.js';
import { Attester } from '../../attestation/attester.js';
import { ContinuousAttester } from '../../attestation/continuous.js';
import { verifyBoundReport } from '../../attestation/bound.js';
import { FileBackend } from '../../attestation/node/file-backend.js';
import { ProcessMemoryBackend } from '../../attestation/node/process-memory.js';
import { Identity } from '../../pq/identity.js';
import { parseSnpReport } from '../../tee/snp/report.js';
import { verifySnpReport } from '../../tee/snp/verify.js';
import { createTestSnpPki } from '../../tee/testing/snp-pki.js';
import { FakeSnpSigner } from '../../tee/testing/snp-signer.js';
import { fakeSnpEvidenceSource } from '../../tee/testing/evidence-sources.js';

const WEIGHTS_BYTES = 8 * 1024 * 1024;
/** The child: map the weights copy-on-write, say where, then flip the byte at each offset it is sent. */
const CHILD = `
import mmap, sys
f = open(sys.argv[1], 'rb')
m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
print('ready', flush=True)
for line in sys.stdin:
    i = int(line)
    m[i] = m[i] ^ 0xff
    print('ok', flush=True)
`;

/** The genuine sample: GCP's SEV-SNP v5 report (Milan) with its VCEK, at a time inside the VCEK's validity. */
const GENUINE = { report: 'tee/teekit/sev-gcp.bin', vcek: 'tee/teekit/sev-gcp-vcek.pem', chain: 'tee/go-sev-guest/ask_ark_milan.pem', now: new Date('2026-06-01T00:00:00Z') };

function vectorsDir(): string | null {
  const env = process.env['QUORUMKIT_VECTORS'];
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..'); // dist/cli/main.js → the package root
  const dir = env !== undefined && env !== '' ? resolve(env) : resolve(root, '../shared/data');
  return existsSync(join(dir, GENUINE.report)) ? dir : null;
}

function lineReader(child: ChildProcess): () => Promise<string> {
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const l = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const w = waiters.shift();
      if (w) w(l);
      else lines.push(l);
    }
  });
  return () => new Promise<string>((res, rej) => {
    if (lines.length > 0) return res(lines.shift()!);
    waiters.push(res);
    child.once('exit', (code) => rej(new Error(`the weights process exited (${code})`)));
  });
}

/**
 * Runs the act. `log` prints a line; `check` prints ✓/✗ and throws on ✗. Without python3 the
 * process part is skipped with one line; without the conformance vectors, the genuine sample is.
 */
export async function runAttestationAct(log: (line?: string) => void, check: (ok: boolean, what: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'quorumkit-attest-demo-'));
  const weights = join(dir, 'model-weights.bin');
  writeFileSync(weights, Uint8Array.from({ length: WEIGHTS_BYTES }, (_, i) => (i * 131 + 7) & 0xff));
  let child: ChildProcess | undefined;
  try {
    child = spawn('python3', ['-c', CHILD, weights], { stdio: ['pipe', 'pipe', 'inherit'] });
    const spawned = await new Promise<boolean>((res) => {
      child!.once('spawn', () => res(true));
      child!.once('error', () => res(false));
    });
    if (!spawned) {
      log('  – skipped the process part: python3 is not installed (it plays the model server holding the weights)');
    } else {
      const next = lineReader(child);
      check((await next()) === 'ready', `a model server (pid ${child.pid}) maps ${WEIGHTS_BYTES / 1024 / 1024} MiB of weights copy-on-write`);
      const memory = new ProcessMemoryBackend({ pid: child.pid!, pathPattern: /model-weights\.bin$/ });
      const regions = memory.listRegions('llm');
      check(regions.length === 1 && regions[0]!.size === WEIGHTS_BYTES, `/proc/${child.pid}/maps: one region ${regions[0]?.region_id.replace(dir, '…') ?? '(none)'}`);
      const inMemory = memory.snapshot(regions[0]!).content_hash;
      const file = new FileBackend([weights]);
      const onDisk = file.snapshot(file.listRegions('llm')[0]!).content_hash;
      check(inMemory === onDisk, `SHA3-256 read through /proc/${child.pid}/mem equals the file's: ${inMemory.slice(0, 16)}… (pinned as expected)`);

      log('  fake SEV-SNP device: TEST PKI ("quorumkit TEST ARK-Genoa — not AMD"), RSA-2048 CAs, made now');
      const pki = await createTestSnpPki({ product: 'Genoa', rsaBits: 2048 });
      const backend = new AmdSevSnpBackend({ memory, evidence: fakeSnpEvidenceSource(new FakeSnpSigner(pki)) });
      const attester = new Attester(await Identity.create('attester', { level: 65 }));
      const loop = new ContinuousAttester({ attester, backend, workloadId: 'llm', expectedHashes: { [regions[0]!.region_id]: inMemory } });
      const first = await loop.attestBoundOnce();
      const now = new Date();
      const ok = await verifyBoundReport(first.report, first.evidence, { now, snpRoots: [pki.root] });
      check(ok.valid, `bound report: ML-DSA-65 signature, SEV-SNP signature (test VCEK ← ASK ← ARK), REPORT_DATA = SHA3-512 of the report body — all hold`);
      const amd = await verifyBoundReport(first.report, first.evidence, { now });
      check(!amd.valid && amd.report.valid && amd.bound, "the same evidence against AMD's real roots: refused (a test PKI is never trusted by default)");

      child.stdin!.write(`${WEIGHTS_BYTES >> 1}\n`);
      check((await next()) === 'ok', `the model server flips one byte of its mapped weights (offset ${WEIGHTS_BYTES >> 1}); the file on disk is unchanged`);
      const second = await loop.attestBoundOnce();
      const drift = await verifyBoundReport(second.report, second.evidence, { now: new Date(), snpRoots: [pki.root] });
      check(!drift.valid && drift.evidence.valid && drift.bound && drift.report.drifts.length === 1, `next bound report: evidence valid and bound, but ${(drift.report.error ?? 'no drift reported').replace(dir, '…')}`);
      check(file.snapshot(file.listRegions('llm')[0]!).content_hash === onDisk, 'the weights file still hashes as pinned: only the running copy changed');
    }
  } finally {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }

  const vectors = vectorsDir();
  if (vectors === null) {
    log('  – skipped the genuine sample: conformance vectors not found (set QUORUMKIT_VECTORS)');
    return;
  }
  const report = readFileSync(join(vectors, GENUINE.report));
  const v = await verifySnpReport(report, { vcek: readFileSync(join(vectors, GENUINE.vcek)), chain: readFileSync(join(vectors, GENUINE.chain)), now: GENUINE.now });
  const r = parseSnpReport(report);
  check(v.valid && v.product === 'Milan', `a genuine SEV-SNP report (GCP, v${r.version}, Milan) verifies against AMD's pinned ARK at ${GENUINE.now.toISOString().slice(0, 10)}: ${v.checks.length} checks`);
  const flipped = report.slice();
  flipped[0x90]! ^= 1; // a byte of MEASUREMENT (ABI spec Table 22, offset 0x90)
  check(!(await verifySnpReport(flipped, { vcek: readFileSync(join(vectors, GENUINE.vcek)), now: GENUINE.now })).valid, 'one bit of its MEASUREMENT flipped: refused');
}
