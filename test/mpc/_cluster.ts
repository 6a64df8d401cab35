// An MPC cluster for tests, every service on real HTTP over loopback in this process: N custodians,
// a dealer, a coordinator (data in :memory: unless a dir is given), and identities for an owner
// and callers. `addCustodian` starts one more (to rotate in). `close()` stops everything.
import { join } from 'node:path';
import { serveApp, type RunningServer } from '../../src/http/index.js';
import type { HttpTransport } from '../../src/http/client.js';
import { Identity } from '../../src/pq/identity.js';
import { generateKemKeyPair } from '../../src/mpc/channel/kem.js';
import { CustodianService } from '../../src/mpc/server/custodian-service.js';
import { createCustodianApp } from '../../src/mpc/server/custodian-app.js';
import { CoordinatorService } from '../../src/mpc/server/coordinator-service.js';
import { createCoordinatorApp } from '../../src/mpc/server/coordinator-app.js';
import { DealerService } from '../../src/mpc/server/dealer-service.js';
import { createDealerApp } from '../../src/mpc/server/dealer-app.js';
import { MpcClient } from '../../src/mpc/client/index.js';

export interface Cluster {
  readonly owner: Identity;
  readonly custodians: { svc: CustodianService; server: RunningServer }[];
  readonly coordinator: { svc: CoordinatorService; server: RunningServer; identity: Identity };
  readonly dealer: { svc: DealerService; server: RunningServer };
  client(signer?: Identity): Promise<MpcClient>;
  /** Starts another custodian (not in the coordinator's configuration) with the cluster's trust. */
  addCustodian(o: { index: number; x: bigint }): Promise<{ svc: CustodianService; server: RunningServer }>;
  /** Custodian `index`'s data dir (when the cluster was started with `dataDir`). */
  custodianDir(index: number): string;
  /** Stops the coordinator and opens it again on the same data dir and configuration (a new URL). */
  restartCoordinator(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a cluster of `n` custodians with threshold `k` (in memory, or under `dataDir`). `route` may
 * put something (a proxy) between the coordinator/dealer and a custodian: it maps custodian i's URL
 * to the URL they should use.
 */
export async function startCluster(opts: { n?: number; k?: number; callTimeoutMs?: number; dataDir?: string; route?: (index: number, url: string) => string; transport?: HttpTransport } = {}): Promise<Cluster> {
  const dirOf = (name: string): string => (opts.dataDir === undefined ? ':memory:' : join(opts.dataDir, name));
  const n = opts.n ?? 3;
  const k = opts.k ?? 2;
  const [owner, coordId, dealerId] = await Promise.all([Identity.create('owner'), Identity.create('coordinator'), Identity.create('dealer')]);
  const trust = { coordinators: new Set([coordId.did]), dealers: new Set([dealerId.did]), owners: new Set([owner.did]) };
  const custodians: { svc: CustodianService; server: RunningServer }[] = [];
  for (let i = 0; i < n; i++) {
    const svc = await CustodianService.open({ dataDir: dirOf(`custodian-${i}`), identity: await Identity.create(`custodian-${i}`), kem: await generateKemKeyPair(), index: i, trust });
    custodians.push({ svc, server: await serveApp(createCustodianApp(svc)) });
  }
  const endpoints = custodians.map((c, i) => ({ url: opts.route ? opts.route(i, c.server.url) : c.server.url }));
  const dsvc = await DealerService.open({ dataDir: dirOf('dealer'), identity: dealerId, custodians: endpoints, threshold: k, coordinators: new Set([coordId.did]) });
  const dealer = { svc: dsvc, server: await serveApp(createDealerApp(dsvc)) };
  const openCoordinator = () => CoordinatorService.open({
    dataDir: dirOf('coordinator'), identity: coordId, custodians: endpoints, threshold: k, dealer: { url: dealer.server.url, did: dealerId.did }, owners: new Set([owner.did]),
    ...(opts.callTimeoutMs ? { callTimeoutMs: opts.callTimeoutMs } : {}),
    ...(opts.transport ? { transport: opts.transport } : {}),
  });
  const csvc = await openCoordinator();
  let coordinator = { svc: csvc, server: await serveApp(createCoordinatorApp(csvc)), identity: coordId };
  return {
    owner, custodians, dealer,
    get coordinator() { return coordinator; },
    async restartCoordinator() {
      await coordinator.server.close();
      await coordinator.svc.close();
      const svc = await openCoordinator();
      coordinator = { svc, server: await serveApp(createCoordinatorApp(svc)), identity: coordId };
    },
    client: (signer = owner) => MpcClient.connect({ coordinatorUrl: coordinator.server.url, signer, trustedCustodians: custodians.map((c) => c.svc.did) }),
    async addCustodian({ index, x }) {
      const svc = await CustodianService.open({ dataDir: dirOf(`custodian-${index}`), identity: await Identity.create(`custodian-${index}`), kem: await generateKemKeyPair(), index, x, trust });
      const added = { svc, server: await serveApp(createCustodianApp(svc)) };
      custodians.push(added);
      return added;
    },
    custodianDir: (index) => dirOf(`custodian-${index}`),
    async close() {
      await coordinator.server.close();
      await coordinator.svc.close();
      await dealer.server.close();
      await dealer.svc.close();
      for (const c of custodians) {
        await c.server.close();
        await c.svc.close();
      }
    },
  };
}
