// The governance node REST API (Hono, /v1): proposals, this node's ballot, votes, finalize, results,
// authorization state, registry, audit log checkpoints and proofs. Mutating requests must be signed
// by a member of the current registry (401 unsigned / wrongly signed, 403 non-member); bodies are
// size-limited (413) and schema-validated (400); errors are `{ error: { code, message, requestId } }`,
// and a double vote answers 409 with the Byzantine evidence in `error.evidence` (the error's
// `details`, serialized by the shared handler of createServiceApp). README section
// "Governance node API" documents every path.

import type { Hono } from 'hono';
import { base64Encode, toHex } from '../../core/bytes.js';
import { InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import { createServiceApp, NonceCache, readJsonBody, requireSignedRequest, type LogSink, type ServiceEnv } from '../../http/index.js';
import { isProposalKind } from '../index.js';
import { validate } from './schemas.js';
import type { GovernanceService } from './service.js';

/** Options of {@link createGovernanceApp}. */
export interface GovernanceAppOptions {
  /** Largest request body (default 4 MiB: a published result carries every vote). */
  readonly maxBodyBytes?: number;
  readonly log?: LogSink;
  /** Called after this node finalizes a round (e.g. to publish the result to peers). */
  readonly onFinalized?: (result: { result: unknown; votes: unknown[] }) => void;
}

/** Default body limit of the governance API. */
export const GOVERNANCE_MAX_BODY_BYTES = 4 * 1024 * 1024;

function intParam(name: string, v: string | undefined, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  if (v === undefined || !/^\d{1,15}$/.test(v)) throw new InvalidArgumentError(`"${name}" expected a non-negative integer`);
  return Number(v);
}

/** A path id (proposal id, subject id): 1..512 characters, else 400. */
function idParam(v: string): string {
  if (v.length === 0 || v.length > 512) throw new InvalidArgumentError('path id expected 1..512 characters');
  return v;
}

function logRange<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError) throw new InvalidArgumentError(e.message);
    throw e;
  }
}

/**
 * Builds the HTTP app of one governance node.
 * @example
 * const app = createGovernanceApp(await GovernanceService.open({ identity, dataDir, genesis }));
 * const server = await serveApp(app, { port: 0 });
 */
