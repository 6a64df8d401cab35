// NodeRegistry and GovernanceNode basics.
import { beforeAll, describe, expect, it } from 'vitest';
import { GovernanceError, GovernanceNode, NodeRegistry, UnknownNodeError } from '../../src/governance/index.js';
import { Identity } from '../../src/pq/identity.js';
import { makeNode } from './_fixtures.js';

let a: GovernanceNode;
let b: GovernanceNode;
beforeAll(async () => {
  [a, b] = await Promise.all([makeNode('a', 3), makeNode('b')]);
});

describe('NodeRegistry', () => {
  it('register, get, isMember, totalWeight, listDids (sorted), size, remove', () => {
    const r = new NodeRegistry();
    r.register(a);
    r.register(b);
    expect(r.size).toBe(2);
    expect(r.totalWeight()).toBe(4);
    expect(r.listDids()).toEqual([a.did, b.did].sort());
    expect(r.get(a.did)).toBe(a);
    expect(r.isMember(b.did)).toBe(true);
    expect(r.toJSON().map((m) => m.weight).sort()).toEqual([1, 3]);
    expect(r.remove(a.did)).toBe(a);
    expect(r.isMember(a.did)).toBe(false);
    expect(r.totalWeight()).toBe(1);
  });

  it('unknown dids throw UnknownNodeError; duplicates and bad members are refused', () => {
    const r = new NodeRegistry();
    r.register(a);
    const e = (() => { try { r.get('did:pqaid:nobody'); } catch (err) { return err; } })() as UnknownNodeError;
    expect(e).toBeInstanceOf(UnknownNodeError);
    expect(e.code).toBe('ERR_UNKNOWN_NODE');
    expect(() => r.remove('did:pqaid:nobody')).toThrow(UnknownNodeError);
    expect(() => r.register(a)).toThrow(GovernanceError);
    expect(() => r.register({ did: 'x', name: 'x', weight: -1 })).toThrow(RangeError);
    expect(() => r.register({ did: '', name: 'x', weight: 1 })).toThrow(TypeError);
    expect(() => r.register(null as never)).toThrow(TypeError);
    expect(() => r.register({ did: 'big', name: 'big', weight: Number.MAX_SAFE_INTEGER })).toThrow(RangeError);
    expect(r.size).toBe(1);
  });

  it('accepts public member records (verifier side, no keys)', () => {
    const r = new NodeRegistry();
    r.register({ did: a.did, name: 'a', weight: 3 });
    expect(r.totalWeight()).toBe(3);
  });
});

describe('GovernanceNode', () => {
  it('exposes identity, name, weight, did; JSON has no key material', async () => {
    const id = await Identity.create('n', { level: 44 });
    const n = new GovernanceNode({ identity: id, name: 'n' });
    expect(n.weight).toBe(1);
    expect(n.did).toBe(id.did);
    const json = JSON.stringify(n);
    expect(JSON.parse(json)).toEqual({ name: 'n', did: id.did, weight: 1, alg: 'ML-DSA-44', publicKey: expect.any(String) });
    expect(Object.isFrozen(n)).toBe(true);
  });

  it('refuses bad options', async () => {
    const id = await Identity.create('n', { level: 44 });
    expect(() => new GovernanceNode({ identity: {} as never, name: 'n' })).toThrow(TypeError);
    expect(() => new GovernanceNode({ identity: id, name: '' })).toThrow(TypeError);
    expect(() => new GovernanceNode({ identity: id, name: 'n', weight: 1.5 })).toThrow(RangeError);
    expect(() => new GovernanceNode(undefined as never)).toThrow(TypeError);
  });
});
