// The Node backends against real memory and files: ProcessMemoryBackend reads a live child
// process's buffer through /proc/<pid>/mem (the child, a Python process, prints its buffer's
// address), catches a byte the child changes, and refuses a vanished process or an unmapped range
// with BackendError; parseProcMaps reads proc(5) lines; FileBackend hashes weight files in chunks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashBytes, memoryRegion, AttestationVerifier, Attester, ContinuousAttester } from '../../src/attestation/index.js';
import { FileBackend, ProcessMemoryBackend, parseProcMaps } from '../../src/attestation/node/index.js';
import { Identity } from '../../src/pq/identity.js';

const SIZE = 3 * 1024 * 1024 + 17; // more than one 4 MiB read would be fine too; not a multiple of anything
const CHILD = `
import ctypes, sys
n = ${SIZE}
buf = ctypes.create_string_buffer(bytes((i * 7 + 3) % 251 for i in range(n)), n)
print(ctypes.addressof(buf), flush=True)
for line in sys.stdin:
    buf[int(line)] = b'\\xff'
    print('ok', flush=True)
`;
const pattern = Uint8Array.from({ length: SIZE }, (_, i) => (i * 7 + 3) % 251);

describe('ProcessMemoryBackend', () => {
  let child: ChildProcess;
  let address: number;
  const lines: string[] = [];
  let waiter: ((l: string) => void) | undefined;
  const nextLine = () => new Promise<string>((r) => { if (lines.length) r(lines.shift()!); else waiter = r; });
  beforeAll(async () => {
    child = spawn('python3', ['-c', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const l = out.slice(0, nl); out = out.slice(nl + 1);
        if (waiter) { const w = waiter; waiter = undefined; w(l); } else lines.push(l);
      }
    });
    address = Number(await nextLine());
  });
  afterAll(() => { child.kill('SIGKILL'); });

  it("reads the child's buffer through /proc/<pid>/mem, and sees a byte it changes", async () => {
    const b = new ProcessMemoryBackend({ pid: child.pid! });
    const region = memoryRegion({ region_id: 'weights', address, size: SIZE });
    let progress = 0;
    const withProgress = new ProcessMemoryBackend({ pid: child.pid!, onProgress: (_id, done, total) => { progress = done / total; } });
    expect(withProgress.snapshot(region).content_hash).toBe(hashBytes(pattern));
    expect(progress).toBe(1);
    // the buffer lies inside one of the listed mappings
    const mapping = b.mappings().find((m) => m.start <= address && address + SIZE <= m.end);
    expect(mapping?.perms[0]).toBe('r');
    expect(b.listRegions('w').some((r) => r.address === mapping!.start)).toBe(true);
    // drift: the child rewrites one byte; the attested report shows it
    const loop = new ContinuousAttester({ attester: new Attester(await Identity.create('a', { level: 44 })), backend: { name: b.name, platform: b.platform, listRegions: () => [region], snapshot: (r) => b.snapshot(r) }, workloadId: 'w', expectedHashes: { weights: hashBytes(pattern) } });
    expect((await AttestationVerifier.verify(await loop.attestOnce())).valid).toBe(true);
    child.stdin!.write('12345\n');
    expect(await nextLine()).toBe('ok');
    const changed = pattern.slice(); changed[12345] = 0xff;
    expect(b.snapshot(region).content_hash).toBe(hashBytes(changed));
    expect(await AttestationVerifier.verify(await loop.attestOnce())).toMatchObject({ valid: false, drifts: ['weights'] });
  });

  it('an unmapped range and a vanished process are BackendError', async () => {
    const b = new ProcessMemoryBackend({ pid: child.pid! });
    expect(() => b.snapshot(memoryRegion({ region_id: 'nothing', address: 4096, size: 4096 }))).toThrow(expect.objectContaining({ code: 'ERR_ATTESTATION_BACKEND' }));
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    const dead = new ProcessMemoryBackend({ pid: gone.pid! });
    expect(() => dead.mappings()).toThrow(/is gone/);
    expect(() => dead.snapshot(memoryRegion({ region_id: 'x', address: 4096, size: 1 }))).toThrow(/is gone/);
    expect(() => new ProcessMemoryBackend({ pid: 0 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_REGION' }));
  });
});

describe('parseProcMaps', () => {
  it('reads proc(5) lines, skipping what does not parse and addresses beyond 2^53', () => {
    const text = [
      '55d0c0a00000-55d0c0a21000 r--p 00000000 fd:01 1234   /usr/bin/python3.11',
      '7f1e2c000000-7f1e2c021000 rw-p 00000000 00:00 0 ',
      '7ffd5a3b1000-7ffd5a3d2000 rw-p 00000000 00:00 0                          [stack]',
      'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]',
      'garbage line',
      '',
    ].join('\n');
    expect(parseProcMaps(text)).toEqual([
      { start: 0x55d0c0a00000, end: 0x55d0c0a21000, perms: 'r--p', offset: 0, path: '/usr/bin/python3.11' },
      { start: 0x7f1e2c000000, end: 0x7f1e2c021000, perms: 'rw-p', offset: 0, path: '' },
      { start: 0x7ffd5a3b1000, end: 0x7ffd5a3d2000, perms: 'rw-p', offset: 0, path: '[stack]' },
    ]);
  });
});

describe('FileBackend', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qk-file-backend-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('hashes weight files; a missing file or a directory is BackendError', () => {
    const big = Uint8Array.from({ length: 5 * 1024 * 1024 + 3 }, (_, i) => i & 0xff);
    writeFileSync(join(dir, 'shard-0.bin'), big);
    writeFileSync(join(dir, 'empty.bin'), new Uint8Array(0));
    const b = new FileBackend([join(dir, 'shard-0.bin'), join(dir, 'empty.bin')]);
    const regions = b.listRegions('m');
    expect(regions.map((r) => [r.region_id, r.size])).toEqual([['shard-0.bin', big.length], ['empty.bin', 0]]);
    expect(b.snapshot(regions[0]!).content_hash).toBe(hashBytes(big));
    expect(b.snapshot(regions[1]!).content_hash).toBe(hashBytes(new Uint8Array(0)));
    expect(() => new FileBackend({ w: join(dir, 'missing.bin') }).listRegions('m')).toThrow(/cannot open/);
    mkdirSync(join(dir, 'sub'));
    expect(() => new FileBackend({ w: join(dir, 'sub') }).listRegions('m')).toThrow(/not a regular file/);
    expect(() => b.snapshot(memoryRegion({ region_id: 'other', address: 0, size: 1 }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_REGION' }));
    expect(() => new FileBackend([])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_REGION' }));
  });
});