export function createGovernanceApp(svc: GovernanceService, options: GovernanceAppOptions = {}): Hono<ServiceEnv> {
  const log = options.log;
  const app = createServiceApp({ service: 'governance', maxBodyBytes: options.maxBodyBytes ?? GOVERNANCE_MAX_BODY_BYTES, ...(log ? { log } : {}) });
  const signed = requireSignedRequest({ nonces: new NonceCache(), isAllowed: (did) => svc.isMember(did) });

  app.get('/v1/node', (c) => {
    const me = svc.history.memberAt(svc.did);
    return c.json({
      did: svc.did,
      name: svc.name,
      member: me !== undefined,
      weight: me?.weight ?? 0,
      registryVersion: svc.history.version,
      logOrigin: svc.trail.log.origin,
      frozen: svc.frozen,
    });
  });
  app.get('/v1/genesis', (c) => c.json(svc.genesis));
  app.get('/v1/registry', (c) => c.json({ version: svc.history.version, policy: svc.history.policy.toJSON(), members: svc.history.membersAt() }));
  app.get('/v1/registry/history', (c) => c.json(svc.history.toJSON()));
  app.get('/v1/registry/versions/:version', (c) => {
    const v = intParam('version', c.req.param('version'));
    if (v > svc.history.version) throw new NotFoundError(`no registry version ${v}`);
    return c.json({ version: v, members: svc.history.membersAt(v) });
  });

  app.post('/v1/proposals', signed, async (c) => {
    const body = await readJsonBody(c, validate.submitProposal);
    const { created, proposal } = await svc.submitProposal(body.proposal);
    return c.json({ proposalId: proposal.proposal.proposalId, status: proposal.status, registryVersion: proposal.registryVersion, created }, created ? 201 : 200);
  });
  app.get('/v1/proposals', (c) => {
    const status = c.req.query('status');
    if (status !== undefined && !['open', 'passed', 'rejected', 'expired'].includes(status)) throw new InvalidArgumentError('"status" expected open, passed, rejected or expired');
    const kind = c.req.query('kind');
    if (kind !== undefined && !isProposalKind(kind)) throw new InvalidArgumentError(`unknown proposal kind ${JSON.stringify(kind.slice(0, 40))}`);
    const list = svc.store.listProposals(status === undefined ? {} : { status: status as 'open' }).filter((p) => kind === undefined || p.proposal.kind === kind);
    return c.json({
      proposals: list.map((p) => ({ proposalId: p.proposal.proposalId, kind: p.proposal.kind, subjectId: p.proposal.subjectId, title: p.proposal.title, status: p.status, registryVersion: p.registryVersion })),
    });
  });
  app.get('/v1/proposals/:id', (c) => {
    const id = idParam(c.req.param('id'));
    const p = svc.proposal(id);
    const tally = svc.tally(id);
    const result = svc.store.getResult(id);
    return c.json({
      proposal: p.envelope,
      status: p.status,
      registryVersion: p.registryVersion,
      tally: tally ? tally.toJSON() : null,
      result: result ? result.envelope : null,
    });
  });
  app.get('/v1/proposals/:id/votes', (c) => {
    const id = idParam(c.req.param('id'));
    svc.proposal(id);
    return c.json({ votes: svc.store.votes(id), evidence: svc.store.evidence(id) });
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
    const r = await svc.finalize(idParam(c.req.param('id')));
    const out = { result: r.envelope, votes: r.votes };
    options.onFinalized?.(out);
    return c.json(out, 201);
  });
  app.post('/v1/results', signed, async (c) => {
    const body = await readJsonBody(c, validate.publishResult);
    const { recorded, result } = await svc.publishResult(body.result, body.votes);
    return c.json({ proposalId: result.result.proposalId, decision: result.result.decision, recorded }, recorded ? 201 : 200);
  });
  app.get('/v1/results/:id', (c) => {
    const r = svc.store.getResult(idParam(c.req.param('id')));
    if (r === undefined) throw new NotFoundError(`no result for proposal ${idParam(c.req.param('id'))}`);
    return c.json({ result: r.envelope, votes: r.votes });
  });
  app.get('/v1/queue', (c) => c.json({ queued: svc.queue() }));
  app.get('/v1/subjects/:subjectId/authorization', (c) => c.json(svc.authorization(idParam(c.req.param('subjectId')))));

  app.get('/v1/audit', (c) => c.json({ entries: svc.trail.recent(Math.min(intParam('limit', c.req.query('limit'), 100), 1000)) }));
  app.get('/v1/log/checkpoint', (c) => c.json({ treeSize: svc.trail.log.size, checkpoint: svc.trail.log.latestCheckpoint() }));
  app.get('/v1/log/entries/:index', (c) => {
    const index = intParam('index', c.req.param('index'));
    return logRange(() => c.json({ index, entry: svc.trail.entry(index), data: base64Encode(svc.trail.log.entry(index)), leafHash: toHex(svc.trail.log.leafHash(index)) }));
  });
  app.get('/v1/log/proofs/inclusion', (c) => {
    const lg = svc.trail.log;
    const index = intParam('index', c.req.query('index'));
    const size = intParam('size', c.req.query('size'), lg.size);
    return logRange(() => {
      if (index >= size) throw new RangeError(`"index" expected < size ${size}`);
      return c.json({ index, treeSize: size, leafHash: toHex(lg.leafHash(index)), rootHash: toHex(lg.rootHash(size)), proof: lg.inclusionProof(index, size).map(toHex) });
    });
  });
  app.get('/v1/log/proofs/consistency', (c) => {
    const lg = svc.trail.log;
    const from = intParam('from', c.req.query('from'));
    const to = intParam('to', c.req.query('to'), lg.size);
    return logRange(() => {
      if (from > to) throw new RangeError('"from" expected <= "to"');
      return c.json({ from, to, fromRoot: toHex(lg.rootHash(from)), toRoot: toHex(lg.rootHash(to)), proof: lg.consistencyProof(from, to).map(toHex) });
    });
  });
  return app;
}
