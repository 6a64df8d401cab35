// `quorumkit attest regions`: a weight file's SHA3-256, a live child process's mappings (each a JSON
// line with its content hash, the child's executable among them), and bad input — no source, both
// sources, a bad pid, a vanished process, a bad pattern, a bad --chunk-bytes — as exit 2 with one
// line; --tree gives the tree snapshot's root.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStrict } from '../../src/core/parse-strict.js';
import { hashBytes, treeSnapshotOf } from '../../src/attestation/index.js';
import { runCli } from '../cli/_run.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-attest-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quorumkit attest regions', () => {
  it('hashes a weight file', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => i % 253);
    writeFileSync(join(dir, 'shard.bin'), bytes);
    const r = runCli(['attest', 'regions', '--file', join(dir, 'shard.bin')]);
    expect(r.code, r.stderr).toBe(0);
    expect(parseStrict(r.stdout.trim())).toMatchObject({ region_id: 'shard.bin', size: 70_000, content_hash: hashBytes(bytes), protection: 'RO' });
  });

  it('tree-hashes a weight file with --tree --chunk-bytes', async () => {
    const bytes = Uint8Array.from({ length: 300_001 }, (_, i) => i % 251);
    writeFileSync(join(dir, 'tree.bin'), bytes);
    const r = runCli(['attest', 'regions', '--file', join(dir, 'tree.bin'), '--tree', '--chunk-bytes', '65536']);
    expect(r.code, r.stderr).toBe(0);
    const want = await treeSnapshotOf('tree.bin', bytes, { chunkBytes: 65536 });
    expect(parseStrict(r.stdout.trim())).toMatchObject({ region_id: 'tree.bin', size: 300_001, content_hash: want.content_hash, hash_alg: 'sha3-256-tree', chunk_bytes: 65536 });
  });

  it("lists a live process's mappings with their hashes", async () => {
    const child = spawn('sleep', ['30']);
    try {
      await new Promise((r) => setTimeout(r, 100));
      const r = runCli(['attest', 'regions', '--pid', String(child.pid), '--path-pattern', 'sleep$']);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n').map((l) => parseStrict(l) as { region_id: string; content_hash: string });
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) { expect(l.region_id).toMatch(/sleep@0x/); expect(l.content_hash).toMatch(/^[0-9a-f]{64}$/); }
      const all = runCli(['attest', 'regions', '--pid', String(child.pid)]);
      expect(all.code, all.stderr).toBe(0);
      expect(all.stdout.trim().split('\n').length).toBeGreaterThan(lines.length);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it.each([
    [[], /exactly one of --pid P or --file F/],
    [['--pid', '1', '--file', 'x'], /exactly one of/],
    [['--pid', 'abc'], /--pid expects an integer/],
    [['--pid', '999999'], /is gone/],
    [['--pid', '1', '--path-pattern', '('], /not a regular expression/],
    [['--file', '/nonexistent/weights.bin'], /cannot open/],
    [['--file', 'x', '--chunk-bytes', '4096'], /--chunk-bytes needs --tree/],
    [['--file', 'x', '--tree', '--chunk-bytes', '0'], /--chunk-bytes expects an integer/],
    [['--file', 'x', '--tree', '--chunk-bytes', '67108865'], /--chunk-bytes expects an integer/],
  ])('%j is exit 2 with one line', (args, pattern) => {
    const r = runCli(['attest', 'regions', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });
});
