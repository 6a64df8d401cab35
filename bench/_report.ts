// Shared bench reporting: turns benny summaries into rows with ns/op and a ratio against the
// baseline case measured in the same run (DESIGN.md "Performance method"), prints the table and
// writes bench/results/<suite>.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured case beside its baseline. */
export interface BenchRow {
  readonly suite: string;
  readonly case: string;
  readonly opsPerSec: number;
  readonly nsPerOp: number;
  readonly rme: number;
  readonly baseline: string;
  /** ops/s of this case ÷ ops/s of the baseline case (higher is faster). */
  readonly ratio: number;
}

/** Folder for results: bench/results, or `$QK_BENCH_RESULTS_DIR` (used by the smoke test). */
export const RESULTS_DIR = process.env.QK_BENCH_RESULTS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), 'results');

/** Minimal shape of a benny summary used here. */
export interface SummaryLike {
  readonly name: string;
  readonly results: ReadonlyArray<{ readonly name: string; readonly ops: number; readonly margin: number }>;
}

/** Rows of one benny summary, with ratios against the case named `baseline`. */
export function rowsFromSummary(summary: SummaryLike, baseline: string): BenchRow[] {
  const base = summary.results.find((r) => r.name === baseline);
  if (!base) throw new Error(`baseline case ${baseline} missing from suite ${summary.name}`);
  return summary.results.map((r) => ({
    suite: summary.name,
    case: r.name,
    opsPerSec: r.ops,
    nsPerOp: 1e9 / r.ops,
    rme: r.margin,
    baseline,
    ratio: r.ops / base.ops,
  }));
}

/** Prints the rows as an aligned table. */
export function printRows(rows: readonly BenchRow[]): void {
  const head = ['suite', 'case', 'ops/s', 'ns/op', '±%', `ratio`];
  const body = rows.map((r) => [
    r.suite,
    r.case,
    r.opsPerSec.toFixed(1),
    r.nsPerOp.toFixed(0),
    r.rme.toFixed(1),
    `${r.ratio.toFixed(2)}× ${r.baseline}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const b of body) console.log(line(b));
}

/** Writes `bench/results/<suite>.json` with environment facts and the rows. */
export function writeResults(suite: string, rows: readonly BenchRow[], extra: Record<string, unknown> = {}): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${suite}.json`);
  const doc = {
    suite,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    ...extra,
    rows,
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}
