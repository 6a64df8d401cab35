// The legacy cluster as CLI processes (src/cli/mpc-cluster.ts with `legacy`, the launcher of the
// QuorumVM suite): three `mpc custodian --legacy` and one `mpc coordinator --legacy` listen on their
// ports and answer QuorumVM's unsigned routes; close() stops them all.
import { describe, expect, it } from 'vitest';
import { startProcessCluster } from '../../../src/cli/mpc-cluster.js';
import { callService } from '../../../src/http/client.js';
import { CLI } from '../../cli/_run.js';

describe('legacy services as processes', () => {
  it('start, answer unsigned QuorumVM routes, stop', async () => {
    const c = await startProcessCluster({ legacy: true, cli: CLI });
    try {
      expect(c.dealerUrl).toBeUndefined();
      expect([...c.procs.keys()].sort()).toEqual(['coordinator', 'custodian-0', 'custodian-1', 'custodian-2']);
      for (const u of c.custodianUrls) expect(await callService<{ status: string }>(u, '/health')).toMatchObject({ status: 'ok' });
      expect(await callService<{ entries: unknown[]; chain_valid: boolean }>(c.coordinatorUrl, '/audit')).toEqual({ entries: [], chain_valid: true });
    } finally {
      await c.close();
    }
    for (const p of c.procs.values()) expect(p.child.exitCode !== null || p.child.signalCode !== null).toBe(true);
  }, 60_000);
});
