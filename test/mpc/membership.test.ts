// Membership authorisations (membership.ts): an owner admits new custodians by did and abscissa for
// one program until an expiry; verifyMembership returns them only for a trusted owner's signature,
// the right program and an unexpired authorisation, and requireMember checks one custodian against
// them — every refusal a 403 ForbiddenError. authorizeMembers refuses bad input with typed errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { Identity } from '../../src/pq/identity.js';
import { authorizeMembers, MEMBERSHIP_PAYLOAD_TYPE, requireMember, verifyMembership } from '../../src/mpc/membership.js';

const P = 'ab'.repeat(32);
let owner: Identity;
let other: Identity;
beforeAll(async () => {
  owner = await Identity.create('owner', { level: 44 });
  other = await Identity.create('other', { level: 44 });
});

describe('membership authorisations', () => {
  it('admits exactly the named custodians, for the program, until it expires, signed by an owner', async () => {
    const now = Date.UTC(2026, 11, 1);
    const env = await authorizeMembers(owner, P, [{ did: other.did, x: 4n }, { did: owner.did, x: 5n }], { ttlSeconds: 60, nowMs: now });
    expect(env.payloadType).toBe(MEMBERSHIP_PAYLOAD_TYPE);
    expect(await verifyMembership(env, { owners: [owner.did], programId: P, nowMs: now + 59_000 })).toEqual([{ did: other.did, x: 4n }, { did: owner.did, x: 5n }]);
    await requireMember(env, { owners: [owner.did], programId: P, did: other.did, x: 4n, nowMs: now });
    const refused = [
      requireMember(env, { owners: [owner.did], programId: P, did: other.did, x: 5n, nowMs: now }), // another abscissa
      requireMember(env, { owners: [owner.did], programId: P, did: 'did:pqaid:nobody', x: 4n, nowMs: now }),
      verifyMembership(env, { owners: [other.did], programId: P, nowMs: now }), // not an owner's signature
      verifyMembership(env, { owners: [owner.did], programId: 'cd'.repeat(32), nowMs: now }),
      verifyMembership(env, { owners: [owner.did], programId: P, nowMs: now + 61_000 }), // expired
      verifyMembership(undefined, { owners: [owner.did], programId: P }),
      verifyMembership({ ...env, payload: env.payload.slice(0, -4) }, { owners: [owner.did], programId: P, nowMs: now }),
    ];
    for (const r of refused) await expect(r).rejects.toMatchObject({ code: 'ERR_FORBIDDEN', status: 403 });
  });

  it('authorizeMembers refuses bad input with typed errors', async () => {
    const bad: [string, unknown, unknown][] = [
      ['program id', 'xyz', [{ did: other.did, x: 4n }]],
      ['no members', P, []],
      ['a number x', P, [{ did: other.did, x: 4 }]],
      ['x = 0', P, [{ did: other.did, x: 0n }]],
      ['not a did', P, [{ did: 'alice', x: 4n }]],
      ['a repeated did', P, [{ did: other.did, x: 4n }, { did: other.did, x: 5n }]],
      ['a repeated x', P, [{ did: other.did, x: 4n }, { did: owner.did, x: 4n }]],
    ];
    for (const [what, id, members] of bad) await expect(authorizeMembers(owner, id as string, members as never), what).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(authorizeMembers(owner, P, [{ did: other.did, x: 4n }], { ttlSeconds: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(authorizeMembers(owner, P, [{ did: other.did, x: 4n }], { ttlSeconds: 86_401 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});
