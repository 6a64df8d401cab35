// The attestation requirement over HTTP: a service whose role requires fresh attestation denies an
// agent (invalid_lct, check attestation) until it POSTs a bound attestation report (ML-DSA report +
// SEV-SNP evidence from the TEST PKI's fake device, trusted here only because the service is told so),
// then grants for the role's limit; malformed, unbound and untrusted submissions are typed 4xx that
// record nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestBound, Attester, createClaim, createReport, evidenceToJson, memoryRegion, reportToJson, snapshotOf } from '../../../src/attestation/index.js';
import { parseStrict } from '../../../src/core/parse-strict.js';
import { createTestSnpPki, fakeSnpEvidenceSource, FakeSnpSigner } from '../../../src/tee/testing/index.js';
import { AuthzService } from '../../../src/authz/server/index.js';
import { clock, client, identities, LAW, request, rootHop, ROLE, S, T0, type Ids } from './_fixture.js';

let ids: Ids;
let svc: AuthzService;
let strict: AuthzService;
let api: ReturnType<typeof client>;
let pki: Awaited<ReturnType<typeof createTestSnpPki>>;

beforeAll(async () => {
  ids = await identities();
  pki = await createTestSnpPki({ product: 'Milan', rsaBits: 2048 });
  svc = await AuthzService.open(':memory:', ids.svc, { society: S, law: LAW, clock: () => clock.now, trustedRoots: [ids.client.did], sweepIntervalMs: 0, attestation: { roles: { [ROLE]: 120 }, verify: { snpRoots: [pki.root] } } });
  strict = await AuthzService.open(':memory:', ids.svc, { society: S, law: LAW, clock: () => clock.now, trustedRoots: [ids.client.did], sweepIntervalMs: 0, attestation: { roles: { [ROLE]: 120 } } });
  api = client(svc);
  expect((await api.post('/v1/delegations', { chain: [await rootHop(ids, ids.agent, 'd-att')] })).status).toBe(201);
});
afterAll(async () => {
  await svc.close();
  await strict.close();
});

async function bound(nonce: string) {
  const now = new Date(clock.now * 1000);
  const region = memoryRegion({ region_id: 'weights', address: 0x1000, size: 8 });
  const report = createReport([createClaim({ region, snapshot: snapshotOf('weights', new Uint8Array(8).fill(7), now), nonce })], { now, ttlSeconds: 300 });
  const b = await attestBound(new Attester(ids.agent), report, fakeSnpEvidenceSource(new FakeSnpSigner(pki)));
  return { report: parseStrict(reportToJson(b.report)), evidence: evidenceToJson(b.evidence) };
}

describe('POST /v1/attestations and a role that requires attestation', () => {
  it('denied before, granted for the limit after a verified bound report, denied again once stale', async () => {
    const decide = async () => (await api.post('/v1/decide', await request(ids.agent, { delegationId: 'd-att' }))).body as { record: { decision: string; denial_reason: string | null; check: string }; why: string };
    expect(await decide()).toMatchObject({ record: { decision: 'denied', denial_reason: 'invalid_lct', check: 'attestation' } });
    const a = await bound('ab'.repeat(16));
    const ok = await api.post('/v1/attestations', a);
    expect(ok).toMatchObject({ status: 201, body: { agent: ids.agent.did, verified_at: clock.now } });
    expect((await decide()).record.decision).toBe('granted');
    const saved = clock.now;
    try {
      clock.now = saved + 121;
      expect(await decide()).toMatchObject({ record: { denial_reason: 'invalid_lct' }, why: expect.stringMatching(/at most 120 s old/) });
    } finally {
      clock.now = saved;
    }
  }, 60_000);

  it('malformed, unbound and untrusted submissions are typed 4xx; no role requiring it is 404', async () => {
    const a = await bound('cd'.repeat(16));
    const b = await bound('ef'.repeat(16));
    expect((await api.post('/v1/attestations', { report: a.report })).status).toBe(400);
    expect((await api.post('/v1/attestations', { report: { x: 1 }, evidence: a.evidence })).body.error.code).toBe('ERR_ATTESTATION');
    expect((await api.post('/v1/attestations', { report: a.report, evidence: { kind: 'sgx' } })).status).toBe(400);
    const unbound = await api.post('/v1/attestations', { report: a.report, evidence: b.evidence });
    expect(unbound).toMatchObject({ status: 422, body: { error: { code: 'ERR_ATTESTATION_INVALID', message: expect.stringMatching(/binding/) } } });
    const untrusted = await client(strict).post('/v1/attestations', a); // AMD's real roots: the test PKI is refused
    expect(untrusted.status).toBe(422);
    const plain = await AuthzService.open(':memory:', ids.svc, { society: S, law: LAW, clock: () => clock.now, sweepIntervalMs: 0 });
    try {
      expect((await client(plain).post('/v1/attestations', a)).status).toBe(404);
    } finally {
      await plain.close();
    }
    expect(T0).toBeLessThan(clock.now);
  }, 60_000);
});
