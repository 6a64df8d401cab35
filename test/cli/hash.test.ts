import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { treeHashRegionSync } from '../../src/hash/index.js';
import { runCli } from './_run.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-cli-hash-'));
const small = join(dir, 'small.bin');
const medium = join(dir, 'medium.bin');
const smallBytes = new TextEncoder().encode('abc');
const mediumBytes = randomBytes(3 * 1024 * 1024 + 17);
writeFileSync(small, smallBytes);
writeFileSync(medium, mediumBytes);

describe('quorumkit hash', () => {
  it('prints the plain SHA3-256 of each file, one JSON line per file', () => {
    const r = runCli(['hash', small, medium]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ file: small, bytes: 3, alg: 'sha3-256', digest: createHash('sha3-256').update(smallBytes).digest('hex') });
    expect(lines[1]).toMatchObject({ file: medium, bytes: mediumBytes.length, digest: createHash('sha3-256').update(mediumBytes).digest('hex') });
  });

  it('prints the tree root with the chunk size and leaf count (--tree)', () => {
    const r = runCli(['hash', '--tree', '--chunk-bytes', '65536', medium]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ alg: 'sha3-256-tree', chunkBytes: 65536, leaves: 49, root: toHex(treeHashRegionSync(mediumBytes, { chunkBytes: 65536 })) });
  });

  it('bad input: exit 2 with one line', () => {
    for (const [args, re] of [
      [['hash', join(dir, 'missing.bin')], /file not found/],
      [['hash', dir], /not a regular file/],
      [['hash', '--tree', '--chunk-bytes', '0', small], /--chunk-bytes/],
      [['hash', '--tree', '--chunk-bytes', 'lots', small], /--chunk-bytes/],
      [['hash'], /missing required argument/],
    ] as const) {
      const r = runCli([...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
      expect(r.stdout).toBe('');
    }
  });
});
