// Fuzzing signed delegation chains (src/authz/chain): the hop body parser and the hop decoder on
// mutated bodies, mutated envelopes and any value return or throw DelegationChainError; the chain
// verifier returns a verdict with reasons for every input — mutated hops, hops shuffled among
// garbage, bodies changed and re-signed by the right key — and never throws. Laws checked:
// a chain with a mutated hop never verifies; a chain of genuine hops and garbage verifies exactly
// when it is a prefix of the genuine chain; a re-signed body verifies only when it parses, links and
// attenuates; the OrThrow variant throws only the three chain error classes.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { signEnvelope, type Envelope } from '../../src/envelope/index.js';
import { Identity } from '../../src/pq/identity.js';
import {
  DelegationAttenuationError, DelegationChainError, DelegationSignatureError, DELEGATION_HOP_PAYLOAD_TYPE, checkAttenuation,
  delegationHopId, issueDelegation, parseDelegationHopBody, readDelegationHop, verifyDelegationChain, verifyDelegationChainOrThrow,
  type DelegationHopBody,
} from '../../src/authz/index.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, jsonValue, mutateEnvelope, mutateValue, sameJson } from './_inputs.js';

const SOCIETY = 'society:fuzz';
const T0 = 1_733_011_200;
const OPTS = { society: SOCIETY, now: T0 + 60 };
const VERIFY_RUNS = fuzzRuns(1000);
const SIGN_RUNS = fuzzRuns(300);

let client: Identity;
let agent: Identity;
let sub: Identity;
let leaf: Identity;
let chain: Envelope[];
let bodies: DelegationHopBody[];

beforeAll(async () => {
  const make = (n: string): Promise<Identity> => Identity.create(n, { level: 44 });
  [client, agent, sub, leaf] = await Promise.all([make('client'), make('agent'), make('sub'), make('leaf')]);
  const h1 = await issueDelegation(client, {
    societyId: SOCIETY, delegationId: 'd1', delegate: agent.did, roleLct: 'role:researcher', permissions: ['read', 'write', 'compute', 'delegate'],
    atpBudget: 500, validFrom: T0, validUntil: T0 + 7200,
  });
  const h2 = await issueDelegation(agent, { delegationId: 'd2', delegate: sub.did, permissions: ['read', 'compute', 'delegate'], atpBudget: 100, maxActionsPerHour: 10 }, { parent: h1 });
  const h3 = await issueDelegation(sub, { delegationId: 'd3', delegate: leaf.did, permissions: ['read'], atpBudget: 10, maxActionsPerHour: 2 }, { parent: h2 });
  chain = [h1, h2, h3];
  bodies = chain.map((h) => readDelegationHop(h).body);
});

/** The verdict's own consistency: reasons match failures, and a valid verdict carries its delegation. */
function consistent(r: Awaited<ReturnType<typeof verifyDelegationChain>>): void {
  expect(r.reasons.length).toBe(r.failures.length);
  expect(r.valid).toBe(r.failures.length === 0);
  expect(r.delegation === null).toBe(!r.valid);
}

describe('delegation hop parsing under fuzzing', () => {
  it('parseDelegationHopBody returns a well-formed body or throws DelegationChainError', () => {
    fuzzSync('parseDelegationHopBody', fc.oneof(fc.constantFrom(0, 1, 2).chain((i) => mutateValue(bodies[i])), jsonValue({ hostile: true }), anyValue), (v) => {
      let b: DelegationHopBody;
      try {
        b = parseDelegationHopBody(v);
      } catch (e) {
        expect(e).toBeInstanceOf(DelegationChainError);
        throw e;
      }
      expect([...b.permissions].sort()).toEqual(b.permissions);
      expect(new Set(b.permissions).size).toBe(b.permissions.length);
      expect(b.depth >= 1 && b.depth <= 3 && (b.parentHopId === null) === (b.depth === 1)).toBe(true);
    }, fuzzRuns(3000));
  }, fuzzTimeout(3000));

  it('readDelegationHop on mutated envelopes and any value returns a hop whose id is its payload hash, or throws DelegationChainError', () => {
    fuzzSync('readDelegationHop', fc.oneof(fc.constantFrom(0, 1, 2).chain((i) => mutateEnvelope(chain[i]!, chain).map((m) => m.env)), anyValue), (v) => {
      try {
        const hop = readDelegationHop(v);
        expect(delegationHopId(v)).toBe(hop.hopId);
      } catch (e) {
        expect(e).toBeInstanceOf(DelegationChainError);
        throw e;
      }
    }, fuzzRuns(3000));
  }, fuzzTimeout(3000));
});

