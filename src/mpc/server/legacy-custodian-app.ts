// The `--legacy` custodian's HTTP API: QuorumVM's custodian endpoints (quorumvm/custodian/app.py),
// their request and response shapes and status codes — POST /install, /install_beaver, /approve,
// /eval_share, /eval_beaver, /beaver_round2, /beaver_shares, /beaver_resolve_p2p,
// /reshare_generate, /reshare_apply, /reshare_set_share, /reshare_lagrange_partial,
// DELETE /reshare_retire/{id}, GET /health — unsigned, as QuorumVM's are (legacy mode trusts its
// network), with exact integer JSON and `{ detail }` error bodies (legacy-http.ts), plus the
// transparency-log routes. Routes read and check the body, then call the service only.

import type { Hono } from 'hono';
import { createServiceApp, type LogSink, type ServiceEnv } from '../../http/app.js';
import { mountLogRoutes } from '../../http/log-routes.js';
import { parseElement } from '../wire.js';
import { legacyJson, readAbscissa, readLegacyBody, useLegacyErrors } from './legacy-http.js';
import type { LegacyCustodianService, LegacyTripleShare } from './legacy-custodian-service.js';
import { legacySchemas, type LegacyEpsDeltaShare, type LegacyPoint, type LegacyTriple } from './legacy-schemas.js';
import { MPC_MAX_BODY_BYTES } from './schemas.js';

const PROGRAM_ID_RE = /^[0-9a-f]{64}$/;

function inputShares(o: Readonly<Record<string, LegacyPoint>>): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const [name, p] of Object.entries(o)) {
    readAbscissa(`input_shares.${name}.x`, p.x);
    m.set(name, parseElement(`input_shares.${name}.y`, p.y));
  }
  return m;
}

function tripleShares(o: Readonly<Record<string, LegacyTriple | LegacyTriple[]>>): Map<string, LegacyTripleShare[]> {
  const m = new Map<string, LegacyTripleShare[]>();
  for (const [node, raw] of Object.entries(o)) {
    const list = Array.isArray(raw) ? raw : [raw];
    m.set(node, list.map((t, i) => {
      const point = (k: 'a' | 'b' | 'c'): readonly [bigint, bigint] => [readAbscissa(`triple_shares.${node}[${i}].${k}[0]`, t[k][0]), parseElement(`triple_shares.${node}[${i}].${k}[1]`, t[k][1])];
      return { a: point('a'), b: point('b'), c: point('c') };
    }));
  }
  return m;
}

function epsDelta(list: readonly LegacyEpsDeltaShare[]): Map<string, readonly [bigint, bigint]> {
  const m = new Map<string, readonly [bigint, bigint]>();
  for (const s of list) m.set(s.node_id, [parseElement(`shares.${s.node_id}.epsilon_share`, s.epsilon_share), parseElement(`shares.${s.node_id}.delta_share`, s.delta_share)]);
  return m;
}

const elements = (name: string, list: readonly unknown[]): bigint[] => list.map((v, i) => parseElement(`${name}[${i}]`, v));
const abscissas = (name: string, list: readonly unknown[]): bigint[] => list.map((v, i) => readAbscissa(`${name}[${i}]`, v));

/**
 * Builds the legacy custodian app over its service.
 * @example
 * const server = await serveApp(createLegacyCustodianApp(custodian), { port: 9100 });
 */
export function createLegacyCustodianApp(svc: LegacyCustodianService, options: { log?: LogSink } = {}): Hono<ServiceEnv> {
  const app = createServiceApp({ service: 'mpc-legacy-custodian', maxBodyBytes: MPC_MAX_BODY_BYTES, log: options.log ?? (() => undefined) });
  useLegacyErrors(app);
  app.get('/health', (c) => c.json(svc.health()));
  app.post('/install', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.custodianInstall);
    return legacyJson(c, await svc.install(b.program_package, readAbscissa('share_x', b.share_x), parseElement('share_y', b.share_y)));
  });
  app.post('/install_beaver', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.installBeaver);
    return legacyJson(c, await svc.installBeaver(b.program_id, tripleShares(b.triple_shares), b.lot_id));
  });
  app.post('/approve', async (c) => legacyJson(c, await svc.approve((await readLegacyBody(c, legacySchemas.programRef)).program_id)));
  app.post('/eval_share', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.evalShare);
    return legacyJson(c, svc.evalShare(b.program_id, b.request_id, inputShares(b.input_shares)));
  });
  app.post('/eval_beaver', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.evalBeaver);
    return legacyJson(c, await svc.evalBeaver(b.program_id, b.request_id, inputShares(b.input_shares), b.triple && { lotId: b.triple.lot_id, offset: b.triple.offset }));
  });
  app.post('/beaver_round2', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.round2);
    const res = new Map(b.resolutions.map((r) => [r.node_id, [parseElement(`resolutions.${r.node_id}.epsilon`, r.epsilon), parseElement(`resolutions.${r.node_id}.delta`, r.delta)] as const]));
    return legacyJson(c, svc.round2(b.program_id, b.request_id, res));
  });
  app.post('/beaver_shares', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.beaverShares);
    return legacyJson(c, svc.receiveShares(b.request_id, readAbscissa('from_custodian', b.from_custodian), epsDelta(b.shares)));
  });
  app.post('/beaver_resolve_p2p', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.resolveP2p);
    return legacyJson(c, svc.resolveP2p(b.program_id, b.request_id, b.mul_node_ids));
  });
  app.post('/reshare_generate', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.reshareGenerate);
    return legacyJson(c, svc.reshareGenerate(b.program_id, abscissas('target_x_coords', b.target_x_coords), b.k));
  });
  app.post('/reshare_apply', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.reshareApply);
    return legacyJson(c, await svc.reshareApply(b.program_id, elements('sub_shares', b.sub_shares)));
  });
  app.post('/reshare_set_share', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.reshareSetShare);
    return legacyJson(c, await svc.reshareSetShare(b.program_id, readAbscissa('share_x', b.share_x), parseElement('share_y', b.share_y), b.program_package));
  });
  app.post('/reshare_lagrange_partial', async (c) => {
    const b = await readLegacyBody(c, legacySchemas.lagrangePartial);
    return legacyJson(c, svc.lagrangePartial(b.program_id, readAbscissa('target_x', b.target_x), abscissas('participant_x_coords', b.participant_x_coords)));
  });
  app.delete('/reshare_retire/:id', async (c) => {
    const id = c.req.param('id');
    return legacyJson(c, PROGRAM_ID_RE.test(id) ? await svc.retire(id) : { custodian: svc.index, status: 'not_found', program_id: id });
  });
  mountLogRoutes(app, () => svc.auditLog());
  return app;
}
