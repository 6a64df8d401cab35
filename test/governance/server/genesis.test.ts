// Genesis files: parsed strictly (garbage, duplicate members, a key that is not its did's →
// ERR_INVALID_ARGUMENT), and compared canonically (`sameGenesis`: key order never matters, any
// member, weight, order or policy difference does).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseStrict } from '../../../src/core/parse-strict.js';
import { createGenesis, parseGenesis, sameGenesis, type GenesisFile } from '../../../src/governance/server/index.js';
import { makeNet, type Net } from './_nodes.js';

let net: Net;
beforeAll(async () => {
  net = await makeNet();
});

/** The same JSON value with every object's keys in reverse order. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
  return v;
}

const clone = (g: GenesisFile): { genesis: Record<string, unknown>[] } & Record<string, unknown> => parseStrict(JSON.stringify(g)) as never;

describe('parseGenesis', () => {
  it('parses a genesis strictly: garbage, a repeated member, a key that is not its did → ERR_INVALID_ARGUMENT', async () => {
    await expect(parseGenesis({})).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(parseGenesis({ ...net.genesis, genesis: [...net.genesis.genesis, net.genesis.genesis[0]] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(parseGenesis({ ...net.genesis, genesis: [{ ...net.genesis.genesis[0]!, did: net.genesis.genesis[1]!.did }] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect((await parseGenesis(clone(net.genesis))).history.totalWeightAt()).toBe(6);
  });

  it('any JSON value that is not a genesis → ERR_INVALID_ARGUMENT, never another error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        await expect(parseGenesis(v)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      }),
      { numRuns: 100 },
    );
  });
});

describe('sameGenesis', () => {
  it('true for the same file, a JSON round trip, and any key order', () => {
    const g = net.genesis;
    expect(sameGenesis(g, g)).toBe(true);
    expect(sameGenesis(g, clone(g) as unknown as GenesisFile)).toBe(true);
    const r = reverseKeys(g) as GenesisFile;
    expect(JSON.stringify(r)).not.toBe(JSON.stringify(g));
    expect(sameGenesis(g, r)).toBe(true);
  });

  it('false for any member, weight, order or policy difference', () => {
    const g = net.genesis;
    const weight = clone(g);
    weight.genesis[0]!['weight'] = 7;
    const name = clone(g);
    name.genesis[1]!['name'] = 'mallory';
    const dropped = clone(g);
    dropped.genesis.pop();
    const swapped = clone(g);
    swapped.genesis.reverse(); // member order is part of the file (sorted by did)
    const policy = clone(g);
    policy['policy'] = { ...g.policy, minApproval: { numerator: 3, denominator: 4 } };
    for (const other of [weight, name, dropped, swapped, policy]) expect(sameGenesis(g, other as unknown as GenesisFile)).toBe(false);
    const members = g.genesis.map((m) => ({ ...m }));
    expect(sameGenesis(createGenesis(members), createGenesis(members))).toBe(true);
    expect(sameGenesis(createGenesis(members), createGenesis(members, { minApproval: { numerator: 3, denominator: 4 } }))).toBe(false);
    expect(sameGenesis(g, {} as GenesisFile)).toBe(false);
  });
});
