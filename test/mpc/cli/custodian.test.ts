// `quorumkit mpc custodian --x`: the custodian's key card carries the abscissa given (default
// index + 1); a bad --x, or --x with --legacy, is exit 2 with one line; a data dir holding shares at
// another abscissa refuses to open (a custodian's x never changes).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callService } from '../../../src/http/client.js';
import { verifyKeyCard } from '../../../src/mpc/channel/key-card.js';
import { generateKemKeyPair } from '../../../src/mpc/channel/kem.js';
import { CustodianService } from '../../../src/mpc/server/custodian-service.js';
import { CustodianStore } from '../../../src/mpc/server/custodian-store.js';
import { Identity } from '../../../src/pq/identity.js';
import { CLI, runCli } from '../../cli/_run.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-mpc-custodian-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DID = 'did:pqaid:' + 'a'.repeat(64);

describe('quorumkit mpc custodian --x', () => {
  it.each([
    [['--x', '0'], /--x expects an integer 1\.\.999999/],
    [['--x', 'seven'], /--x expects an integer/],
    [['--x', '7', '--legacy'], /--x is not available with --legacy/],
  ])('%j is exit 2 with one line', (extra, pattern) => {
    const r = runCli(['mpc', 'custodian', '--index', '0', '--data-dir', join(dir, 'bad'), '--coordinator', DID, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });

  it('the key card carries the abscissa given', async () => {
    const child = spawn(process.execPath, [CLI, 'mpc', 'custodian', '--index', '3', '--x', '7', '--port', '0', '--data-dir', join(dir, 'c7'), '--coordinator', DID], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('\n')) resolve(out.split('\n')[0]!.trim()); });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const card = await verifyKeyCard(await callService(url, '/key_card'));
      expect([card.index, card.x]).toEqual([3, 7n]);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('a data dir with shares at one abscissa refuses to open at another', async () => {
    const d = join(dir, 'svc');
    const identity = await Identity.create('c', { level: 44 });
    const kem = await generateKemKeyPair();
    const trust = { coordinators: new Set<string>(), dealers: new Set<string>(), owners: new Set<string>() };
    const svc = await CustodianService.open({ dataDir: d, identity, kem, index: 0, trust });
    await svc.close();
    const s = CustodianStore.open(join(d, 'custodian.db')); // shares at x = 1, as an install writes them
    s.transaction(() => s.putProgram({ programId: 'ab'.repeat(32), packageJson: '{}', owner: DID }, '2026-12-01T00:00:00Z', { x: 1n, shares: new Uint8Array(16) }));
    await s.close();
    await expect(CustodianService.open({ dataDir: d, identity, kem, index: 0, x: 5n, trust })).rejects.toMatchObject({ code: 'ERR_CONFLICT' });
    const again = await CustodianService.open({ dataDir: d, identity, kem, index: 0, trust }); // x = 1: fine, and the data dir was released
    expect(again.x).toBe(1n);
    await again.close();
  });
});
