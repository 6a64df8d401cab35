// The README's governance walkthrough, run as it stands: five `serve` processes, peers.json built
// from their URLs and key files, a proposal that waits for a human vote, the vote answered from the
// node's queue, the round passed with all five votes, and every node shut down with SIGTERM.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blocks, checkoutLike, runBlock, section } from './_checkout.js';

describe('README governance walkthrough', () => {
  it('runs as written: the proposal passes with five votes, eve\'s from her queue, and every node stops gracefully', async () => {
    const sh = blocks('sh', section('Governance nodes: persistence, HTTP API, CLI'));
    expect(sh).toHaveLength(1);
    const checkout = checkoutLike();
    try {
      const r = await runBlock(sh[0]!, checkout.dir, 180_000);
      const net = join(checkout.dir, 'tmp', 'net');
      const logs = ['alice', 'eve'].map((n) => (existsSync(join(net, `${n}.log`)) ? readFileSync(join(net, `${n}.log`), 'utf8') : '')).join('\n');
      expect(r.code, `${r.stdout}\n${r.stderr}\n${logs}`).toBe(0);
      expect(r.stdout).toContain('"decision":"passed"');
      const result = JSON.parse(readFileSync(join(net, 'result.json'), 'utf8'));
      expect(result).toMatchObject({ decision: 'passed', votes: 5, missing: [] });
      expect(result.result).toMatchObject({ approveWeight: 6, totalWeight: 6 });
      const peers = JSON.parse(readFileSync(join(net, 'peers.json'), 'utf8')).peers;
      expect(peers).toHaveLength(5);
      for (const p of peers) expect(p.did).toMatch(/^did:pqaid:[0-9a-f]{64}$/);
      for (const n of ['alice', 'bob', 'carol', 'dave', 'eve']) expect(readFileSync(join(net, `${n}.log`), 'utf8')).toMatch(/SIGTERM: shutting down/);
    } finally {
      checkout.remove();
    }
  }, 240_000);
});
