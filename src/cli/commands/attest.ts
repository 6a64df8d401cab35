// `quorumkit attest regions --pid P [--path-pattern RE] | --file F…`: the regions an attester would
// cover — a live process's readable mappings (procfs; with --path-pattern, those backed by a
// matching file, e.g. a model's weights), or weight files — with their SHA3-256 content hashes,
// one JSON line per region on stdout, a progress bar on stderr for large regions when it is a
// terminal. With --tree [--chunk-bytes N], large regions are fingerprinted by the chunked tree hash
// on the worker pool (`hash_alg: 'sha3-256-tree'`, read in bounded windows). Bad input: exit 2 with one line; a process gone or unreadable: exit 2 with the reason.

import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { isQuorumkitError } from '../../core/errors.js';
import type { AttestationBackend } from '../../attestation/backend.js';
import { FileBackend, MAX_BACKEND_CHUNK_BYTES, ProcessMemoryBackend, type TreeSnapshotOption } from '../../attestation/node/index.js';
import { badInput } from '../errors.js';
import { count } from './mpc.js';
import { registerAttestVerify } from './attest-verify.js';
import { registerAttestServe } from './attest-serve.js';

interface RegionsFlags {
  readonly pid?: string;
  readonly file?: string[];
  readonly pathPattern?: string;
  readonly progress?: boolean;
  readonly tree?: boolean;
  readonly chunkBytes?: string;
}

/** The tree option of the flags, or undefined without --tree. */
function treeOf(o: RegionsFlags): TreeSnapshotOption | undefined {
  if (o.tree !== true) {
    if (o.chunkBytes !== undefined) throw badInput('--chunk-bytes needs --tree');
    return undefined;
  }
  if (o.chunkBytes === undefined) return {};
  const n = /^\d{1,9}$/.test(o.chunkBytes) ? Number(o.chunkBytes) : NaN;
  if (!(n >= 1 && n <= MAX_BACKEND_CHUNK_BYTES)) throw badInput(`--chunk-bytes expects an integer 1..${MAX_BACKEND_CHUNK_BYTES}, got ${JSON.stringify(o.chunkBytes)}`);
  return { chunkBytes: n };
}

/** Regions of 64 MiB or more get a progress bar (on a terminal). */
const BAR_BYTES = 64 * 1024 * 1024;

function backendOf(o: RegionsFlags, onProgress: (id: string, done: number, total: number) => void): AttestationBackend {
  if ((o.pid === undefined) === (o.file === undefined)) throw badInput('attest regions expects exactly one of --pid P or --file F');
  const tree = treeOf(o);
  if (o.file !== undefined) return new FileBackend(o.file, { onProgress, ...(tree ? { tree } : {}) });
  let pattern: RegExp | undefined;
  if (o.pathPattern !== undefined) {
    try {
      pattern = new RegExp(o.pathPattern);
    } catch {
      throw badInput(`--path-pattern is not a regular expression: ${JSON.stringify(o.pathPattern)}`);
    }
  }
  return new ProcessMemoryBackend({ pid: count('--pid', o.pid!, 1, 999_999), ...(pattern ? { pathPattern: pattern } : {}), onProgress, ...(tree ? { tree } : {}) });
}

/** Registers `attest` on `program`. */
export function registerAttest(program: Command): void {
  const attest = program.command('attest').description('memory attestation: regions and their hashes, report verification, the attestation service');
  attest
    .command('regions')
    .description("a process's memory regions (procfs) or weight files, with their SHA3-256 content hashes (tree roots with --tree)")
    .option('--pid <pid>', 'a live process (its readable private mappings, or those --path-pattern selects)')
    .option('--path-pattern <regex>', 'with --pid: only mappings backed by a file whose path matches')
    .option('--file <files...>', 'weight files')
    .option('--tree', 'tree-hash each region on the worker pool (hash_alg sha3-256-tree) instead of plain SHA3-256')
    .option('--chunk-bytes <n>', `with --tree: the chunk size (default 1 MiB, at most ${MAX_BACKEND_CHUNK_BYTES})`)
    .option('--no-progress', 'never draw a progress bar')
    .action(async (o: RegionsFlags) => {
      let bar: SingleBar | null = null;
      const onProgress = (_id: string, done: number, total: number): void => {
        if (bar === null) return;
        bar.update(Math.floor(done / 2 ** 20));
        if (done >= total) { bar.stop(); bar = null; }
      };
      const backend = backendOf(o, onProgress);
      try {
        for (const region of await backend.listRegions('cli')) {
          if (o.progress !== false && process.stderr.isTTY === true && region.size >= BAR_BYTES) {
            bar = new SingleBar({ format: `${region.region_id} [{bar}] {percentage}% {value}/{total} MiB`, stream: process.stderr }, Presets.shades_classic);
            bar.start(Math.ceil(region.size / 2 ** 20), 0);
          }
          const snap = await backend.snapshot(region);
          process.stdout.write(`${JSON.stringify({ ...region, content_hash: snap.content_hash, ...(snap.hash_alg ? { hash_alg: snap.hash_alg, chunk_bytes: snap.chunk_bytes } : {}), taken_at: snap.taken_at })}\n`);
        }
      } catch (e) {
        if (isQuorumkitError(e)) throw badInput(e.message);
        throw e;
      }
    });
  registerAttestVerify(attest);
  registerAttestServe(attest);
}
