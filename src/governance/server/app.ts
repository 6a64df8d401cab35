// The governance node REST API (Hono, /v1): proposals, this node's ballot, votes, finalize, results,
// authorization state, registry, and the audit log's checkpoints and proofs (the shared log
// routes). Mutating requests must be signed for this node (audience = its did) by a member of the
// current registry (401 unsigned / wrongly signed / replayed — nonces are kept on disk — 403
// non-member); bodies are size-limited (413) and schema-validated (400); errors are the shared
// `{ error: { code, message, requestId, …details } }` (a double vote carries `error.evidence`).
// The app calls the service's methods only — never its store or log. README section "Governance
// nodes" documents every path.

import type { Hono } from 'hono';
import { InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import { createServiceApp, mountLogRoutes, readJsonBody, requireSignedRequest, type LogSink, type ServiceEnv } from '../../http/index.js';
import { isProposalKind, type ProposalKind, type ProposalStatus } from '../index.js';
import { validate } from './schemas.js';
import type { DecidedRound, GovernanceService } from './service.js';

/** Options of {@link createGovernanceApp}. */
export interface GovernanceAppOptions {
  /** Largest request body (default 4 MiB: a published result carries every vote). */
  readonly maxBodyBytes?: number;
  readonly log?: LogSink;
  /** Called after this node finalizes a round (e.g. to publish the result to peers). */
  readonly onFinalized?: (result: DecidedRound) => void;
}

/** Default body limit of the governance API. */
export const GOVERNANCE_MAX_BODY_BYTES = 4 * 1024 * 1024;

const STATUSES: readonly ProposalStatus[] = ['open', 'passed', 'rejected', 'expired'];

/** A path id (proposal id, subject id): 1..512 characters, else 400. */
function idParam(v: string): string {
  if (v.length === 0 || v.length > 512) throw new InvalidArgumentError('path id expected 1..512 characters');
  return v;
}

function listFilter(status: string | undefined, kind: string | undefined): { status?: ProposalStatus; kind?: ProposalKind } {
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw new InvalidArgumentError('"status" expected open, passed, rejected or expired');
  if (kind !== undefined && !isProposalKind(kind)) throw new InvalidArgumentError(`unknown proposal kind ${JSON.stringify(kind.slice(0, 40))}`);
  return { ...(status === undefined ? {} : { status: status as ProposalStatus }), ...(kind === undefined ? {} : { kind }) };
}

function mountReads(app: Hono<ServiceEnv>, svc: GovernanceService): void {
  app.get('/v1/node', (c) => c.json(svc.nodeInfo()));
  app.get('/v1/genesis', (c) => c.json(svc.genesis()));
  app.get('/v1/registry', (c) => c.json(svc.registry()));
  app.get('/v1/registry/history', (c) => c.json(svc.registryHistory()));
  app.get('/v1/registry/versions/:version', (c) => {
    const text = c.req.param('version');
    if (!/^\d{1,15}$/.test(text)) throw new InvalidArgumentError('"version" expected a non-negative integer');
    const members = svc.registryVersion(Number(text));
    if (members === undefined) throw new NotFoundError(`no registry version ${text}`);
    return c.json({ version: Number(text), members });
  });
  app.get('/v1/proposals', (c) => {
    const rows = svc.proposals(listFilter(c.req.query('status'), c.req.query('kind')));
    return c.json({ proposals: rows.map((p) => ({ proposalId: p.proposalId, kind: p.kind, subjectId: p.subjectId, title: p.title, status: p.status, registryVersion: p.registryVersion })) });
  });
  app.get('/v1/proposals/:id', async (c) => c.json(await svc.proposal(idParam(c.req.param('id')))));
  app.get('/v1/proposals/:id/votes', (c) => c.json(svc.votes(idParam(c.req.param('id')))));
  app.get('/v1/results/:id', (c) => {
    const id = idParam(c.req.param('id'));
    const r = svc.result(id);
    if (r === undefined) throw new NotFoundError(`no result for proposal ${id}`);
    return c.json(r);
  });
  app.get('/v1/queue', (c) => c.json({ queued: svc.queue() }));
  app.get('/v1/subjects/:subjectId/authorization', (c) => c.json(svc.authorization(idParam(c.req.param('subjectId')))));
  mountLogRoutes(app, () => svc.auditLog());
}

function mountWrites(app: Hono<ServiceEnv>, svc: GovernanceService, options: GovernanceAppOptions): void {
  const signed = requireSignedRequest({ nonces: svc.replayGuard, audience: svc.did, isAllowed: (did) => svc.isMember(did) });
  app.post('/v1/proposals', signed, async (c) => {
    const { created, proposal } = await svc.submitProposal((await readJsonBody(c, validate.submitProposal)).proposal);
    return c.json({ proposalId: proposal.proposalId, status: proposal.status, registryVersion: proposal.registryVersion, created }, created ? 201 : 200);
  });
  app.post('/v1/proposals/:id/ballot', signed, async (c) => {
    await readJsonBody(c, validate.empty);
    const answer = await svc.ballot(idParam(c.req.param('id')));
    return c.json(answer, answer.status === 'queued' ? 202 : 200);
  });
  app.post('/v1/proposals/:id/votes', signed, async (c) => {
    const body = await readJsonBody(c, validate.submitVote);
    const outcome = await svc.submitVote(idParam(c.req.param('id')), body.vote);
    return c.json({ outcome }, outcome === 'counted' ? 201 : 200);
  });
  app.post('/v1/proposals/:id/finalize', signed, async (c) => {
    await readJsonBody(c, validate.empty);
    const decided = await svc.finalize(idParam(c.req.param('id')));
    if (decided.adopted) return c.json(decided, 200);
    options.onFinalized?.(decided);
    return c.json(decided, 201);
  });
  app.post('/v1/results', signed, async (c) => {
    const body = await readJsonBody(c, validate.publishResult);
    const r = await svc.publishResult(body.result, body.votes);
    return c.json(r, r.recorded ? 201 : 200);
  });
}

/**
 * Builds the HTTP app of one governance node.
 * @example
 * const app = createGovernanceApp(await GovernanceService.open({ identity, dataDir, genesis }));
 * const server = await serveApp(app, { port: 0 });
 */
export function createGovernanceApp(svc: GovernanceService, options: GovernanceAppOptions = {}): Hono<ServiceEnv> {
  const app = createServiceApp({ service: 'governance', maxBodyBytes: options.maxBodyBytes ?? GOVERNANCE_MAX_BODY_BYTES, ...(options.log ? { log: options.log } : {}) });
  mountReads(app, svc);
  mountWrites(app, svc, options);
  return app;
}
