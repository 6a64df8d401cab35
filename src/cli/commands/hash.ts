// `quorumkit hash FILE…`: SHA3-256 of files, plain (the seed's region content hash) or as the
// chunked tree root of quorumkit/hash (what attestation reports carry), with a progress bar on
// stderr for large inputs when it is a terminal. One JSON line per file on stdout.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { toHex } from '../../core/bytes.js';
import { DEFAULT_CHUNK_BYTES, hashRegion, MAX_CHUNK_BYTES, treeHashRegion, treeLeafCount, closeHashPool } from '../../hash/index.js';
import { badInput } from '../errors.js';

interface HashOptions {
  readonly tree?: boolean;
  readonly chunkBytes: string;
  readonly progress?: boolean;
}

/** Largest file hashed (bytes): the region is read into one SharedArrayBuffer. */
export const MAX_HASH_FILE_BYTES = 2 ** 33;

/** Reads a whole file into memory backed by a SharedArrayBuffer (pool workers read it in place). */
function readShared(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw badInput(code === 'ENOENT' ? `file not found: ${path}` : `cannot open ${path}: ${code ?? (err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw badInput(`not a regular file: ${path}`);
    if (st.size > MAX_HASH_FILE_BYTES) throw badInput(`${path} is larger than ${MAX_HASH_FILE_BYTES} bytes`);
    const bytes = new Uint8Array(new SharedArrayBuffer(st.size));
    for (let off = 0; off < st.size; ) {
      const n = readSync(fd, bytes, off, Math.min(st.size - off, 64 * 1024 * 1024), off);
      if (n === 0) throw badInput(`${path} shrank while being read`);
      off += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** Registers `hash` on `program`. */
export function registerHash(program: Command): void {
  program
    .command('hash')
    .description('SHA3-256 of files: plain, or the chunked tree root used by attestation (--tree)')
    .argument('<files...>', 'files to hash')
    .option('--tree', 'RFC 6962-style tree root over chunk leaves (length and chunk size bound in)')
    .option('--chunk-bytes <n>', 'tree chunk size in bytes', String(DEFAULT_CHUNK_BYTES))
    .option('--no-progress', 'never draw a progress bar')
    .action(async (files: string[], opts: HashOptions) => {
      const chunkBytes = Number(opts.chunkBytes);
      if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
        throw badInput(`--chunk-bytes expects an integer 1..${MAX_CHUNK_BYTES}, got ${opts.chunkBytes}`);
      }
      const regions = files.map((f) => ({ file: f, bytes: readShared(f) }));
      try {
        for (const { file, bytes } of regions) {
          const t0 = performance.now();
          const showBar = opts.progress !== false && process.stderr.isTTY === true && bytes.length >= 64 * 1024 * 1024;
          const bar = showBar ? new SingleBar({ format: `${file} [{bar}] {percentage}% {value}/{total} MiB`, stream: process.stderr }, Presets.shades_classic) : null;
          bar?.start(Math.ceil(bytes.length / 2 ** 20), 0);
          const progress = (done: number): void => bar?.update(Math.floor(done / 2 ** 20));
          const digest = opts.tree ? await treeHashRegion(bytes, { chunkBytes, onProgress: progress }) : hashRegion(bytes);
          bar?.update(Math.ceil(bytes.length / 2 ** 20));
          bar?.stop();
          const out = opts.tree
            ? { file, bytes: bytes.length, alg: 'sha3-256-tree', chunkBytes, leaves: treeLeafCount(bytes.length, chunkBytes), root: toHex(digest) }
            : { file, bytes: bytes.length, alg: 'sha3-256', digest: toHex(digest) };
          process.stdout.write(`${JSON.stringify({ ...out, ms: Math.round(performance.now() - t0) })}\n`);
        }
      } finally {
        await closeHashPool();
      }
    });
}
