// Latency reporting for benches that time requests one by one (bench/governance-http.ts): rows with
// throughput and nearest-rank percentiles, shaped like the other suites' rows (BenchRow, so
// bench/results/<suite>.json reads the same), a table printer, and the least-squares slope used for
// memory growth.

import type { BenchRow } from './_report.ts';

/** A BenchRow measured request by request, with its latency percentiles (ms). */
export interface LatencyRow extends BenchRow {
  readonly requests: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** CPU time the measured process (the node, all its threads) spent per request, µs: steadier than wall time on a shared machine. */
  readonly cpuUsPerOp: number;
  /** Time the node's event loop (its one JavaScript thread) was busy per request, µs: what bounds its throughput. */
  readonly loopUsPerOp: number;
  /** The part of {@link cpuUsPerOp} spent in the kernel (system calls: sockets, fsync), µs. */
  readonly sysUsPerOp: number;
  /** CPU time of the load generator per request, µs, when measured over HTTP. */
  readonly generatorCpuUsPerOp?: number;
}

/** Nearest-rank percentile `p` (0..100) of ascending `sorted`. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * A row from one timed run: `requests` done in `wallMs` (throughput), each taking `latencies[i]` ms.
 * The ratio is filled in against the suite's baseline later (1 until then).
 */
export function latencyRow(
  name: string,
  run: { readonly requests: number; readonly wallMs: number; readonly latencies: Float64Array; readonly cpuUs: number; readonly sysUs: number; readonly loopUs: number },
  suite = 'governance node over HTTP',
): LatencyRow {
  const sorted = Float64Array.from(run.latencies).sort();
  const opsPerSec = (run.requests / run.wallMs) * 1000;
  return {
    suite,
    case: name,
    opsPerSec,
    nsPerOp: 1e9 / opsPerSec,
    rme: 0,
    baseline: name,
    ratio: 1,
    requests: run.requests,
    meanMs: sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length),
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    cpuUsPerOp: run.cpuUs / Math.max(1, run.requests),
    sysUsPerOp: run.sysUs / Math.max(1, run.requests),
    loopUsPerOp: run.loopUs / Math.max(1, run.requests),
  };
}

/** Prints latency rows as an aligned table. */
export function printLatencyRows(rows: readonly LatencyRow[]): void {
  const head = ['case', 'n', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'loop µs/req', 'node CPU µs/req (sys)', 'generator CPU µs/req', 'ratio'];
  const ms = (x: number): string => x.toFixed(1);
  const body = rows.map((r) => [r.case, String(r.requests), r.opsPerSec.toFixed(0), ms(r.p50Ms), ms(r.p95Ms), ms(r.p99Ms), ms(r.maxMs), r.loopUsPerOp.toFixed(0), `${r.cpuUsPerOp.toFixed(0)} (${r.sysUsPerOp.toFixed(0)})`, r.generatorCpuUsPerOp === undefined ? '-' : r.generatorCpuUsPerOp.toFixed(0), `${r.ratio.toFixed(2)}× ${r.baseline === r.case ? '(baseline)' : ''}`.trim()]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const b of body) console.log(line(b));
}

/** Least-squares slope of `points` ([x, y] pairs); 0 for fewer than two distinct x. */
export function linearSlope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
