// The attestation service's HTTP API (docs/attestation-service.md). Signed (requireSignedRequest,
// audience = the service's did, callers from --callers when given): the two routes that write —
// POST /v1/reports (hashes every configured region, signs, appends to the log) and POST /v1/verify
// (appends the verdict to the log); signing names the caller in the log and lets the replay guard
// (on disk) refuse a replayed request. Open: the reads — GET /v1/service, GET /v1/reports,
// GET /v1/reports/:id (issued reports are signed artifacts meant to be handed on) and the
// transparency-log routes (mountLogRoutes). Routes call the service only.

import type { Hono } from 'hono';
import { InvalidArgumentError } from '../../core/errors.js';
import { createServiceApp, readJsonBody, requireSignedRequest, type LogSink, type ServiceEnv } from '../../http/app.js';
import { mountLogRoutes } from '../../http/log-routes.js';
import { compileSchema } from '../../http/schema.js';
import type { AttestService, IssueRequest, VerifyRequest } from './service.js';

/** Most report ids `GET /v1/reports` lists. */
export const MAX_REPORT_LIST = 1000;

const issueBody = compileSchema<IssueRequest>({
  type: 'object', required: ['nonce'], additionalProperties: false,
  properties: { nonce: { type: 'string', pattern: '^[0-9a-f]{16,128}$' }, workload_id: { type: 'string', minLength: 1, maxLength: 256 } },
});
const verifyBody = compileSchema<VerifyRequest>({
  type: 'object', required: ['report'], additionalProperties: false,
  properties: { report: { type: 'object' }, evidence: { type: 'object' }, policy: { type: 'object' } },
});

function limitParam(v: string | undefined): number {
  if (v === undefined) return 100;
  if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > MAX_REPORT_LIST) throw new InvalidArgumentError(`"limit" expected 1..${MAX_REPORT_LIST}`);
  return Number(v);
}

/** Builds the attestation app over its service. */
export function createAttestApp(svc: AttestService, options: { log?: LogSink; maxBodyBytes?: number } = {}): Hono<ServiceEnv> {
  const app = createServiceApp({ service: 'attestation', log: options.log ?? (() => undefined), ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}) });
  const signed = requireSignedRequest({ nonces: svc.replayGuard, audience: svc.did, isAllowed: (did) => svc.mayCall(did) });
  app.get('/v1/service', (c) => c.json(svc.info()));
  app.post('/v1/reports', signed, async (c) => c.json(await svc.issue(c.get('caller')!, await readJsonBody(c, issueBody)), 201));
  app.get('/v1/reports', (c) => c.json({ reports: svc.recentReports(limitParam(c.req.query('limit'))) }));
  app.get('/v1/reports/:id', (c) => c.json(svc.report(c.req.param('id'))));
  app.post('/v1/verify', signed, async (c) => c.json(await svc.verify(c.get('caller')!, await readJsonBody(c, verifyBody))));
  mountLogRoutes(app, () => svc.auditLog());
  return app;
}
