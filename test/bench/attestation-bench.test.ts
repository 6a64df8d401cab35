// bench/attestation.ts runs end to end in a quick mode (a 16 MiB region, one timed run, a tiny time
// budget, a temp results folder; no targets asserted: those are the bench's): every suite beside
// its baseline, the TrackedRegion root checked against a full tree hash inside the bench, every
// genuine SNP report and TDX quote verified before timing, and why dcap-qvl's full verify() cannot
// run offline on the supplied collateral recorded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeVectors } from '../_vectors.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describeVectors('bench/attestation.ts', (vectors) => {
  it('runs and writes attestation.json with every case beside its baseline', () => {
    const out = mkdtempSync(join(tmpdir(), 'qk-bench-attest-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bench/attestation.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, QUORUMKIT_VECTORS: vectors, QK_BENCH_ATTEST_MIB: '16', QK_BENCH_RUNS: '1', QK_BENCH_MAX_TIME: '0.02', QK_BENCH_RESULTS_DIR: out },
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'attestation.json'), 'utf8'));
    expect(doc.regionBytes).toBe(16 * 1024 * 1024);
    const suites = [...new Set(doc.rows.map((x: { suite: string }) => x.suite))];
    expect(suites).toEqual(['attest a 16 MiB region', 're-attest a 16 MiB region, 1 % of chunks dirty', 'SEV-SNP verification, 9 genuine reports', 'TDX quote verification, 9 genuine quotes']);
    for (const row of doc.rows) {
      expect(row.opsPerSec).toBeGreaterThan(0);
      if (row.case === row.baseline) expect(row.ratio).toBe(1);
    }
    expect(Object.keys(doc.targets)).toHaveLength(4);
    expect(doc.rows.some((x: { case: string }) => x.case.includes('nodeTdxEngine()'))).toBe(true);
    expect(doc.dcapQvlFullVerify).toHaveLength(2);
    for (const d of doc.dcapQvlFullVerify) expect(d).toMatchObject({ ran: false, reason: expect.stringMatching(/TCB Signing certificate chain/) });
  }, 300_000);
});
