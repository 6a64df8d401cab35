// sameGenesis (canonical comparison of genesis files) and GovernanceAuditTrail (audit events →
// RFC 8785 entries in a transparency log, one signed checkpoint per non-empty batch).
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode } from '../../src/core/bytes.js';
import { canonicalize } from '../../src/core/canonical-json.js';
import { fixedClock } from '../../src/core/clock.js';
import { GovernanceAuditLog, GovernanceNode, GovernanceProposal } from '../../src/governance/index.js';
import { GovernanceAuditTrail, createGenesis, sameGenesis, type GenesisFile } from '../../src/governance/server/index.js';
import { TransparencyLog, leafHash, verifyCheckpoint, verifyInclusion } from '../../src/log/index.js';
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

describe('sameGenesis', () => {
  it('true for the same file, a JSON round trip, and any key order', () => {
    const g = net.genesis;
    expect(sameGenesis(g, g)).toBe(true);
    expect(sameGenesis(g, JSON.parse(JSON.stringify(g)) as GenesisFile)).toBe(true);
    const r = reverseKeys(g) as GenesisFile;
    expect(JSON.stringify(r)).not.toBe(JSON.stringify(g));
    expect(sameGenesis(g, r)).toBe(true);
  });

  it('false for any member, weight, order or policy difference', () => {
    const g = net.genesis;
    const clone = (): { genesis: Record<string, unknown>[] } & Record<string, unknown> => JSON.parse(JSON.stringify(g));
    const weight = clone();
    weight.genesis[0]!['weight'] = 7;
    const name = clone();
    name.genesis[1]!['name'] = 'mallory';
    const dropped = clone();
    dropped.genesis.pop();
    const swapped = clone();
    swapped.genesis.reverse(); // member order is part of the file (sorted by did)
    const policy = clone();
    policy['policy'] = { ...g.policy, minApproval: { numerator: 3, denominator: 4 } };
    for (const other of [weight, name, dropped, swapped, policy]) expect(sameGenesis(g, other as unknown as GenesisFile)).toBe(false);
    const members = g.genesis.map((m) => ({ ...m }));
    expect(sameGenesis(createGenesis(members), createGenesis(members))).toBe(true);
    expect(sameGenesis(createGenesis(members), createGenesis(members, { minApproval: { numerator: 3, denominator: 4 } }))).toBe(false);
    expect(sameGenesis(g, {} as GenesisFile)).toBe(false);
  });
});

describe('GovernanceAuditTrail', () => {
  it('originFor: quorumkit/governance/ + the first 16 hex digits of the did', () => {
    const did = net.ids[0]!.did;
    expect(GovernanceAuditTrail.originFor(did)).toBe(`quorumkit/governance/${did.slice('did:pqaid:'.length, 'did:pqaid:'.length + 16)}`);
    expect(GovernanceAuditTrail.originFor(did)).toMatch(/^quorumkit\/governance\/[0-9a-f]{16}$/);
  });

  it('commit appends canonical entries, returns a receipt with a verifying checkpoint; empty batch is a no-op', async () => {
    const id = net.ids[0]!;
    const origin = GovernanceAuditTrail.originFor(id.did);
    const log = TransparencyLog.open(':memory:', { origin, clock: fixedClock('2026-04-20T12:00:00Z') });
    const trail = new GovernanceAuditTrail(log, id);
    expect(trail.log).toBe(log);
    expect(await trail.commit([])).toBeNull();
    expect(log.size).toBe(0);
    expect(log.latestCheckpoint()).toBeNull();
    expect(trail.recent()).toEqual([]);

    const node = new GovernanceNode({ identity: id, name: id.name });
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:model-audit', 'audit', node.did);
    await node.signProposal(p);
    const audit = new GovernanceAuditLog({ clock: fixedClock('2026-04-20T12:00:00Z') });
    const e1 = audit.logProposalCreated(p);
    const e2 = audit.logVoteCast(await node.castVote(p, 'approve'));
    const e3 = audit.logNodeAdded(net.ids[1]!.did, 'bob', 1);

    const r1 = (await trail.commit([e1, e2]))!;
    expect(r1.firstIndex).toBe(0);
    expect(r1.count).toBe(2);
    const r2 = (await trail.commit([e3]))!;
    expect(r2).toMatchObject({ firstIndex: 2, count: 1 });
    expect(log.size).toBe(3);

    // Entries are the RFC 8785 bytes of the events and read back equal.
    expect(log.entry(1)).toEqual(utf8Encode(canonicalize(e2)));
    expect(trail.entry(0)).toEqual(e1);
    expect(trail.entry(2)).toEqual(e3);
    expect(() => trail.entry(3)).toThrow(RangeError);
    expect(() => trail.entry(-1)).toThrow(RangeError);

    // Each receipt's checkpoint is signed by the node, names the origin and commits to the entries.
    for (const [r, size] of [[r1, 2], [r2, 3]] as const) {
      const v = await verifyCheckpoint(r.checkpoint, { trusted: [id.did], origin });
      expect(v.valid, v.reasons.join('; ')).toBe(true);
      expect(v.checkpoint!.treeSize).toBe(size);
      for (let i = 0; i < size; i++) expect(verifyInclusion(leafHash(log.entry(i)), i, size, log.inclusionProof(i, size), v.root!)).toBe(true);
    }
    expect(log.latestCheckpoint()).toEqual(r2.checkpoint);
    expect((await verifyCheckpoint(r2.checkpoint, { trusted: [net.ids[1]!.did] })).valid).toBe(false);

    // recent: newest first, bounded by limit.
    expect(trail.recent().map((x) => x.index)).toEqual([2, 1, 0]);
    expect(trail.recent(2)).toEqual([{ index: 2, entry: e3 }, { index: 1, entry: e2 }]);
    expect(trail.recent(0)).toEqual([]);
    log.close();
  });
});
