// Transparency-log bench cases, shared by bench/log.ts and bench/governance.ts (the governance issue
// reports log throughput with its own figures): durable appends — single and batched — beside a
// plain durable SQLite insert of the same bytes with the same pragmas, and inclusion proofs at
// 1,000,000 entries beside a single indexed point read.

import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { add, configure, cycle, suite } from 'benny';
import { TransparencyLog, verifyInclusion } from 'quorumkit/log';
import { rowsFromSummary, type BenchRow } from './_report.ts';

/** Entries in the large log (QK_BENCH_LOG_ENTRIES overrides; the smoke tests use fewer). */
export const LOG_BENCH_ENTRIES = Number(process.env.QK_BENCH_LOG_ENTRIES ?? 1_000_000);

/** Runs the log cases and returns their rows (append rows count entries per second). */
export async function logBenchRows(): Promise<BenchRow[]> {
  const CASES = { minSamples: 5, maxTime: Number(process.env.QK_BENCH_MAX_TIME ?? 2) };
  const BIG = LOG_BENCH_ENTRIES;
  const dir = mkdtempSync(join(tmpdir(), 'qk-bench-log-'));
  const enc = new TextEncoder();
  const rows: BenchRow[] = [];

  function plainDb(path: string): DatabaseSync {
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL)');
    return db;
  }

  try {
    const log = TransparencyLog.open(join(dir, 'append.db'), { origin: 'bench/append' });
    const plain = plainDb(join(dir, 'plain.db'));
    const insert = plain.prepare('INSERT INTO entries (data) VALUES (?)');
    let n = 0;
    const entry = (): Uint8Array => enc.encode(`{"event":"vote_cast","seq":${n++},"actor":"did:pqaid:0123456789abcdef"}`);
    const batch = (k: number): Uint8Array[] => Array.from({ length: k }, entry);

    rows.push(
      ...rowsFromSummary(
        await suite(
          'durable append (1 entry / commit)',
          configure({ cases: CASES }),
          add('sqlite insert', () => void insert.run(entry())),
          add('log append', () => void log.append(entry())),
          cycle(),
        ),
        'sqlite insert',
      ),
    );

    const B = 100;
    const summary = await suite(
      `durable append (batches of ${B})`,
      configure({ cases: CASES }),
      add('sqlite insert', () => {
        plain.exec('BEGIN');
        for (const e of batch(B)) insert.run(e);
        plain.exec('COMMIT');
      }),
      add('log appendMany', () => void log.appendMany(batch(B))),
      cycle(),
    );
    // Report per entry, not per batch.
    rows.push(...rowsFromSummary({ ...summary, results: summary.results.map((r) => ({ ...r, ops: r.ops * B })) }, 'sqlite insert'));
    log.close();
    plain.close();

    console.log(`building a ${BIG.toLocaleString('en-US')}-entry log…`);
    const big = TransparencyLog.open(join(dir, 'big.db'), { origin: 'bench/big' });
    for (let i = 0; i < BIG; i += 10_000) big.appendMany(batch(Math.min(10_000, BIG - i)));
    const root = big.rootHash();
    const pick = (): number => Math.floor(Math.random() * big.size);
    rows.push(
      ...rowsFromSummary(
        await suite(
          `inclusion proof at ${BIG.toLocaleString('en-US')} entries`,
          configure({ cases: CASES }),
          add('point read', () => void big.entry(pick())),
          add('inclusion proof', () => void big.inclusionProof(pick())),
          add('proof + verify', () => {
            const i = pick();
            if (!verifyInclusion(big.leafHash(i), i, big.size, big.inclusionProof(i), root)) throw new Error('proof failed');
          }),
          cycle(),
        ),
        'point read',
      ),
    );
    big.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
