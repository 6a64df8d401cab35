// Fuzzing the MPC services' readers: wire elements and packed vectors, sealed boxes (any change
// fails closed with SealOpenError), key cards (only a genuine card verifies), the request-body
// schemas, and signed request bodies through the coordinator and custodian apps (a 4xx with the
// error shape, never a 500, and no state change).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode } from '../../src/core/bytes.js';
import { signRequest } from '../../src/http/index.js';
import { Identity } from '../../src/pq/identity.js';
import { boxAad } from '../../src/mpc/channel/aad.js';
import { generateKemKeyPair, type KemKeyPair } from '../../src/mpc/channel/kem.js';
import { signKeyCard, verifyKeyCard } from '../../src/mpc/channel/key-card.js';
import { openSealed, seal, SealOpenError } from '../../src/mpc/channel/seal.js';
import { CoordinatorService, CustodianService, createCoordinatorApp, createCustodianApp } from '../../src/mpc/server/index.js';
import { mpcSchemas } from '../../src/mpc/server/schemas.js';
import { decodePacked, parseElement } from '../../src/mpc/wire.js';
import { authorizeMembers, verifyMembership } from '../../src/mpc/membership.js';
import type { Envelope } from '../../src/envelope/types.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, jsonText, jsonValue, mutateBytes, mutateEnvelope, mutateValue, randomBytes, sameBytes, trickyString } from './_inputs.js';

const T = fuzzTimeout(2000, 10);

describe('MPC wire forms under fuzzing', () => {
  it('parseElement returns a canonical element or throws its typed error', () => {
    const v = fc.oneof(anyValue, fc.bigInt({ min: -(1n << 130n), max: 1n << 130n }), fc.integer(), fc.stringMatching(/^-?[0-9]{0,45}$/));
    fuzzSync('parseElement', v, (x) => {
      const e = parseElement('x', x);
      expect(e >= 0n && e < (1n << 127n) - 1n).toBe(true);
    });
  });

  it('decodePacked returns whole canonical elements or throws its typed error', () => {
    const text = fc.oneof(trickyString, anyValue, fc.uint8Array({ maxLength: 96 }).map((b) => Buffer.from(b).toString('base64')));
    fuzzSync('decodePacked', fc.tuple(text, fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined })), ([t, n]) => {
      const b = decodePacked('v', t, n);
      expect(b.length % 16).toBe(0);
      if (n !== undefined) expect(b.length).toBe(n * 16);
    });
  });
});

describe('sealed boxes and key cards under fuzzing', () => {
  let kp: KemKeyPair;
  let box: Uint8Array;
  const aad = boxAad('eval-input', 'p', 'did:pqaid:x', 'r', '1');
  const msg = utf8Encode('shares');
  let card: Envelope;
  let custodian: Identity;
  beforeAll(async () => {
    kp = await generateKemKeyPair();
    box = await seal(kp.publicKey, msg, aad);
    custodian = await Identity.create('c', { level: 44 });
    card = await signKeyCard(custodian, { index: 0, x: 1n, kemPublicKey: kp.publicKey });
  });

  it('only the genuine box with its AAD opens; anything else is SealOpenError', async () => {
    await fuzzAsync('openSealed(mutated)', fc.tuple(fc.oneof(fc.constant(undefined), mutateBytes(new Uint8Array(1)), randomBytes), fc.boolean(), fc.nat({ max: 1200 })), async ([garbage, flipAad, at]) => {
      let b = box;
      if (garbage === undefined) {
        b = box.slice();
        b[at % b.length]! ^= 1 + (at % 255);
      } else if (garbage.length > 0) b = garbage;
      const a = flipAad ? boxAad('eval-input', 'p', 'did:pqaid:x', 'r', '2') : aad;
      try {
        const out = await openSealed(kp.secretKey, b, a);
        expect(sameBytes(out, msg) && sameBytes(b, box) && !flipAad, 'a changed box opened').toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(SealOpenError);
        throw e;
      }
    }, fuzzRuns(1500));
  }, T);

  it('only the genuine key card verifies (mutations that no verifier may accept, and garbage)', async () => {
    expect((await verifyKeyCard(card, new Set([custodian.did]))).did).toBe(custodian.did);
    await fuzzAsync('verifyKeyCard(mutated)', fc.oneof(mutateEnvelope(card), jsonValue({ hostile: true }).map((env) => ({ env, what: 'garbage' }))), async ({ env, what }) => {
      const c = await verifyKeyCard(env, new Set([custodian.did]));
      // Only a "mutation" that changed nothing the signatures cover (a body re-encoded to the same
      // canonical text, a signature repeated) may verify: then the card is the genuine one.
      const e = env as Envelope;
      expect(e.payload === card.payload && e.payloadType === card.payloadType, `a mutated key card verified: ${what}`).toBe(true);
      expect(sameBytes(c.kemPublicKey, kp.publicKey)).toBe(true);
    }, fuzzRuns(1000));
  }, T);
});

