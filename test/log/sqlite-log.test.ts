import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import { TransparencyLog } from '../../src/log/sqlite-log.js';
import { leafHash, MemoryTree, treeHash, verifyCheckpoint, verifyConsistency, verifyInclusion } from '../../src/log/verifier.js';
import { Identity } from '../../src/pq/identity.js';
import { entries, naiveMth } from './_naive.js';
import { runUntilKilled } from '../_kill-writer.js';

let dir: string;
let signer: Identity;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qk-log-'));
  signer = await Identity.create('log-signer', { level: 44 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('TransparencyLog (node:sqlite)', () => {
  it('appends and answers roots and proofs that match the RFC definition', () => {
    const log = TransparencyLog.open(':memory:', { origin: 'test/a' });
    const data = entries(45);
    expect(log.size).toBe(0);
    expect(hex(log.rootHash())).toBe(hex(naiveMth([])));
    expect(log.append(data[0]!)).toBe(0);
    expect(log.appendMany(data.slice(1, 20))).toBe(1);
    for (const d of data.slice(20)) log.append(d);
    expect(log.size).toBe(45);
    for (let n = 0; n <= 45; n++) expect(hex(log.rootHash(n))).toBe(hex(naiveMth(data.slice(0, n))));
    const root = log.rootHash();
    for (let i = 0; i < 45; i++) {
      expect(log.entry(i)).toEqual(data[i]);
      expect(verifyInclusion(leafHash(data[i]!), i, 45, log.inclusionProof(i), root)).toBe(true);
    }
    for (const m of [1, 7, 8, 16, 31, 44]) {
      expect(verifyConsistency(m, 45, log.rootHash(m), root, log.consistencyProof(m))).toBe(true);
    }
    log.close();
  });

  it('reopens from disk with the same state and keeps appending consistently', () => {
    const path = join(dir, 'reopen.db');
    const data = entries(37, 'r');
    const a = TransparencyLog.open(path, { origin: 'test/reopen' });
    a.appendMany(data.slice(0, 13));
    const root13 = a.rootHash();
    a.close();
    const b = TransparencyLog.open(path, { origin: 'test/reopen' });
    expect(b.size).toBe(13);
    expect(hex(b.rootHash())).toBe(hex(root13));
    b.appendMany(data.slice(13));
    expect(hex(b.rootHash())).toBe(hex(naiveMth(data)));
    expect(verifyConsistency(13, 37, root13, b.rootHash(), b.consistencyProof(13))).toBe(true);
    b.close();
  });

  it('bad input changes nothing and gets a typed error', () => {
    const log = TransparencyLog.open(':memory:', { origin: 'test/bad' });
    log.append(new Uint8Array([1]));
    const root = hex(log.rootHash());
    expect(() => log.appendMany([new Uint8Array([2]), 'x' as unknown as Uint8Array])).toThrow(TypeError);
    expect(() => log.appendMany([])).toThrow(RangeError);
    expect(() => log.append(new Uint8Array(16 * 1024 * 1024 + 1))).toThrow(RangeError);
    expect(log.size).toBe(1);
    expect(hex(log.rootHash())).toBe(root);
    expect(() => log.entry(1)).toThrow(RangeError);
    expect(() => log.inclusionProof(0, 2)).toThrow(RangeError);
    expect(() => log.rootHash(-1)).toThrow(RangeError);
    expect(() => TransparencyLog.open(':memory:', { origin: 'has space' })).toThrow(RangeError);
    log.close();
    const path = join(dir, 'origin.db');
    TransparencyLog.open(path, { origin: 'one' }).close();
    expect(() => TransparencyLog.open(path, { origin: 'two' })).toThrow(expect.objectContaining({ code: 'ERR_IO' }));
    let err: unknown;
    try {
      TransparencyLog.open(join(dir, 'no', 'such', 'dir.db'), { origin: 'x' });
    } catch (e) {
      err = e;
    }
    expect(isQuorumkitError(err, 'ERR_IO')).toBe(true);
  });

  it('signs checkpoints that verify offline and bind origin, size and root', async () => {
    const log = TransparencyLog.open(':memory:', { origin: 'test/cp', clock: fixedClock('2026-11-25T12:00:00Z') });
    log.appendMany(entries(10));
    const env = await log.checkpoint([signer]);
    expect(log.latestCheckpoint()).toEqual(env);
    const v = await verifyCheckpoint(env, { trusted: [signer.did], origin: 'test/cp' });
    expect(v.reasons).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.checkpoint).toEqual({ origin: 'test/cp', treeSize: 10, rootHash: hex(log.rootHash()), timestamp: '2026-11-25T12:00:00Z' });
    expect(hex(v.root!)).toBe(hex(treeHash(mem(entries(10)), 10)));
    expect((await verifyCheckpoint(env, { trusted: [signer.did], origin: 'other' })).valid).toBe(false);
    expect((await verifyCheckpoint(env, { trusted: ['did:pqaid:' + '0'.repeat(64)] })).valid).toBe(false);
    const body = JSON.parse(Buffer.from(env.payload, 'base64').toString());
    const forged = { ...env, payload: Buffer.from(JSON.stringify({ ...body, treeSize: 11 })).toString('base64') };
    expect((await verifyCheckpoint(forged)).valid).toBe(false);
    expect((await verifyCheckpoint({ nope: 1 })).valid).toBe(false);
    log.close();
  });

  it('loses no acknowledged append when the writer is killed with SIGKILL, and stays verifiable', async () => {
    const path = join(dir, 'crash.db');
    const writer = fileURLToPath(new URL('./_crash-writer.ts', import.meta.url));
    const acked = Math.max(...(await runUntilKilled(writer, [path], 300)).map(Number));
    expect(acked).toBeGreaterThanOrEqual(300);
    const log = TransparencyLog.open(path, { origin: 'crash-test' });
    expect(log.size).toBeGreaterThan(acked);
    const all = Array.from({ length: log.size }, (_, i) => log.entry(i));
    expect(hex(log.rootHash())).toBe(hex(treeHash(mem(all), all.length)));
    for (const i of [0, 1, acked >> 1, acked]) {
      expect(verifyInclusion(leafHash(all[i]!), i, log.size, log.inclusionProof(i), log.rootHash())).toBe(true);
    }
    const before = log.size;
    log.append(new TextEncoder().encode('after-crash'));
    expect(verifyConsistency(before, before + 1, treeHash(mem(all), before), log.rootHash(), log.consistencyProof(before))).toBe(true);
    log.close();
  });
});

function mem(data: Uint8Array[]): MemoryTree {
  const t = new MemoryTree();
  for (const d of data) t.push(leafHash(d));
  return t;
}
