// bench/mpc.ts runs end to end on tiny sizes (no targets asserted: those are the bench's): the MPC
// services as CLI processes on loopback, single evaluations and batches checked against the plain
// answers, every row beside the QuorumVM baseline (here the recorded figures: QK_QUORUMVM_DIR=none,
// so the test needs no python), and mpc.json written.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('bench/mpc.ts', () => {
  it('evaluates over HTTP against CLI-started services and writes mpc.json beside the QuorumVM baseline', () => {
    const out = mkdtempSync(join(tmpdir(), 'qk-bench-mpc-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bench/mpc.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, QK_BENCH_SINGLE: '20', QK_BENCH_BATCH: '64', QK_BENCH_BATCH_RUNS: '2', QK_QUORUMVM_DIR: 'none', QK_BENCH_RESULTS_DIR: out },
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'mpc.json'), 'utf8'));
    expect(doc.quorumvmRan).toBe(false);
    expect(doc.baseline).toMatch(/^QuorumVM could not run here \(QK_QUORUMVM_DIR=none\)/);
    const cases = doc.rows.map((x: { case: string }) => x.case);
    expect(cases).toEqual([
      'QuorumVM (x + 7)² single eval, sequential — recorded in issue 9',
      'quorumkit (x + 7)² single eval, sequential',
      'quorumkit (x + 7)² 64-eval batch, evalPacked',
      'quorumkit (x + 7)² 64-eval batch, eval() bigint records',
      'quorumkit scoring (3 secret weights) 64-eval batch, evalPacked',
    ]);
    expect(doc.rows[0]).toMatchObject({ recorded: true, opsPerSec: 19, p50Ms: 51.5, p99Ms: 82.5 });
    for (const row of doc.rows.slice(1)) {
      expect(row.baseline).toBe(cases[0]);
      expect(row.opsPerSec).toBeGreaterThan(0);
      expect(row.ratio).toBeCloseTo(row.opsPerSec / 19);
      expect(row.p50Ms).toBeLessThanOrEqual(row.p99Ms);
    }
    expect(doc.rows.slice(1).map((x: { requests: number; evalsPerRequest: number }) => [x.requests, x.evalsPerRequest])).toEqual([[20, 1], [2, 64], [2, 64], [2, 64]]);
    expect(r.stdout).toMatch(/single eval: p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(r.stdout).toMatch(/scoring batch of 64: median \d+ ms/);
  }, 300_000);
});
