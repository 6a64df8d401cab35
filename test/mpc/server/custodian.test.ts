// The custodian's own guarantees, called directly as the coordinator would: a triple range is used
// at most once — a second use or an overlapping range is refused with 409 also after a restart on
// the same data dir —; only the configured roles may call (401 unsigned, 403 another role); a box
// sealed for another custodian or purpose is refused; a refusal changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Encode } from '../../../src/core/bytes.js';
import { canonicalizePython } from '../../../src/core/canonical-python.js';
import { packElements } from '../../../src/field/index.js';
import { callService, serveApp, ServiceCallError, type RunningServer } from '../../../src/http/index.js';
import { Identity } from '../../../src/pq/identity.js';
import { boxAad } from '../../../src/mpc/channel/aad.js';
import { generateKemKeyPair } from '../../../src/mpc/channel/kem.js';
import { seal } from '../../../src/mpc/channel/seal.js';
import { buildPackage, compileDsl, packageToJson } from '../../../src/mpc/compiler.js';
import { shareAt } from '../../../src/mpc/client/share.js';
import { CustodianService, DealerService, createCustodianApp, createDealerApp } from '../../../src/mpc/server/index.js';

const SAMPLE = 'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n';

describe('custodian: triples used once, roles enforced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qk-custodian-'));
  let owner: Identity, coordinator: Identity, dealerId: Identity, custodianId: Identity;
  let kem: Awaited<ReturnType<typeof generateKemKeyPair>>;
  let svc: CustodianService;
  let server: RunningServer;
  let dealer: DealerService;
  let dealerServer: RunningServer;
  const pkg = buildPackage(compileDsl(SAMPLE));
  let lotId = '';

  async function open(): Promise<void> {
    svc = await CustodianService.open({ dataDir: join(dir, 'c0'), identity: custodianId, kem, index: 0, trust: { coordinators: new Set([coordinator.did]), dealers: new Set([dealerId.did]), owners: new Set([owner.did]) } });
    server = await serveApp(createCustodianApp(svc), { port: server?.port ?? 0 });
  }

  beforeAll(async () => {
    const ids = await Promise.all(['owner', 'coord', 'dealer', 'c0'].map((n) => Identity.create(n)));
    [owner, coordinator, dealerId, custodianId] = [ids[0]!, ids[1]!, ids[2]!, ids[3]!];
    kem = await generateKemKeyPair();
    await open();
    dealer = await DealerService.open({ dataDir: ':memory:', identity: dealerId, custodians: [{ url: server.url }], threshold: 1, coordinators: new Set([coordinator.did]) });
    dealerServer = await serveApp(createDealerApp(dealer));
    await callService(server.url, '/install', { bodyText: canonicalizePython({ program_package: packageToJson(pkg) }), signer: owner, audience: svc.did });
    await callService(server.url, '/approve', { body: { program_id: pkg.programId }, signer: owner, audience: svc.did });
    lotId = (await callService<{ lot_id: string }>(dealerServer.url, '/deal', { body: { program_id: pkg.programId, count: 10 }, signer: coordinator, audience: dealerId.did })).lot_id;
  });
  afterAll(async () => {
    await dealerServer.close(); await dealer.close(); await server.close(); await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function evalBody(requestId: string, offset: number, count = 1, recipient = svc.did): Promise<Record<string, unknown>> {
    const [shares] = shareAt(packElements([3n, 0n]), 1, [1n]);
    const box = await seal(kem.publicKey, shares!, boxAad('eval-input', pkg.programId, recipient, requestId, '1'));
    return { program_id: pkg.programId, request_id: requestId, batch: 1, inputs: base64Encode(box), triples: [{ lot_id: lotId, offset, count }] };
  }
  // After the restart on the same port, fetch may first try a kept-alive socket of the closed server
  // (ERR_IO "fetch failed", nothing reached the custodian): that one attempt is retried.
  const call = async (path: string, body: unknown, signer: Identity | null = coordinator): Promise<number> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await callService(server.url, path, signer ? { body, signer, audience: svc.did } : { body });
        return 200;
      } catch (e) {
        if ((e as ServiceCallError).code === 'ERR_IO' && attempt === 0) continue;
        return (e as ServiceCallError).status;
      }
    }
  };

  it('a range is used once; the same or an overlapping range is refused (409), also after a restart', async () => {
    expect(await call('/eval_beaver', await evalBody('request-0001', 0))).toBe(200);
    expect(await call('/eval_beaver', await evalBody('request-0002', 0))).toBe(409);
    expect(await call('/eval_beaver', await evalBody('request-0003', 1))).toBe(200);
    expect((await callService<{ triples_unused: number }>(server.url, `/beaver_pool/${pkg.programId}`)).triples_unused).toBe(8);
    await server.close();
    await svc.close();
    await open();
    expect(await call('/eval_beaver', await evalBody('request-0004', 1))).toBe(409);
    expect(await call('/eval_beaver', await evalBody('request-0005', 0, 2))).toBe(400); // 2 triples for a batch of 1
    expect(await call('/eval_beaver', await evalBody('request-0006', 2))).toBe(200);
    expect((await callService<{ triples_unused: number }>(server.url, `/beaver_pool/${pkg.programId}`)).triples_unused).toBe(7);
  });

  it('401 unsigned, 403 for another role, 400 for a box sealed to another custodian; nothing consumed', async () => {
    const unused = (await callService<{ triples_unused: number }>(server.url, `/beaver_pool/${pkg.programId}`)).triples_unused;
    expect(await call('/eval_beaver', await evalBody('request-0007', 5), null)).toBe(401);
    expect(await call('/eval_beaver', await evalBody('request-0008', 5), owner)).toBe(403);
    expect(await call('/install_beaver', { program_id: pkg.programId, lot_id: 'ab'.repeat(16), count: 1, box: '' }, coordinator)).toBe(403);
    expect(await call('/eval_beaver', await evalBody('request-0009', 5, 1, 'did:pqaid:another'))).toBe(400);
    expect((await callService<{ triples_unused: number }>(server.url, `/beaver_pool/${pkg.programId}`)).triples_unused).toBe(unused);
    expect(await call('/eval_beaver', await evalBody('request-0010', 5))).toBe(200); // the range was never taken
  });
});
