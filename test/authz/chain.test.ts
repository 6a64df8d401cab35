// Signed delegation chains (src/authz/chain): 1-, 2- and 3-hop chains verify and yield the narrowed
// leaf delegation; a fourth hop is refused; every widening (permissions, budget, rate, window, role)
// is refused at issue time and, signed by hand without issueDelegation, by the verifier; wrong
// signer, swapped hops, a wrong parent link, a tampered payload, a revoked hop (the chain above it
// still verifies), an expired hop, another society and an untrusted root each give a reason.
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../../src/core/bytes.js';
import { canonicalize } from '../../src/core/canonical-json.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { signEnvelope, type Envelope } from '../../src/envelope/index.js';
import { Identity } from '../../src/pq/identity.js';
import { AgentDelegation } from '../../src/authz/delegation.js';
import {
  DelegationAttenuationError, DelegationChainError, DelegationSignatureError, DELEGATION_HOP_PAYLOAD_TYPE,
  checkAttenuation, delegationHopId, issueDelegation, parseDelegationHopBody, readDelegationHop, verifyDelegationChain,
  verifyDelegationChainOrThrow, type DelegationHopBody,
} from '../../src/authz/index.js';

const SOCIETY = 'society:lab';
const T0 = 1_733_011_200;
const NOW = T0 + 60;
const opts = { society: SOCIETY, now: NOW };

let client: Identity;
let agent: Identity;
let sub: Identity;
let leaf: Identity;
let extra: Identity;
let h1: Envelope;
let h2: Envelope;
let h3: Envelope;

const body = (env: Envelope): DelegationHopBody => readDelegationHop(env).body;
/** Signs `b` as a hop by `signer`, bypassing issueDelegation's checks (a malicious delegator). */
const handSign = (b: unknown, signer: Identity): Promise<Envelope> => signEnvelope(b, DELEGATION_HOP_PAYLOAD_TYPE, [signer]);
const kinds = (r: { failures: readonly { kind: string }[] }): string[] => [...new Set(r.failures.map((f) => f.kind))];

beforeAll(async () => {
  const make = (n: string): Promise<Identity> => Identity.create(n, { level: 44 });
  [client, agent, sub, leaf, extra] = await Promise.all([make('client'), make('agent'), make('sub'), make('leaf'), make('extra')]);
  h1 = await issueDelegation(client, {
    societyId: SOCIETY, delegationId: 'd1', delegate: agent.did, roleLct: 'role:researcher:lab', permissions: ['write', 'read', 'compute', 'delegate', 'read'],
    atpBudget: 1000, maxActionsPerHour: 100, validFrom: T0, validUntil: T0 + 86_400,
  });
  h2 = await issueDelegation(agent, { delegationId: 'd2', delegate: sub.did, permissions: ['read', 'compute', 'delegate'], atpBudget: 200, maxActionsPerHour: 50, validUntil: T0 + 3600 }, { parent: h1 });
  h3 = await issueDelegation(sub, { delegationId: 'd3', delegate: leaf.did, permissions: ['read'], atpBudget: 20, maxActionsPerHour: 5 }, { parent: h2 });
});

