// The pq bench suite runs end to end (tiny time budget, temp results folder) and writes rows with
// a ratio against noble for every provider, level and operation; the report helpers compute
// ratios against the named baseline.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rowsFromSummary } from '../../bench/_report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('bench report', () => {
  it('computes ns/op and ratios against the baseline case', () => {
    const rows = rowsFromSummary(
      { name: 's', results: [{ name: 'noble', ops: 100, margin: 1 }, { name: 'liboqs', ops: 1000, margin: 2 }] },
      'noble',
    );
    expect(rows.map((r) => [r.case, r.ratio, r.nsPerOp])).toEqual([
      ['noble', 1, 1e7],
      ['liboqs', 10, 1e6],
    ]);
    expect(() => rowsFromSummary({ name: 's', results: [] }, 'noble')).toThrow(/baseline case noble missing/);
  });
});

describe('bench/pq.ts', () => {
  it('runs and writes pq.json with every provider beside noble', () => {
    const out = mkdtempSync(join(tmpdir(), 'qk-bench-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bench/pq.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, QK_BENCH_MAX_TIME: '0.02', QK_BENCH_RESULTS_DIR: out },
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'pq.json'), 'utf8'));
    expect(doc.providers).toContain('noble');
    expect(doc.rows).toHaveLength(9 * doc.providers.length);
    for (const row of doc.rows) {
      expect(row.baseline).toBe('noble');
      expect(row.opsPerSec).toBeGreaterThan(0);
      if (row.case === 'noble') expect(row.ratio).toBe(1);
    }
    expect(readdirSync(out).filter((f) => f.endsWith('.chart.html'))).toHaveLength(9);
  }, 300_000);
});
