// Fixtures for governance-server tests: five ML-DSA-44 identities (weights 1/1/1/2/1), a genesis
// file, vote policies, and in-process nodes served over real HTTP on loopback (ephemeral ports).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64Encode } from '../../src/core/bytes.js';
import { serveApp, type RunningServer } from '../../src/http/index.js';
import { Identity } from '../../src/pq/identity.js';
import { createGenesis, createGovernanceApp, GovernanceService, VotePolicy, type GenesisFile } from '../../src/governance/server/index.js';

export const NAMES = ['alice', 'bob', 'carol', 'dave', 'eve'] as const;
export const WEIGHTS = [1, 1, 1, 2, 1] as const;

/** Approves every authorize-* proposal, queues everything else. */
export const APPROVE_AUTHORIZE = VotePolicy.parse({
  type: 'quorumkit-vote-policy',
  version: 1,
  default: 'queue',
  rules: [{ kind: ['authorize-model', 'authorize-agent', 'add-node', 'emergency-freeze', 'update-policy'], subject: '*', decision: 'approve', rationale: 'test policy' }],
});

export interface Net {
  readonly ids: Identity[];
  readonly genesis: GenesisFile;
}

export async function makeNet(): Promise<Net> {
  const ids = await Promise.all(NAMES.map((n) => Identity.create(n, { level: 44 })));
  const genesis = createGenesis(ids.map((id, i) => ({ did: id.did, name: id.name, weight: WEIGHTS[i]!, publicKey: base64Encode(id.publicKey) })));
  return { ids, genesis };
}

export interface RunningNode {
  readonly svc: GovernanceService;
  readonly server: RunningServer;
  readonly url: string;
  readonly logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startNode(net: Net, i: number, opts: { dataDir?: string; votePolicy?: VotePolicy; maxBodyBytes?: number } = {}): Promise<RunningNode> {
  const svc = await GovernanceService.open({
    identity: net.ids[i]!,
    dataDir: opts.dataDir ?? ':memory:',
    genesis: net.genesis,
    ...(opts.votePolicy === undefined ? { votePolicy: APPROVE_AUTHORIZE } : { votePolicy: opts.votePolicy }),
  });
  const logs: Record<string, unknown>[] = [];
  const server = await serveApp(createGovernanceApp(svc, { log: (e) => logs.push(e), ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}) }));
  return {
    svc,
    server,
    url: server.url,
    logs,
    stop: async () => {
      await server.close(500);
      svc.close();
    },
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `qk-gov-${prefix}-`));
}
