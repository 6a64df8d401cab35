// Fuzzing the authorization service's HTTP API: mutated signed request envelopes, mutated witness
// attestations, mutated delegation chains and arbitrary JSON posted to every POST route are each a
// typed 4xx `{ error: { code } }` and leave the service's recorded state exactly as it was.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/envelope/types.js';
import { signWitnessAttestation } from '../../src/authz/witness.js';
import type { AuthzService } from '../../src/authz/server/index.js';
import { clock, client, identities, openService, request, rootHop, S, type Ids } from '../authz/server/_fixture.js';
import { fuzzAsync, fuzzRuns, fuzzTimeout } from './_runs.js';
import { jsonValue, mutateEnvelope } from './_inputs.js';

let ids: Ids;
let svc: AuthzService;
let api: ReturnType<typeof client>;
let req: Envelope;
let att: Envelope;
let hop: Envelope;
beforeAll(async () => {
  ids = await identities();
  svc = await openService(ids);
  api = client(svc);
  hop = await rootHop(ids, ids.agent, 'd-main');
  expect((await api.post('/v1/delegations', { chain: [hop] })).status).toBe(201);
  const deferred = await api.post('/v1/decide', await request(ids.agent, { delegationId: 'd-main', action: 'approve' }));
  req = await request(ids.agent, { delegationId: 'd-main' });
  att = await signWitnessAttestation(ids.w1, deferred.body.record.request_digest, S, { now: clock.now });
  // Both are sent once here, so a mutation that happens to restore one (a bit flipped twice) is a replay
  // (401) or a repeated witness (409) — still a refusal that changes nothing — and not a first use.
  expect((await api.post('/v1/decide', req)).status).toBe(200);
  expect((await api.post('/v1/witness', att)).status).toBe(200);
});
afterAll(async () => svc.close());

const routes = fc.constantFrom('/v1/decide', '/v1/witness', '/v1/delegations', '/v1/lct-credentials');

describe('authz service HTTP API under fuzzing', () => {
  it('every mutated or arbitrary body is a typed 4xx and changes nothing', async () => {
    const before = svc.stateDump();
    const bodies = fc.oneof(
      fc.tuple(fc.constant('/v1/decide'), mutateEnvelope(req).map((m) => m.env)),
      fc.tuple(fc.constant('/v1/witness'), mutateEnvelope(att).map((m) => m.env)),
      fc.tuple(fc.constant('/v1/delegations'), mutateEnvelope(hop).map((m) => ({ chain: [m.env] }))),
      fc.tuple(routes, jsonValue()),
    );
    await fuzzAsync('authz HTTP POST', bodies, async ([path, body]) => {
      const r = await api.post(path, body);
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.error.code).toMatch(/^ERR_[A-Z_]+$/);
      expect(svc.stateDump()).toBe(before);
    }, fuzzRuns(400));
  }, fuzzTimeout(400, 40));
});
