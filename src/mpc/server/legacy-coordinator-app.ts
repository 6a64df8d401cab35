// The `--legacy` coordinator's HTTP API: QuorumVM's coordinator endpoints (quorumvm/coordinator/
// app.py) with their request and response shapes and status codes — POST /install, POST /approve,
// GET /status/{id}, POST /eval (404 unknown, 400 not active, 429 policy, 409 pool exhausted, 503
// fewer than K custodians), POST /replenish_beaver, GET /beaver_pool/{id}, GET /audit
// ({ entries, chain_valid }, timestamps as Python floats) — unsigned as QuorumVM's, with exact
// integer JSON and `{ detail }` error bodies (legacy-http.ts), plus GET /health and the
// transparency-log routes. Routes check the body, then call the service only.

import type { Hono } from 'hono';
import { createServiceApp, type LogSink, type ServiceEnv } from '../../http/app.js';
import { mountLogRoutes } from '../../http/log-routes.js';
import { auditResponseText } from '../audit-chain.js';
import { legacyJson, readElementMap, readLegacyBody, useLegacyErrors } from './legacy-http.js';
import { LEGACY_DEFAULT_POOL_SIZE, type LegacyCoordinatorService } from './legacy-coordinator-service.js';
import { legacySchemas } from './legacy-schemas.js';
import { MPC_MAX_BODY_BYTES } from './schemas.js';

const PROGRAM_ID_RE = /^[0-9a-f]{64}$/;
/** An id that is no program id is looked up as one that is never installed (404), never as arbitrary text. */
const programId = (id: string): string => (PROGRAM_ID_RE.test(id) ? id : '0'.repeat(64));

/** Builds the legacy coordinator app over its service. */
export function createLegacyCoordinatorApp(svc: LegacyCoordinatorService, options: { log?: LogSink } = {}): Hono<ServiceEnv> {
  const app = createServiceApp({ service: 'mpc-legacy-coordinator', maxBodyBytes: MPC_MAX_BODY_BYTES, log: options.log ?? (() => undefined) });
  useLegacyErrors(app);
  app.get('/health', (c) => c.json({ status: 'ok', mode: 'legacy', threshold: svc.threshold }));
  app.post('/install', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.coordinatorInstall);
    return legacyJson(c, await svc.install(b.program_package, { generateBeaver: b.generate_beaver ?? true, poolSize: b.beaver_pool_size ?? LEGACY_DEFAULT_POOL_SIZE }));
  });
  app.post('/approve', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.approve);
    return legacyJson(c, await svc.approve(b.program_id, b.custodian_index, b.signature));
  });
  app.get('/status/:id', (c) => legacyJson(c, svc.status(programId(c.req.param('id')))));
  app.post('/eval', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.eval);
    return legacyJson(c, await svc.eval(b.identity_id, b.program_id, readElementMap('inputs', b.inputs)));
  });
  app.post('/replenish_beaver', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.replenish);
    return legacyJson(c, await svc.replenish(b.program_id, b.pool_size ?? LEGACY_DEFAULT_POOL_SIZE));
  });
  app.get('/beaver_pool/:id', (c) => legacyJson(c, svc.beaverPool(programId(c.req.param('id')))));
  app.get('/audit', (c) => {
    const a = svc.audit();
    return c.body(auditResponseText(a.entries, a.chain_valid), 200, { 'content-type': 'application/json' });
  });
  mountLogRoutes(app, () => svc.auditLog());
  return app;
}