describe('delegation chain verification under fuzzing', () => {
  it('a chain with one mutated hop never verifies, and the verdict is a result, never a throw', async () => {
    const arb = fc.tuple(fc.constantFrom(1, 2, 3), fc.nat()).chain(([n, k]) => mutateEnvelope(chain[k % n]!, chain).map((m) => ({ n, at: k % n, m })));
    await fuzzAsync('verifyDelegationChain(mutated hop)', arb, async ({ n, at, m }) => {
      const hops: unknown[] = chain.slice(0, n);
      hops[at] = m.env;
      const r = await verifyDelegationChain(hops, OPTS);
      consistent(r);
      if (!sameJson(m.env, chain[at])) expect(r.valid, m.what).toBe(false);
    }, VERIFY_RUNS);
  }, fuzzTimeout(VERIFY_RUNS, 30));

  it('genuine hops among garbage verify exactly when they form a prefix of the genuine chain', async () => {
    const item = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0, 1, 2) }, { weight: 1, arbitrary: anyValue.map((v) => ({ garbage: v })) });
    await fuzzAsync('verifyDelegationChain(shuffled)', fc.oneof(fc.array(item, { maxLength: 5 }), anyValue.map((v) => ({ whole: v }))), async (input, tally) => {
      const isWhole = !Array.isArray(input);
      const hops = isWhole ? (input as { whole: unknown }).whole : input.map((x) => (typeof x === 'number' ? chain[x] : x.garbage));
      const r = await verifyDelegationChain(hops, OPTS);
      consistent(r);
      const prefix = !isWhole && input.length > 0 && input.length <= 3 && input.every((x, i) => x === i);
      expect(r.valid).toBe(prefix);
      if (r.valid) tally.note('valid chains');
      if (prefix) expect(r.hopIds).toEqual(chain.slice(0, input.length).map(delegationHopId));
    }, VERIFY_RUNS);
  }, fuzzTimeout(VERIFY_RUNS, 30));

  it('a changed hop body re-signed by its delegator verifies only when it parses, links and attenuates', async () => {
    const signers = (): Identity[] => [client, agent, sub];
    const arb = fc.tuple(fc.constantFrom(1, 2), fc.constantFrom(0, 1)).chain(([at, gen]) => (gen === 0 ? mutateValue(bodies[at]) : fc.record({
      ...Object.fromEntries(Object.entries(bodies[at]!).map(([k, v]) => [k, fc.constant(v)])),
      permissions: fc.subarray(['compute', 'delete', 'read', 'write']),
      atpBudget: fc.nat({ max: 600 }), maxActionsPerHour: fc.nat({ max: 120 }),
      validFrom: fc.integer({ min: T0 - 5, max: T0 + 5 }), validUntil: fc.integer({ min: T0 + 7190, max: T0 + 7210 }),
    })).map((b) => ({ at, b })));
    await fuzzAsync('verifyDelegationChain(re-signed hop)', arb, async ({ at, b }, tally) => {
      let env: Envelope;
      try {
        env = await signEnvelope(b, DELEGATION_HOP_PAYLOAD_TYPE, [signers()[at]!]);
      } catch {
        return; // not I-JSON: nothing to sign
      }
      const hops = [...chain.slice(0, at), env];
      const r = await verifyDelegationChain(hops, OPTS);
      consistent(r);
      let expected: boolean;
      try {
        const body = parseDelegationHopBody(b);
        const parent = bodies[at - 1]!;
        expected = checkAttenuation(parent, body).length === 0 && body.delegator === parent.delegate && body.parentHopId === delegationHopId(chain[at - 1]!)
          && body.societyId === SOCIETY && body.validFrom <= OPTS.now && OPTS.now <= body.validUntil && body.delegationId !== 'd1' && (at === 1 || body.delegationId !== 'd2');
      } catch {
        expected = false;
      }
      expect(r.valid, r.reasons.join('; ')).toBe(expected);
      tally.note(expected ? 'verified' : 'refused');
      const err = await verifyDelegationChainOrThrow(hops, OPTS).then(() => null, (e: unknown) => e);
      if (expected) expect(err).toBeNull();
      else expect([DelegationChainError, DelegationAttenuationError, DelegationSignatureError].some((C) => err instanceof C), String(err)).toBe(true);
    }, SIGN_RUNS);
  }, fuzzTimeout(SIGN_RUNS, 60));
});
