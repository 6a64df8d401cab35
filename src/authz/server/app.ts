// The authorization service's HTTP API (docs/authz.md "Service"). Authentication is per route by
// what the body already carries, so nothing is signed twice:
//   POST /v1/decide            body: a signed request envelope (signAuthorizationRequest) — its
//                              signature, freshness and nonce ARE the authentication
//   POST /v1/delegations       body: { chain: [hop envelopes, root first] } — every hop is signed by
//                              its delegator, so the chain is its own authority (root: a trusted root
//                              when the service names some)                              → 201
//   POST /v1/delegations/:id/revoke  signed request (requireSignedRequest, audience = the service):
//                              the caller must be an operator or a delegator at or above the hop
//   POST /v1/lct-credentials   body: { credential: envelope } signed by a trusted issuer     → 201
//   POST /v1/witness           body: a witness attestation envelope (signWitnessAttestation)
//   POST /v1/attestations      body: { report, evidence } — a signed attestation report bound to TEE
//                              evidence; verifying it is the authority (verifyBoundReport)   → 201
// and the reads: GET /v1/service, /v1/delegations/:id, /v1/requests/:digest, /v1/receipts/:id,
// /v1/receipts/:id/proof and the transparency-log routes (mountLogRoutes). Every body is strict JSON
// checked by a schema; every 4xx is `{ error: { code, message, requestId, … } }` and changes nothing.
// Routes call the service only.

import type { Hono } from 'hono';
import { createServiceApp, readJsonBody, requireSignedRequest, type LogSink, type ServiceEnv } from '../../http/app.js';
import { EMPTY_SCHEMA, ENVELOPE_SCHEMA } from '../../http/envelope-schema.js';
import { mountLogRoutes } from '../../http/log-routes.js';
import { compileSchema } from '../../http/schema.js';
import type { Envelope } from '../../envelope/types.js';
import type { AuthzService } from './service.js';

const envelopeBody = compileSchema<Envelope>(ENVELOPE_SCHEMA);
const chainBody = compileSchema<{ chain: Envelope[] }>({
  type: 'object', required: ['chain'], additionalProperties: false,
  properties: { chain: { type: 'array', minItems: 1, maxItems: 3, items: ENVELOPE_SCHEMA } },
});
const credentialBody = compileSchema<{ credential: Envelope }>({ type: 'object', required: ['credential'], additionalProperties: false, properties: { credential: ENVELOPE_SCHEMA } });
const emptyBody = compileSchema<Record<string, never>>(EMPTY_SCHEMA);
const attestationBody = compileSchema<{ report: object; evidence: object }>({ type: 'object', required: ['report', 'evidence'], additionalProperties: false, properties: { report: { type: 'object' }, evidence: { type: 'object' } } });

/** Builds the authorization service's app over its service. */
export function createAuthzApp(svc: AuthzService, options: { log?: LogSink; maxBodyBytes?: number } = {}): Hono<ServiceEnv> {
  const app = createServiceApp({ service: 'authz', log: options.log ?? (() => undefined), maxBodyBytes: options.maxBodyBytes ?? 256 * 1024 });
  const signed = requireSignedRequest({ nonces: svc.replayGuard, audience: svc.did });
  app.get('/v1/service', (c) => c.json(svc.info()));
  app.post('/v1/decide', async (c) => c.json(await svc.decide(await readJsonBody(c, envelopeBody))));
  app.post('/v1/delegations', async (c) => c.json(await svc.registerChain((await readJsonBody(c, chainBody)).chain), 201));
  app.get('/v1/delegations/:id', (c) => c.json(svc.delegation(c.req.param('id'))));
  app.post('/v1/delegations/:id/revoke', signed, async (c) => {
    await readJsonBody(c, emptyBody);
    return c.json(await svc.revoke(c.get('caller')!, c.req.param('id')));
  });
  app.post('/v1/lct-credentials', async (c) => c.json(await svc.addLctCredential((await readJsonBody(c, credentialBody)).credential), 201));
  app.post('/v1/attestations', async (c) => {
    const b = await readJsonBody(c, attestationBody);
    return c.json(await svc.submitAttestation(b.report, b.evidence), 201);
  });
  app.post('/v1/witness', async (c) => c.json(await svc.submitWitness(await readJsonBody(c, envelopeBody))));
  app.get('/v1/requests/:digest', (c) => c.json(svc.requestState(c.req.param('digest'))));
  app.get('/v1/receipts/:id', async (c) => c.json(await svc.receipt(c.req.param('id'))));
  app.get('/v1/receipts/:id/proof', async (c) => c.json(await svc.receiptProof(c.req.param('id'))));
  mountLogRoutes(app, () => svc.auditLog());
  return app;
}
