// bench/governance-http.ts runs end to end on a tiny load (no targets asserted: those are the
// bench's): a node over real HTTP with its data dir on disk, a load generator in another process,
// every case measured beside the bare verifications, finished rounds with memory samples — and the
// latency report helpers compute nearest-rank percentiles and least-squares slopes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latencyRow, linearSlope, percentile } from '../../bench/_latency.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('bench latency report', () => {
  it('takes nearest-rank percentiles and reports throughput from the wall time', () => {
    const lat = Float64Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    const row = latencyRow('case', { requests: 100, wallMs: 50, latencies: lat, cpuUs: 5000, sysUs: 1000, loopUs: 4000 });
    expect([row.p50Ms, row.p95Ms, row.p99Ms, row.maxMs]).toEqual([50, 95, 99, 100]);
    expect(row.opsPerSec).toBe(2000);
    expect([row.cpuUsPerOp, row.sysUsPerOp, row.loopUsPerOp]).toEqual([50, 10, 40]);
    expect(percentile(Float64Array.from([7]), 99)).toBe(7);
    expect(Number.isNaN(percentile(new Float64Array(0), 50))).toBe(true);
  });

  it('fits a least-squares slope (flat is 0, and one point has none)', () => {
    expect(linearSlope([[1, 5], [2, 7], [3, 9]])).toBeCloseTo(2);
    expect(linearSlope([[1, 5], [5, 5], [10, 5]])).toBe(0);
    expect(linearSlope([[1, 5]])).toBe(0);
  });
});

describe('bench/governance-http.ts', () => {
  it('serves signed votes and finished rounds over HTTP from another process and writes governance-http.json', () => {
    const out = mkdtempSync(join(tmpdir(), 'qk-bench-gov-http-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bench/governance-http.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, QK_BENCH_VOTES: '150', QK_BENCH_ROUNDS: '30', QK_BENCH_RESULTS_DIR: out },
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'governance-http.json'), 'utf8'));
    expect(doc.concurrency).toBe(16);
    expect(doc.durability).toMatch(/fdatasync/);
    const cases = doc.rows.map((x: { case: string }) => x.case);
    expect(cases).toHaveLength(4);
    expect(cases[0]).toMatch(/^2× ML-DSA-65 verify per vote/);
    expect(cases.slice(1)).toEqual(['GET /v1/node (unsigned: the HTTP floor)', 'POST signed no-op (request signature + durable nonce)', 'POST /v1/proposals/{id}/votes (signed vote)']);
    for (const row of doc.rows) {
      expect(row.baseline).toBe(cases[0]);
      expect(row.requests).toBeGreaterThanOrEqual(150);
      expect(row.opsPerSec).toBeGreaterThan(0);
      expect(row.p50Ms).toBeLessThanOrEqual(row.p99Ms);
      expect(row.cpuUsPerOp).toBeGreaterThan(0);
    }
    expect(doc.rows[3].generatorCpuUsPerOp).toBeGreaterThan(0);
    expect(doc.rounds.count).toBe(30);
    expect(doc.rounds.statuses).toEqual({ 200: 30, 201: 90 });
    expect(doc.rounds.samples.map((s: { rounds: number }) => s.rounds)).toEqual([3, 8, 15, 23, 30]);
    for (const s of doc.rounds.samples) {
      expect(s.heapUsedMiB).toBeGreaterThan(0);
      expect(s.files['governance.db']).toBeGreaterThan(0);
    }
    expect(typeof doc.rounds.heapMiBPer1kRounds).toBe('number');
    expect(r.stdout).toMatch(/signed votes: \d+\/s, p99 [\d.]+ ms/);
    expect(r.stdout).toMatch(/memory: heapUsed -?[\d.]+ MiB \/ 1,000 finished rounds/);
  }, 300_000);
});
