// The custodian's HTTP API (default mode), QuorumVM's endpoint names: every mutating route needs a
// request signed for this custodian's did by an identity of the right role (owner: /install and
// /approve; dealer: /install_beaver; coordinator: /eval_beaver, /beaver_round2, /approve) — 401
// unsigned or wrongly signed, 403 another role — and changes nothing otherwise. The resharing
// routes (POST /reshare_generate, /reshare_apply, /reshare_lagrange_partial, /reshare_set_share,
// DELETE /reshare_retire/{id}) are the coordinator's only. GET /health and GET /key_card are
// public. Routes call the service only.

import type { Hono } from 'hono';
import { base64Decode } from '../../core/bytes.js';
import { createServiceApp, readJsonBody, requireSignedRequest, type LogSink, type ServiceEnv } from '../../http/app.js';
import { mountLogRoutes } from '../../http/log-routes.js';
import { decodePacked } from '../wire.js';
import type { CustodianService, CustodianTrust } from './custodian-service.js';
import { mpcSchemas, MPC_MAX_BODY_BYTES } from './schemas.js';
import { reshareSchemas, type WireSealedFrom } from './reshare-schemas.js';

const PROGRAM_ID_RE = /^[0-9a-f]{64}$/;
const sealedFrom = (list: readonly WireSealedFrom[]) => list.map((s) => ({ fromX: BigInt(s.from_x), box: s.box }));

/**
 * Builds the custodian app over its service.
 * @example
 * const server = await serveApp(createCustodianApp(custodian));
 */
export function createCustodianApp(svc: CustodianService, options: { log?: LogSink } = {}): Hono<ServiceEnv> {
  const app = createServiceApp({ service: 'mpc-custodian', maxBodyBytes: MPC_MAX_BODY_BYTES, log: options.log ?? (() => undefined) });
  const by = (...roles: (keyof CustodianTrust)[]) => requireSignedRequest({ nonces: svc.replayGuard, audience: svc.did, isAllowed: (did) => roles.some((r) => svc.allows(r, did)) });
  // The evaluation rounds: nonces in memory (CustodianService.roundReplayGuard says why replays stay
  // refused), the signature checked on the event loop — a round is one small request from the
  // coordinator at a time, and the worker's two thread hops cost more than the check itself.
  const round = requireSignedRequest({ nonces: svc.roundReplayGuard, audience: svc.did, isAllowed: (did) => svc.allows('coordinators', did), verify: 'inline' });
  app.get('/health', (c) => c.json(svc.health()));
  app.get('/key_card', async (c) => c.json(await svc.keyCard()));
  app.post('/install', by('owners'), async (c) => {
    const body = await readJsonBody(c, mpcSchemas.custodianInstall, { bigints: true });
    return c.json(await svc.install(c.get('caller')!, body.program_package, body.secret_shares === undefined ? undefined : base64Decode(body.secret_shares)));
  });
  app.post('/approve', by('owners', 'coordinators'), async (c) => c.json(await svc.approve((await readJsonBody(c, mpcSchemas.programRef)).program_id)));
  app.post('/install_beaver', by('dealers'), async (c) => {
    const b = await readJsonBody(c, mpcSchemas.installBeaver);
    return c.json(await svc.installBeaver(b.program_id, b.lot_id, b.count, base64Decode(b.box)));
  });
  app.post('/eval_beaver', round, async (c) => {
    const b = await readJsonBody(c, mpcSchemas.evalBeaver);
    const triples = b.triples.map((t) => ({ lotId: t.lot_id, offset: t.offset, count: t.count }));
    return c.json(await svc.evalBeaver({ programId: b.program_id, requestId: b.request_id, batch: b.batch, inputs: base64Decode(b.inputs), triples }));
  });
  app.post('/beaver_round2', round, async (c) => {
    const b = await readJsonBody(c, mpcSchemas.round2);
    return c.json(svc.round2({ programId: b.program_id, requestId: b.request_id, epsilon: decodePacked('epsilon', b.epsilon), delta: decodePacked('delta', b.delta) }));
  });
  app.get('/beaver_pool/:id', (c) => c.json({ program_id: c.req.param('id'), triples_unused: svc.unusedTriples(c.req.param('id')) }));
  app.post('/reshare_generate', by('coordinators'), async (c) => {
    const b = await readJsonBody(c, reshareSchemas.generate);
    return c.json(await svc.reshare.generate({ programId: b.program_id, roundId: b.round_id, k: b.k, targets: b.targets, onboardXs: (b.onboard_x_coords ?? []).map(BigInt) }));
  });
  app.post('/reshare_apply', by('coordinators'), async (c) => {
    const b = await readJsonBody(c, reshareSchemas.apply);
    return c.json(await svc.reshare.apply({ programId: b.program_id, roundId: b.round_id, subShares: sealedFrom(b.sub_shares) }));
  });
  app.post('/reshare_lagrange_partial', by('coordinators'), async (c) => {
    const b = await readJsonBody(c, reshareSchemas.partial);
    return c.json(await svc.reshare.partial({ programId: b.program_id, roundId: b.round_id, targetX: BigInt(b.target_x), participantXs: b.participant_x_coords.map(BigInt), recipient: b.recipient, authorization: b.authorization }));
  });
  app.post('/reshare_set_share', by('coordinators'), async (c) => {
    const b = await readJsonBody(c, reshareSchemas.setShare, { bigints: true });
    return c.json(await svc.reshare.setShare({ caller: c.get('caller')!, programId: b.program_id, roundId: b.round_id, shareX: BigInt(b.share_x), packageJson: b.program_package, partials: sealedFrom(b.partials) }));
  });
  app.delete('/reshare_retire/:id', by('coordinators'), async (c) => {
    const id = c.req.param('id');
    if (!PROGRAM_ID_RE.test(id)) return c.json({ custodian: svc.index, status: 'not_found', program_id: id });
    return c.json(await svc.reshare.retire(id));
  });
  mountLogRoutes(app, () => svc.auditLog());
  return app;
}