describe('membership authorisations under fuzzing', () => {
  it('only the genuine authorisation admits anyone (mutations and garbage are ERR_FORBIDDEN)', async () => {
    const owner = await Identity.create('owner', { level: 44 });
    const P = 'ab'.repeat(32);
    const genuine = await authorizeMembers(owner, P, [{ did: owner.did, x: 4n }]);
    expect(await verifyMembership(genuine, { owners: [owner.did], programId: P })).toEqual([{ did: owner.did, x: 4n }]);
    await fuzzAsync('verifyMembership(mutated)', fc.oneof(mutateEnvelope(genuine), jsonValue({ hostile: true }).map((env) => ({ env, what: 'garbage' }))), async ({ env, what }) => {
      const members = await verifyMembership(env, { owners: [owner.did], programId: P });
      const e = env as Envelope;
      expect(e.payload === genuine.payload && e.payloadType === genuine.payloadType, `a mutated authorisation verified: ${what}`).toBe(true);
      expect(members).toEqual([{ did: owner.did, x: 4n }]);
    }, fuzzRuns(1000));
  }, T);
});

describe('MPC request bodies under fuzzing', () => {
  let owner: Identity;
  let coordinator: CoordinatorService;
  let custodian: CustodianService;
  let coordApp: ReturnType<typeof createCoordinatorApp>;
  let custApp: ReturnType<typeof createCustodianApp>;
  beforeAll(async () => {
    owner = await Identity.create('owner', { level: 44 });
    const cid = await Identity.create('coordinator', { level: 44 });
    custodian = await CustodianService.open({ dataDir: ':memory:', identity: await Identity.create('c0', { level: 44 }), kem: await generateKemKeyPair(), index: 0, trust: { coordinators: new Set([cid.did, owner.did]), dealers: new Set([owner.did]), owners: new Set([owner.did]) } });
    coordinator = await CoordinatorService.open({ dataDir: ':memory:', identity: cid, custodians: [{ url: 'http://127.0.0.1:9' }], threshold: 1, owners: new Set([owner.did]), callTimeoutMs: 200 });
    coordApp = createCoordinatorApp(coordinator);
    custApp = createCustodianApp(custodian);
  });
  afterAll(async () => { await coordinator.close(); await custodian.close(); });

  it('the body schemas return the value or throw ERR_SCHEMA_INVALID', () => {
    const names = Object.keys(mpcSchemas) as (keyof typeof mpcSchemas)[];
    const id = 'ab'.repeat(32);
    const valid: Record<keyof typeof mpcSchemas, unknown> = {
      custodianInstall: { program_package: {} }, programRef: { program_id: id },
      installBeaver: { program_id: id, lot_id: 'ab'.repeat(16), count: 1, box: 'AA==' },
      evalBeaver: { program_id: id, request_id: 'abcdefgh', batch: 1, inputs: 'AA==', triples: [{ lot_id: 'ab'.repeat(16), offset: 0, count: 1 }] },
      round2: { program_id: id, request_id: 'abcdefgh', epsilon: '', delta: '' }, coordinatorInstall: { program_package: {}, beaver_pool_size: 5 },
      approve: { program_id: id, custodian_index: 0, signature: {} }, eval: { program_id: id, request_id: 'abcdefgh', batch: 1, inputs: { 0: 'AA==' } },
      replenish: { program_id: id, pool_size: 2 }, deal: { program_id: id, count: 3 },
    };
    for (const n of names) expect((mpcSchemas[n] as (x: unknown) => unknown)(valid[n]), n).toBe(valid[n]);
    fuzzSync('mpc body schemas', fc.constantFrom(...names).chain((n) => fc.tuple(fc.constant(n), fc.oneof(jsonValue({ hostile: true }), anyValue, mutateValue(valid[n])))), ([n, v]) => {
      expect((mpcSchemas[n] as (x: unknown) => unknown)(v)).toBe(v);
    });
  });

  it('signed garbage to every mutating route answers a 4xx error body, never a 500, and installs nothing', async () => {
    const routes: [ReturnType<typeof createCoordinatorApp>, string, string][] = [
      [coordApp, '/install', coordinator.did], [coordApp, '/approve', coordinator.did], [coordApp, '/eval', coordinator.did], [coordApp, '/replenish_beaver', coordinator.did],
      [custApp, '/install', custodian.did], [custApp, '/approve', custodian.did], [custApp, '/install_beaver', custodian.did], [custApp, '/eval_beaver', custodian.did], [custApp, '/beaver_round2', custodian.did],
    ];
    const body = fc.oneof(jsonText, jsonValue({ hostile: true }).map((v) => { try { return JSON.stringify(v) ?? 'null'; } catch { return '{}'; } }), mutateValue({ program_id: 'ab'.repeat(32), request_id: 'abcdefgh', batch: 1, inputs: { 0: 'AAAA' } }).map((v) => { try { return JSON.stringify(v) ?? '1'; } catch { return '[]'; } }));
    await fuzzAsync('mpc service bodies (signed)', fc.tuple(fc.nat({ max: routes.length - 1 }), body), async ([r, text], tally) => {
      const [app, path, audience] = routes[r]!;
      const bytes = utf8Encode(text.replace(/[\ud800-\udfff]/g, '?'));
      const headers = await signRequest(owner, { method: 'POST', path, body: bytes, audience });
      const res = await app.request(path, { method: 'POST', body: bytes as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/json', ...headers } });
      const json = (await res.json()) as { error?: { code?: unknown } };
      expect(res.status >= 400 && res.status < 500, `${path} answered ${res.status} ${JSON.stringify(json)}`).toBe(true);
      expect(typeof json.error?.code).toBe('string');
      tally.note(`${res.status}`);
    }, fuzzRuns(600));
    expect(custodian.health().programs).toBe(0);
  }, T);
});
