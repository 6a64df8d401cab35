// The default-mode MPC flow over real HTTP on loopback: an owner installs (x + 7)² and a scoring
// model with three secret weights; K distinct custodian approvals activate them; evaluations with
// client-shared inputs and masked outputs give QuorumVM's answers; batches work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../_cluster.js';

const SAMPLE = 'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n';
const SCORING = 'input x1\ninput x2\ninput x3\nsecret w1\nsecret w2\nsecret w3\nconst b = 7\ndot s = x1 w1 x2 w2 x3 w3\nadd score = s b\noutput score\n';

describe('MPC flow (default mode)', () => {
  let cluster: Cluster;
  beforeAll(async () => { cluster = await startCluster(); });
  afterAll(async () => { await cluster.close(); });

  it('installs, activates and evaluates (x + 7)²: f(3) = 100, f(10) = 289, f(0) = 49', async () => {
    const client = await cluster.client();
    const { programId, status } = await client.install({ source: SAMPLE, policy: { budget_per_identity: 100, max_evals_per_minute: 100 } });
    expect(status).toBe('ACTIVE');
    const out = await client.eval(programId, [{ x: 3n }, { x: 10n }, { x: 0n }]);
    expect(out.map((o) => o['y'])).toEqual([100n, 289n, 49n]);
  });

  it('evaluates a scoring model whose weights only the custodians hold (as shares)', async () => {
    const client = await cluster.client();
    const { programId, extractionBound } = await client.install({ source: SCORING, secrets: { w1: 3n, w2: 5n, w3: 11n }, policy: { budget_per_identity: 3, max_evals_per_minute: 100 } });
    expect(extractionBound).toBe(4n);
    const [r] = await client.eval(programId, { x1: 1n, x2: 2n, x3: 4n });
    expect(r!['score']).toBe(3n + 10n + 44n + 7n);
  });
});
