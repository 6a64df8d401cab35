// The coordinator's HTTP API (default mode), QuorumVM's endpoints and status codes: POST /install
// (an owner), POST /approve (anyone may relay a custodian's signed approval), GET /status/{id},
// POST /eval (any signed caller; its did is the policy identity) — 404 unknown, 400 not active,
// 429 policy, 409 pool exhausted, 503 fewer than K custodians, 502 inconsistent shares —,
// POST /replenish_beaver, GET /beaver_pool/{id}, GET /audit ({ entries, chain_valid }, timestamps
// as Python floats), POST /reshare and POST /rotate (the owners'), plus GET /custodians (the custodians' signed key cards) and GET /programs/{id}
// (the public package) for clients, and the transparency-log routes. Routes call the service only.

import type { Hono } from 'hono';
import { createServiceApp, readJsonBody, requireSignedRequest, type LogSink, type ServiceEnv } from '../../http/app.js';
import { mountLogRoutes } from '../../http/log-routes.js';
import { auditResponseText } from '../audit-chain.js';
import { checkBase64 } from '../wire.js';
import type { CoordinatorService } from './coordinator-service.js';
import { mpcSchemas, MPC_MAX_BODY_BYTES } from './schemas.js';
import { reshareSchemas } from './reshare-schemas.js';

const PROGRAM_ID_RE = /^[0-9a-f]{64}$/;

/** Builds the coordinator app over its service. */
export function createCoordinatorApp(svc: CoordinatorService, options: { log?: LogSink } = {}): Hono<ServiceEnv> {
  const app = createServiceApp({ service: 'mpc-coordinator', maxBodyBytes: MPC_MAX_BODY_BYTES, log: options.log ?? (() => undefined) });
  // Checked on the event loop (an evaluation is one small signed request; the worker's thread hops
  // cost more than the check). /eval's nonce is written lazily, in the evaluation's own commit.
  const signed = requireSignedRequest({ nonces: svc.replayGuard, audience: svc.did, verify: 'inline' });
  const evalSigned = requireSignedRequest({ nonces: svc.evalReplayGuard, audience: svc.did, verify: 'inline' });
  const owner = requireSignedRequest({ nonces: svc.replayGuard, audience: svc.did, isAllowed: (did) => svc.mayInstall(did) });
  const programId = (id: string): string => {
    if (!PROGRAM_ID_RE.test(id)) return '0'.repeat(64); // unknown → 404 below, never a lookup of arbitrary text
    return id;
  };
  app.get('/health', (c) => c.json({ status: 'ok', did: svc.did, threshold: svc.threshold }));
  app.get('/custodians', async (c) => c.json(await svc.custodians()));
  app.get('/programs/:id', (c) => c.body(svc.programText(programId(c.req.param('id'))), 200, { 'content-type': 'application/json' }));
  app.post('/install', owner, async (c) => {
    const b = await readJsonBody(c, mpcSchemas.coordinatorInstall, { bigints: true });
    const pool = b.generate_beaver === false ? 0 : b.beaver_pool_size;
    return c.json(await svc.install(c.get('caller')!, b.program_package, { ...(pool === undefined ? {} : { beaverPoolSize: pool }), ...(b.allow_extraction ? { allowExtraction: true } : {}) }));
  });
  app.post('/approve', signed, async (c) => {
    const b = await readJsonBody(c, mpcSchemas.approve);
    return c.json(await svc.approve(b.program_id, b.custodian_index, b.signature));
  });
  app.get('/status/:id', (c) => c.json(svc.status(programId(c.req.param('id')))));
  app.post('/eval', evalSigned, async (c) => {
    const b = await readJsonBody(c, mpcSchemas.eval);
    const boxes = new Map(Object.entries(b.inputs).map(([i, box]) => [Number(i), checkBase64(`inputs.${i}`, box)] as const));
    return c.json(await svc.eval(c.get('caller')!, { programId: b.program_id, requestId: b.request_id, batch: b.batch, boxes }));
  });
  app.post('/replenish_beaver', owner, async (c) => {
    const b = await readJsonBody(c, mpcSchemas.replenish);
    return c.json(await svc.replenish(b.program_id, b.pool_size ?? 5));
  });
  app.get('/beaver_pool/:id', (c) => c.json(svc.beaverPool(programId(c.req.param('id')))));
  app.post('/reshare', owner, async (c) => c.json(await svc.reshare((await readJsonBody(c, reshareSchemas.reshare)).program_id)));
  app.post('/rotate', owner, async (c) => {
    const b = await readJsonBody(c, reshareSchemas.rotate);
    return c.json(await svc.rotate(b.program_id, { retire: b.retire_indices, onboardUrls: b.onboard_urls, ...(b.onboard_x_coords ? { onboardXs: b.onboard_x_coords } : {}), ...(b.authorization === undefined ? {} : { authorization: b.authorization }) }));
  });
  app.get('/audit', (c) => {
    const a = svc.audit();
    return c.body(auditResponseText(a.entries, a.chain_valid), 200, { 'content-type': 'application/json' });
  });
  mountLogRoutes(app, () => svc.auditLog());
  return app;
}
