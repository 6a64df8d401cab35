// Transparency log (RFC 6962 over node:sqlite, WAL, synchronous=FULL): durable appends beside plain
// SQLite inserts, inclusion proofs at 1,000,000 entries beside a point read (cases in _log-cases.ts).
// Writes bench/results/log.json. Run: npm run bench -- log

import { LOG_BENCH_ENTRIES, logBenchRows } from './_log-cases.ts';
import { printRows, writeResults } from './_report.ts';

const rows = await logBenchRows();
console.log('\nTransparency log, ops/s (append rows: entries/s) and ratio against the baseline in the same run');
printRows(rows);
console.log(`\nwrote ${writeResults('log', rows, { entries: LOG_BENCH_ENTRIES })}`);
