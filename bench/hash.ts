// SHA3 / SHAKE (quorumkit/hash, WASM Keccak) beside node:crypto (OpenSSL: crypto.hash and
// createHash), hash-wasm (a reused createSHA3(256) instance) and @noble/hashes, in the same run;
// batch digests; the region tree hash of 256 MiB on one thread and on the worker pool; incremental
// rehash with 1% of chunks dirty. Ratios are against node:crypto `crypto.hash` unless a row says
// otherwise. Writes bench/results/hash.json.
// Run: npm run bench -- hash    (QK_BENCH_MAX_TIME=seconds per case, QK_BENCH_TREE_MIB=region size)

import { createHash, hash as nodeHash, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { sha3_256 as nobleSha3_256 } from '@noble/hashes/sha3.js';
import { add, configure, cycle, suite } from 'benny';
import { createSHA3 } from 'hash-wasm';
import {
  closeHashPool,
  hashBackend,
  RegionHasher,
  sha3_256,
  sha3_256Many,
  shake128,
  shake256,
  treeHashRegion,
  treeHashRegionSync,
} from 'quorumkit/hash';
import { initSync, wasmInfo } from 'quorumkit/wasm';
import { printRows, rowsFromSummary, writeResults, type BenchRow } from './_report.ts';

const MAX_TIME = Number(process.env.QK_BENCH_MAX_TIME ?? 2);
const CASES = { minSamples: 5, maxTime: MAX_TIME };
const SLOW = { minSamples: 3, maxTime: MAX_TIME * 2 };
const TREE_BYTES = Number(process.env.QK_BENCH_TREE_MIB ?? 256) * 1024 * 1024;
const rows: BenchRow[] = [];
const KIB = 1024;
const MIB = 1024 * KIB;
const label = (n: number): string => (n >= MIB ? `${n / MIB} MiB` : n >= KIB ? `${n / KIB} KiB` : `${n} B`);

initSync();
const hw = await createSHA3(256);
const sink: unknown[] = [];
const keep = (x: unknown): void => {
  sink[0] = x;
};

for (const size of [64, 4 * KIB, MIB, 64 * MIB]) {
  const msg = new Uint8Array(randomBytes(size));
  const cases = [
    add('quorumkit sha3_256', () => keep(sha3_256(msg))),
    add('node:crypto hash', () => keep(nodeHash('sha3-256', msg, 'buffer'))),
    add('node:crypto createHash', () => keep(createHash('sha3-256').update(msg).digest())),
    add('hash-wasm', () => {
      hw.init();
      hw.update(msg);
      keep(hw.digest('binary'));
    }),
  ];
  if (size <= MIB) cases.push(add('@noble/hashes', () => keep(nobleSha3_256(msg))));
  rows.push(...rowsFromSummary(await suite(`SHA3-256 ${label(size)}`, configure({ cases: size > MIB ? SLOW : CASES }), ...cases, cycle()), 'node:crypto hash'));
}

for (const size of [4 * KIB, MIB]) {
  const msg = new Uint8Array(randomBytes(size));
  for (const [name, ours, alg] of [
    ['SHAKE128', shake128, 'shake128'],
    ['SHAKE256', shake256, 'shake256'],
  ] as const) {
    rows.push(
      ...rowsFromSummary(
        await suite(
          `${name} ${label(size)} → 64 B`,
          configure({ cases: CASES }),
          add(`quorumkit ${name.toLowerCase()}`, () => keep(ours(msg, { dkLen: 64 }))),
          add('node:crypto hash', () => keep(nodeHash(alg, msg, { outputLength: 64, outputEncoding: 'buffer' } as never))),
          add('node:crypto createHash', () => keep(createHash(alg, { outputLength: 64 }).update(msg).digest())),
          cycle(),
        ),
        'node:crypto hash',
      ),
    );
  }
}

{
  const msgs = Array.from({ length: 10_000 }, () => new Uint8Array(randomBytes(64)));
  rows.push(
    ...rowsFromSummary(
      await suite(
        'SHA3-256 of 10,000 × 64 B',
        configure({ cases: CASES }),
        add('quorumkit sha3_256Many', () => keep(sha3_256Many(msgs))),
        add('quorumkit sha3_256 loop', () => keep(msgs.map((m) => sha3_256(m)))),
        add('node:crypto hash', () => keep(msgs.map((m) => nodeHash('sha3-256', m, 'buffer')))),
        add('hash-wasm', () =>
          keep(
            msgs.map((m) => {
              hw.init();
              hw.update(m);
              return hw.digest('binary');
            }),
          ),
        ),
        cycle(),
      ),
      'node:crypto hash',
    ),
  );
}

{
  const region = new Uint8Array(randomBytes(TREE_BYTES));
  const shared = new Uint8Array(new SharedArrayBuffer(TREE_BYTES));
  shared.set(region);
  const workers = availableParallelism();
  await treeHashRegion(region, { parallel: true, workers }); // start the pool outside the timing
  rows.push(
    ...rowsFromSummary(
      await suite(
        `region ${label(TREE_BYTES)}`,
        configure({ cases: SLOW }),
        add('node:crypto hash (single stream)', () => keep(nodeHash('sha3-256', region, 'buffer'))),
        add('quorumkit hashRegion (single stream)', () => keep(sha3_256(region))),
        add('tree hash, calling thread', () => keep(treeHashRegionSync(region))),
        add(`tree hash, pool of ${workers}`, async () => keep(await treeHashRegion(region, { parallel: true, workers }))),
        add(`tree hash, pool of ${workers}, SharedArrayBuffer`, async () => keep(await treeHashRegion(shared, { parallel: true, workers }))),
        cycle(),
      ),
      'node:crypto hash (single stream)',
    ),
  );

  const hasher = new RegionHasher(region);
  const dirty = Array.from({ length: Math.max(1, Math.round(hasher.leafCount / 100)) }, (_, i) => Math.floor((i * hasher.leafCount) / Math.max(1, Math.round(hasher.leafCount / 100))));
  rows.push(
    ...rowsFromSummary(
      await suite(
        `incremental rehash, ${label(TREE_BYTES)}, ${dirty.length} of ${hasher.leafCount} chunks dirty`,
        configure({ cases: SLOW }),
        add('full tree hash, calling thread', () => keep(hasher.rehashAll())),
        add('RegionHasher.rehash(dirty)', () => {
          for (const i of dirty) region[i * MIB] = (region[i * MIB] ?? 0) ^ 1;
          keep(hasher.rehash(dirty));
        }),
        cycle(),
      ),
      'full tree hash, calling thread',
    ),
  );
}
await closeHashPool();

const find = (suiteName: string, c: string): BenchRow | undefined => rows.find((r) => r.suite === suiteName && r.case === c);
const vs = (s: string, a: string, b: string): string => {
  const x = find(s, a);
  const y = find(s, b);
  return x && y ? `${(x.opsPerSec / y.opsPerSec).toFixed(2)}×` : 'n/a';
};
console.log(`\nSHA3/SHAKE, ops/s and ratio against the baseline in the same run (backend ${hashBackend()}, ${JSON.stringify(wasmInfo())})`);
printRows(rows);
const targets = {
  'SHA3-256 1 MiB vs hash-wasm': vs('SHA3-256 1 MiB', 'quorumkit sha3_256', 'hash-wasm'),
  'SHA3-256 64 MiB vs hash-wasm': vs('SHA3-256 64 MiB', 'quorumkit sha3_256', 'hash-wasm'),
  'SHA3-256 1 MiB vs node:crypto': vs('SHA3-256 1 MiB', 'quorumkit sha3_256', 'node:crypto hash'),
  'SHA3-256 64 MiB vs node:crypto': vs('SHA3-256 64 MiB', 'quorumkit sha3_256', 'node:crypto hash'),
  'SHA3-256 64 B vs crypto.hash': vs('SHA3-256 64 B', 'quorumkit sha3_256', 'node:crypto hash'),
  '10,000 × 64 B sha3_256Many vs crypto.hash loop': vs('SHA3-256 of 10,000 × 64 B', 'quorumkit sha3_256Many', 'node:crypto hash'),
};
console.log('\ntargets:', targets);
const file = writeResults('hash', rows, { wasm: wasmInfo(), cores: availableParallelism(), targets });
console.log(`\nwrote ${file}`);
