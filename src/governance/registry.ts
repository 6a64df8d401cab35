// The node registry: who may vote and with what weight. Port of pqc-ai-governance `NodeRegistry`.
// Pure bookkeeping, no key material: a verifier can rebuild it from public member records.

import { checkString, checkWeight } from './_wire.js';
import { describeValue } from '../core/assert.js';
import { GovernanceError, UnknownNodeError } from './errors.js';
import type { GovernanceMember } from './node.js';

/**
 * Members by did. Registering a did twice is refused (remove it first) so a weight can never
 * change silently.
 * @example
 * const registry = new NodeRegistry();
 * registry.register(alice);
 * registry.totalWeight(); // 1
 */
export class NodeRegistry<M extends GovernanceMember = GovernanceMember> {
  readonly #members = new Map<string, M>();

  /**
   * Adds a member.
   * @throws GovernanceError when the did is already registered; TypeError/RangeError for a bad member.
   */
  register(node: M): void {
    if (node === null || typeof node !== 'object') throw new TypeError('"node" expected a GovernanceNode or member record');
    const bad = checkString('did', node.did, 512) ?? checkString('name', node.name, 128);
    if (bad !== null) throw new TypeError(bad);
    const badWeight = checkWeight('weight', node.weight);
    if (badWeight !== null) throw new RangeError(badWeight);
    if (this.#members.has(node.did)) throw new GovernanceError(`node ${node.did} is already registered`);
    if (this.totalWeight() + node.weight > Number.MAX_SAFE_INTEGER) throw new RangeError('"weight" would make the total weight exceed 2^53-1');
    this.#members.set(node.did, node);
  }

  /**
   * Removes a member and returns it.
   * @throws UnknownNodeError when the did is not registered.
   */
  remove(did: string): M {
    const node = this.get(did);
    this.#members.delete(did);
    return node;
  }

  /**
   * The member with this did.
   * @throws UnknownNodeError when the did is not registered; TypeError when `did` is not a string.
   */
  get(did: string): M {
    if (typeof did !== 'string') throw new TypeError(`"did" expected string, got ${describeValue(did)}`);
    const node = this.#members.get(did);
    if (node === undefined) throw new UnknownNodeError(did);
    return node;
  }

  /** True when `did` is registered. */
  isMember(did: string): boolean {
    return this.#members.has(did);
  }

  /** Sum of every member's weight. */
  totalWeight(): number {
    let total = 0;
    for (const m of this.#members.values()) total += m.weight;
    return total;
  }

  /** Every registered did, sorted (code-unit order). */
  listDids(): string[] {
    return [...this.#members.keys()].sort();
  }

  /** Number of members. */
  get size(): number {
    return this.#members.size;
  }

  /** Every member, in did order. */
  members(): M[] {
    return this.listDids().map((d) => this.#members.get(d)!);
  }

  /** Public member records `{ did, name, weight }` in did order. */
  toJSON(): GovernanceMember[] {
    return this.members().map((m) => ({ did: m.did, name: m.name, weight: m.weight }));
  }
}
