// Shared fixture of the authorization service tests: identities, a tiny Law, a trust table, a
// controllable clock, an in-process app over a `:memory:` service, and request helpers.
import { utf8Encode } from '../../../src/core/bytes.js';
import type { Envelope } from '../../../src/envelope/types.js';
import { signRequest } from '../../../src/http/signed-request.js';
import { Identity } from '../../../src/pq/identity.js';
import { issueDelegation, LEGAL, signAuthorizationRequest, tableTrust, type Law, type RequestToAuthorize } from '../../../src/authz/index.js';
import { AuthzService, createAuthzApp } from '../../../src/authz/server/index.js';

export const S = 'society:lab';
export const T0 = 1_733_011_200;
export const ROLE = 'role:researcher';

/** A tiny law: one role; writes to data:forbidden are illegal; `approve` needs two witnesses. */
export const LAW: Law = {
  version: 'test-1',
  rolePermissions: (role) => (role === ROLE ? { roleLct: role, allowedActions: new Set(['read', 'write', 'approve', 'delegate']), resourceLimits: {}, trustThreshold: 0.5, requiresWitness: false, maxAtpPerAction: 500 } : null),
  checkLegality: (r) => {
    if (r.action === 'write' && r.targetResource === 'data:forbidden') return { legal: false, violation: 'LAW-1: no writes to data:forbidden', witnessesRequired: 0, procedures: [] };
    if (r.action === 'approve') return { legal: true, violation: null, witnessesRequired: 2, procedures: ['PROC-TWO'] };
    return LEGAL;
  },
};

export interface Ids { svc: Identity; client: Identity; agent: Identity; low: Identity; w1: Identity; w2: Identity; w3: Identity; issuer: Identity; op: Identity; stranger: Identity }

/** Creates the identities (ML-DSA-44). */
export async function identities(): Promise<Ids> {
  const names = ['svc', 'client', 'agent', 'low', 'w1', 'w2', 'w3', 'issuer', 'op', 'stranger'] as const;
  const all = await Promise.all(names.map((n) => Identity.create(n, { level: 44 })));
  return Object.fromEntries(names.map((n, i) => [n, all[i]!])) as unknown as Ids;
}

/** The clock the service reads (epoch seconds), movable by tests. */
export const clock = { now: T0 + 10 };

/** Opens an in-memory service with the fixture's law, trust table, witnesses, issuer and operator. */
export async function openService(ids: Ids, dataDir = ':memory:'): Promise<AuthzService> {
  return AuthzService.open(dataDir, ids.svc, {
    society: S, law: LAW, trust: tableTrust({ [ids.low.did]: 0.3 }, 0.75), clock: () => clock.now,
    witnesses: [ids.w1.did, ids.w2.did], trustedIssuers: [ids.issuer.did], trustedRoots: [ids.client.did], operators: [ids.op.did],
    witnessTimeoutSeconds: 60, sweepIntervalMs: 0, checkpointIntervalMs: 0,
  });
}

/** An app and helpers to call it. */
export function client(svc: AuthzService) {
  const app = createAuthzApp(svc);
  const raw = (path: string, body: string, headers: Record<string, string> = {}) => app.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const post = async (path: string, body: unknown) => {
    const res = await raw(path, JSON.stringify(body));
    return { status: res.status, body: (await res.json()) as any };
  };
  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, body: (await res.json()) as any };
  };
  const signedPost = async (signer: Identity, path: string, body: unknown) => {
    const text = JSON.stringify(body);
    const headers = await signRequest(signer, { method: 'POST', path, body: utf8Encode(text), audience: svc.did });
    const res = await app.request(path, { method: 'POST', body: text, headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { app, raw, post, get, signedPost };
}

/** A request envelope signed by `signer` at the fixture clock. */
export function request(signer: Identity, fields: Partial<RequestToAuthorize> & { delegationId: string | null }, options: { requester?: string; now?: number } = {}): Promise<Envelope> {
  return signAuthorizationRequest(signer, S, { action: 'read', targetResource: 'data:papers', atpCost: 10, ...fields }, { now: options.now ?? clock.now, ...(options.requester ? { requester: options.requester } : {}) });
}

/** A root delegation hop from the client to `delegate`. */
export function rootHop(ids: Ids, delegate: Identity, delegationId: string, o: { permissions?: string[]; atpBudget?: number; maxActionsPerHour?: number; validUntil?: number } = {}): Promise<Envelope> {
  return issueDelegation(ids.client, {
    societyId: S, delegationId, delegate: delegate.did, roleLct: ROLE, permissions: o.permissions ?? ['read', 'write', 'approve', 'delegate'],
    atpBudget: o.atpBudget ?? 1000, maxActionsPerHour: o.maxActionsPerHour ?? 100, validFrom: T0, validUntil: o.validUntil ?? T0 + 86_400,
  });
}
