// The dealer's HTTP API: POST /deal (a configured coordinator, signed for the dealer's did) deals and
// delivers one lot of triples (to the configured custodians, or to the set named after a rotation); GET /health; the transparency-log routes. Routes call the service only.

import type { Hono } from 'hono';
import { createServiceApp, readJsonBody, requireSignedRequest, type LogSink, type ServiceEnv } from '../../http/app.js';
import { mountLogRoutes } from '../../http/log-routes.js';
import type { DealerService } from './dealer-service.js';
import { reshareSchemas } from './reshare-schemas.js';

/** Builds the dealer app over its service. */
export function createDealerApp(svc: DealerService, options: { log?: LogSink } = {}): Hono<ServiceEnv> {
  const app = createServiceApp({ service: 'mpc-dealer', log: options.log ?? (() => undefined) });
  const coordinator = requireSignedRequest({ nonces: svc.replayGuard, audience: svc.did, isAllowed: (did) => svc.mayRequest(did) });
  app.get('/health', (c) => c.json(svc.health()));
  app.post('/deal', coordinator, async (c) => {
    const b = await readJsonBody(c, reshareSchemas.deal);
    return c.json(await svc.deal(b.program_id, b.count, b.custodians));
  });
  mountLogRoutes(app, () => svc.auditLog());
  return app;
}