describe('issueDelegation', () => {
  it('signs a canonical hop body: sorted unique permissions, seed defaults at the root, the parent\'s values below it', async () => {
    expect(body(h1)).toEqual({
      societyId: SOCIETY, delegationId: 'd1', parentHopId: null, delegator: client.did, delegate: agent.did, roleLct: 'role:researcher:lab',
      permissions: ['compute', 'delegate', 'read', 'write'], atpBudget: 1000, maxActionsPerHour: 100, validFrom: T0, validUntil: T0 + 86_400, depth: 1,
    });
    expect(body(h2)).toMatchObject({ societyId: SOCIETY, parentHopId: delegationHopId(h1), delegator: agent.did, roleLct: 'role:researcher:lab', validFrom: T0, depth: 2 });
    expect(body(h3)).toMatchObject({ validFrom: T0, validUntil: T0 + 3600, depth: 3, parentHopId: delegationHopId(h2) });
    expect(h1.signatures.map((s) => s.keyid)).toEqual([client.did]);
    const root = await issueDelegation(client, { societyId: SOCIETY, delegationId: 'x', delegate: agent.did, roleLct: 'r', permissions: [], atpBudget: 0 }, { now: T0 });
    expect(body(root)).toMatchObject({ validFrom: T0, validUntil: T0 + 86_400, maxActionsPerHour: 100 });
  });

  it('the hop id is the SHA3-256 of the canonical payload, independent of the (randomised) signature', async () => {
    const again = await handSign(body(h1), client);
    expect(delegationHopId(again)).toBe(delegationHopId(h1));
    expect(delegationHopId(h1)).toMatch(/^[0-9a-f]{64}$/);
    expect(delegationHopId(h2)).not.toBe(delegationHopId(h1));
  });

  it.each([
    ['permissions', { permissions: ['read', 'delete'] }],
    ['budget', { atpBudget: 1001 }],
    ['rate', { maxActionsPerHour: 101 }],
    ['window', { validFrom: T0 - 1 }],
    ['window', { validUntil: T0 + 86_401 }],
    ['role', { roleLct: 'role:admin:lab' }],
  ] as const)('refuses a hop widening its parent: %s %j', async (rule, change) => {
    const fields = { delegationId: 'w', delegate: sub.did, permissions: ['read'], atpBudget: 10, ...change };
    const err = await issueDelegation(agent, fields, { parent: h1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DelegationAttenuationError);
    expect((err as DelegationAttenuationError).code).toBe('ERR_AUTHZ_ATTENUATION');
    expect((err as DelegationAttenuationError).details).toEqual({ hop: 1, violations: [rule] });
  });

  it('refuses a fourth hop, a delegator that is not the parent\'s delegate, another society', async () => {
    const deep = await issueDelegation(leaf, { delegationId: 'd4', delegate: extra.did, permissions: ['read'], atpBudget: 1 }, { parent: h3 }).catch((e: unknown) => e);
    expect(deep).toBeInstanceOf(DelegationAttenuationError);
    expect((deep as DelegationAttenuationError).details).toMatchObject({ violations: ['depth'] });
    await expect(issueDelegation(extra, { delegationId: 'x', delegate: sub.did, permissions: ['read'], atpBudget: 1 }, { parent: h1 })).rejects.toThrow(DelegationChainError);
    await expect(issueDelegation(agent, { societyId: 'other', delegationId: 'x', delegate: sub.did, permissions: ['read'], atpBudget: 1 }, { parent: h1 })).rejects.toThrow(DelegationChainError);
  });

  it('refuses to re-delegate a hop that does not grant "delegate", at issue time and hand-signed', async () => {
    const closed = await issueDelegation(agent, { delegationId: 'c2', delegate: sub.did, permissions: ['read', 'compute'], atpBudget: 10 }, { parent: h1 });
    expect((await verifyDelegationChain([h1, closed], opts)).valid).toBe(true);
    const err = await issueDelegation(sub, { delegationId: 'c3', delegate: leaf.did, permissions: ['read'], atpBudget: 1 }, { parent: closed }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DelegationAttenuationError);
    expect((err as DelegationAttenuationError).details).toEqual({ hop: 2, violations: ['delegate'] });
    const forged = await handSign({ ...body(closed), delegationId: 'c3', parentHopId: delegationHopId(closed), delegator: sub.did, delegate: leaf.did, permissions: ['read'], depth: 3 }, sub);
    const r = await verifyDelegationChain([h1, closed, forged], opts);
    expect(r.failures.map((f) => [f.hop, f.kind, f.rule])).toEqual([[2, 'attenuation', 'delegate']]);
  });

  it('refuses malformed fields with typed errors', async () => {
    const base = { societyId: SOCIETY, delegationId: 'x', delegate: agent.did, roleLct: 'r', permissions: ['read'], atpBudget: 1 };
    await expect(issueDelegation(client, { ...base, delegate: 'agent-1' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(issueDelegation(client, { ...base, delegate: client.did })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(issueDelegation(client, { ...base, atpBudget: -1 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(issueDelegation(client, { ...base, validFrom: 10, validUntil: 5 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(issueDelegation(client, { ...base, societyId: undefined })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(issueDelegation(client, { ...base, permissions: ['a b'] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(issueDelegation(client, { ...base, permissions: Array.from({ length: 65 }, (_, i) => `p${i}`) })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(issueDelegation(client, { ...base, permissions: 'read' as unknown as string[] })).rejects.toThrow(TypeError);
    await expect(issueDelegation(client, base, { parent: { payloadType: 'x', payload: '', signatures: [] } })).rejects.toThrow(DelegationChainError);
    await expect(issueDelegation(client, base, { bogus: 1 } as never)).rejects.toThrow(TypeError);
  });
});

describe('verifyDelegationChain', () => {
  it('1-, 2- and 3-hop chains verify and yield the narrowed leaf delegation', async () => {
    const ids = [h1, h2, h3].map(delegationHopId);
    const r1 = await verifyDelegationChain([h1], opts);
    expect(r1).toMatchObject({ valid: true, reasons: [], hopIds: ids.slice(0, 1), rootDelegator: client.did });
    expect(r1.delegation).toMatchObject({ delegationId: 'd1', clientLct: client.did, agentLct: agent.did, depth: 1, parentId: null, atpBudget: 1000 });
    const r2 = await verifyDelegationChain([h1, h2], opts);
    expect(r2.valid).toBe(true);
    expect(r2.delegation).toMatchObject({ delegationId: 'd2', clientLct: agent.did, agentLct: sub.did, depth: 2, parentId: 'd1', atpBudget: 200, maxActionsPerHour: 50, validUntil: T0 + 3600 });
    const r3 = await verifyDelegationChain([h1, h2, h3], { ...opts, trustedRoots: [client.did], isRevoked: () => false });
    expect(r3).toMatchObject({ valid: true, hopIds: ids, rootDelegator: client.did });
    expect(r3.delegation).toEqual({
      delegationId: 'd3', clientLct: sub.did, agentLct: leaf.did, roleLct: 'role:researcher:lab', grantedPermissions: ['read'], atpBudget: 20,
      maxActionsPerHour: 5, validFrom: T0, validUntil: T0 + 3600, depth: 3, parentId: 'd2',
    });
    const d = new AgentDelegation(r3.delegation!, NOW);
    expect([d.depth, d.parentId, [...d.grantedPermissions], d.atpRemaining]).toEqual([3, 'd2', ['read'], 20]);
    await expect(verifyDelegationChainOrThrow([h1, h2, h3], opts)).resolves.toMatchObject({ hopIds: ids, rootDelegator: client.did, delegation: { delegationId: 'd3' } });
  });

  it('refuses a fourth hop, however it was signed', async () => {
    const b4 = { ...body(h3), delegationId: 'd4', parentHopId: delegationHopId(h3), delegator: leaf.did, delegate: extra.did, depth: 4 };
    const h4 = await handSign(b4, leaf);
    const r = await verifyDelegationChain([h1, h2, h3, h4], opts);
    expect(r.valid).toBe(false);
    expect(kinds(r)).toEqual(['length']);
    // and a depth-4 body does not parse as a hop at all
    expect(() => parseDelegationHopBody(b4)).toThrow(DelegationChainError);
    await expect(verifyDelegationChainOrThrow([h1, h2, h3, h4], opts)).rejects.toMatchObject({ code: 'ERR_AUTHZ_CHAIN' });
  });

  it.each([
    ['permissions', { permissions: ['compute', 'delete', 'read'] }],
    ['budget', { atpBudget: 201 }],
    ['rate', { maxActionsPerHour: 51 }],
    ['window', { validUntil: T0 + 3601 }],
    ['window', { validFrom: T0 - 10 }],
    ['role', { roleLct: 'role:admin:lab' }],
    ['depth', { depth: 2 }],
  ] as const)('catches a hand-signed hop widening its parent: %s %j', async (rule, change) => {
    const widened = await handSign({ ...body(h3), ...change }, sub);
    const r = await verifyDelegationChain([h1, h2, widened], opts);
    expect(r.valid).toBe(false);
    expect(r.failures.filter((f) => f.kind === 'attenuation').map((f) => f.rule)).toEqual([rule]);
    expect(r.reasons.every((x) => x.startsWith('hop[2]: '))).toBe(true);
    expect(r.delegation).toBeNull();
    const err = await verifyDelegationChainOrThrow([h1, h2, widened], opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DelegationAttenuationError);
    expect((err as DelegationAttenuationError).details).toMatchObject({ hop: 2, violations: [rule] });
  });

  it('a wrong signer, an extra signature and a tampered payload are signature failures (401)', async () => {
    const wrong = await handSign(body(h2), extra);
    const r = await verifyDelegationChain([h1, wrong], opts);
    expect(r.reasons).toEqual(['hop[1]: not signed by its delegator']);
    const cosigned = await signEnvelope(body(h2), DELEGATION_HOP_PAYLOAD_TYPE, [agent, extra]);
    expect(kinds(await verifyDelegationChain([h1, cosigned], opts))).toEqual(['signature']);
    // tampered: same signature, a body that still parses (budget lowered, so attenuation holds)
    const tampered = { ...h2, payload: base64Encode(utf8Encode(canonicalize({ ...body(h2), atpBudget: 199 }))) };
    const rt = await verifyDelegationChain([h1, tampered], opts);
    expect(rt.reasons).toEqual(['hop[1]: signature verification failed']);
    const err = await verifyDelegationChainOrThrow([h1, tampered], opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DelegationSignatureError);
    expect((err as DelegationSignatureError).status).toBe(401);
    const noKey = { ...h2, signatures: h2.signatures.map(({ publicKey: _, ...s }) => s) };
    expect(kinds(await verifyDelegationChain([h1, noKey], opts))).toEqual(['signature']);
  });

  it('swapped hops and a wrong parent link are link failures', async () => {
    const swapped = await verifyDelegationChain([h2, h1], opts);
    expect(swapped.valid).toBe(false);
    expect(kinds(swapped)).toEqual(expect.arrayContaining(['link']));
    expect(swapped.failures.some((f) => f.hop === 0 && f.message.includes('root hop has a parent'))).toBe(true);
    // a sibling root for the same agent: h2 names h1, not it
    const sibling = await issueDelegation(client, { ...body(h1), delegationId: 'd1b', permissions: body(h1).permissions }, {});
    const r = await verifyDelegationChain([sibling, h2], opts);
    expect(r.reasons).toEqual(['hop[1]: parentHopId does not name the parent hop']);
    const skip = await verifyDelegationChain([h1, h3], opts);
    expect(skip.reasons).toEqual(expect.arrayContaining(['hop[1]: delegator is not the parent\'s delegate', 'hop[1]: parentHopId does not name the parent hop']));
    const reused = await handSign({ ...body(h2), delegationId: 'd1' }, agent);
    expect((await verifyDelegationChain([h1, reused], opts)).reasons).toEqual(['hop[1]: delegationId repeats one above it in the chain']);
    await expect(verifyDelegationChainOrThrow([h2, h1], opts)).rejects.toMatchObject({ code: 'ERR_AUTHZ_CHAIN', status: 400 });
  });

  it('a revoked middle hop kills everything under it; the chain above it still verifies', async () => {
    const revoked = new Set([delegationHopId(h2)]);
    const isRevoked = (id: string): boolean => revoked.has(id);
    const r3 = await verifyDelegationChain([h1, h2, h3], { ...opts, isRevoked });
    expect(r3.valid).toBe(false);
    expect(r3.failures).toEqual([{ hop: 1, kind: 'revoked', message: `hop ${delegationHopId(h2)} is revoked` }]);
    expect((await verifyDelegationChain([h1, h2], { ...opts, isRevoked })).valid).toBe(false);
    const above = await verifyDelegationChain([h1], { ...opts, isRevoked });
    expect(above.valid).toBe(true);
    // an async revocation list, and a revoked root
    const asyncRoot = await verifyDelegationChain([h1, h2, h3], { ...opts, isRevoked: async (id) => id === delegationHopId(h1) });
    expect(asyncRoot.failures.map((f) => [f.hop, f.kind])).toEqual([[0, 'revoked']]);
    // a revocation check that answers neither true nor false fails closed
    const vague = await verifyDelegationChain([h1], { ...opts, isRevoked: (() => undefined) as never });
    expect(vague.reasons).toEqual([`hop[0]: isRevoked did not answer true or false for hop ${delegationHopId(h1)}`]);
    await expect(verifyDelegationChainOrThrow([h1, h2], { ...opts, isRevoked })).rejects.toMatchObject({ code: 'ERR_AUTHZ_CHAIN', details: { hop: 1 } });
  });

  it('an expired or not-yet-valid hop, another society, an untrusted root each give a reason', async () => {
    expect((await verifyDelegationChain([h1, h2, h3], { ...opts, now: T0 + 3601 })).failures.map((f) => [f.hop, f.kind])).toEqual([[1, 'validity'], [2, 'validity']]);
    expect((await verifyDelegationChain([h1], { ...opts, now: T0 - 1 })).failures.map((f) => f.kind)).toEqual(['validity']);
    expect((await verifyDelegationChain([h1, h2], { ...opts, society: 'society:other' })).failures.map((f) => [f.hop, f.kind])).toEqual([[0, 'society'], [1, 'society']]);
    const other = await issueDelegation(agent, { ...body(h2), societyId: undefined, permissions: ['read'] }, { parent: h1 });
    expect((await verifyDelegationChain([h1, other], opts)).valid).toBe(true);
    const alien = await handSign({ ...body(other), societyId: 'society:other' }, agent);
    expect((await verifyDelegationChain([h1, alien], opts)).reasons).toEqual(['hop[1]: societyId is not the verifier\'s society', 'hop[1]: societyId differs from the parent\'s']);
    expect((await verifyDelegationChain([h1], { ...opts, trustedRoots: [extra.did] })).failures.map((f) => f.kind)).toEqual(['untrusted-root']);
  });

  it('garbage gives reasons, never a throw; bad options are TypeErrors', async () => {
    for (const hops of [null, 'x', {}, [], [null], [{ payloadType: DELEGATION_HOP_PAYLOAD_TYPE, payload: 'e30=', signatures: [] }], [h1, 7]]) {
      const r = await verifyDelegationChain(hops, opts);
      expect(r.valid, JSON.stringify(hops)).toBe(false);
      expect(r.reasons.length).toBeGreaterThan(0);
    }
    const r = await verifyDelegationChain([h1, 7, h3], opts);
    expect(r.failures.map((f) => [f.hop, f.kind])).toEqual([[1, 'malformed'], [2, 'link']]);
    expect(r.hopIds).toEqual([delegationHopId(h1), null, delegationHopId(h3)]);
    await expect(verifyDelegationChain([h1], undefined as never)).rejects.toThrow(TypeError);
    await expect(verifyDelegationChain([h1], { society: SOCIETY } as never)).rejects.toThrow(TypeError);
    await expect(verifyDelegationChain([h1], { ...opts, isRevoked: 1 } as never)).rejects.toThrow(TypeError);
    await expect(verifyDelegationChain([h1], { ...opts, trustedRoots: 5 } as never)).rejects.toThrow(TypeError);
    await expect(verifyDelegationChain([h1], { ...opts, extra: 1 } as never)).rejects.toThrow(TypeError);
  });
});

describe('hop parsing', () => {
  it('parseDelegationHopBody refuses unknown and missing keys, wrong types, unsorted permissions, caps', () => {
    const good = body(h2);
    expect(parseDelegationHopBody(good)).toBe(good);
    const { depth: _, ...missing } = good;
    for (const bad of [
      null, [], { ...good, extra: 1 }, missing, { ...good, atpBudget: 1.5 }, { ...good, atpBudget: '5' }, { ...good, permissions: ['read', 'compute'] },
      { ...good, permissions: ['read', 'read'] }, { ...good, permissions: [''] }, { ...good, permissions: Array.from({ length: 65 }, (_, i) => `p${String(i).padStart(2, '0')}`) },
      { ...good, delegator: 'did:pqaid:XYZ' }, { ...good, parentHopId: null }, { ...good, parentHopId: 'ab' }, { ...good, depth: 0 },
      { ...good, delegationId: 'x'.repeat(257) }, { ...good, roleLct: 'a\nb' }, { ...good, validUntil: good.validFrom - 1 },
      { ...good, delegate: good.delegator },
    ]) {
      expect(() => parseDelegationHopBody(bad), JSON.stringify(bad)?.slice(0, 80)).toThrow(DelegationChainError);
    }
  });

  it('readDelegationHop refuses another payload type, non-canonical or oversized payloads', async () => {
    const text = utf8Decode(base64Decode(h1.payload));
    expect(parseStrict(text)).toEqual(body(h1));
    expect(() => readDelegationHop({ ...h1, payloadType: 'application/vnd.quorumkit.note+json;v=1' })).toThrow(DelegationChainError);
    expect(() => readDelegationHop({ ...h1, payload: base64Encode(utf8Encode(` ${text}`)) })).toThrow(/canonical/);
    expect(() => readDelegationHop({ ...h1, payload: base64Encode(new Uint8Array(20_000)) })).toThrow(/exceeds/);
    expect(() => delegationHopId('nope')).toThrow(DelegationChainError);
  });

  it('checkAttenuation lists every rule a child breaks', () => {
    const p = body(h1);
    expect(checkAttenuation(p, body(h2))).toEqual([]);
    const all = checkAttenuation(p, { ...p, permissions: ['zz'], atpBudget: 1e6, maxActionsPerHour: 1e6, validUntil: p.validUntil + 1, roleLct: 'x', depth: 1 });
    expect(all.map((v) => v.rule)).toEqual(['permissions', 'budget', 'rate', 'window', 'role', 'depth']);
    expect(checkAttenuation({ ...p, permissions: ['read'] }, { ...body(h2), permissions: ['read'] }).map((v) => v.rule)).toEqual(['delegate']);
  });
});
