// Fuzzing the authorization wire parsers: request bodies (parseRequestBody), scenario files
// (parseScenarioFile), and signed requests / LCT credentials through their verifiers — mutated
// valid documents and garbage give a value, a verdict or a typed error, never another throw.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Identity } from '../../src/pq/identity.js';
import { issueLctCredential, parseRequestBody, parseScenarioFile, signAuthorizationRequest, verifyAuthorizationRequest, verifyLctCredential } from '../../src/authz/index.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { jsonValue, mutateValue } from './_inputs.js';

const T0 = 1_733_011_200;
const body = { type: 'authz.request', society: 's', requester: 'lct:a', action: 'read', target: 't', atp_cost: 1, context: { trust_context: 'x', witness_attestation: 'w' }, delegation_id: 'd', timestamp: T0, nonce: '0'.repeat(32) };
const scenario = [{ name: 'n', with_credential: true, delegations: [{ delegation_id: 'd', client_lct: 'c', agent_lct: 'a', role_lct: 'role:researcher', granted_permissions: ['read'], atp_budget: 10, valid_from: T0 }], requests: [{ requester_lct: 'a', action: 'read', target_resource: 't', atp_cost: 1, context: {}, delegation_id: 'd', now: T0 }], events: [{ before_request: 0, op: 'revoke_delegation', delegation_id: 'd' }], oracle_overrides: { trust_score: 0.5, illegal_actions: ['x'] } }];

let agent: Identity;
beforeAll(async () => { agent = await Identity.create('fuzz-agent', { level: 44 }); });

describe('authorization wire parsers under fuzzing', () => {
  it('parseRequestBody: a request or InvalidArgumentError', () => {
    fuzzSync('parseRequestBody', fc.oneof(mutateValue(body), jsonValue({ hostile: true })), (v) => {
      expect(parseRequestBody(v).request.requesterLct.length).toBeGreaterThan(0);
    }, fuzzRuns(3000));
  }, fuzzTimeout(3000, 5));

  it('parseScenarioFile: scenarios or a typed error', () => {
    fuzzSync('parseScenarioFile', fc.oneof(mutateValue(scenario), jsonValue({ hostile: true }), fc.string({ maxLength: 60 })), (v) => {
      expect(Array.isArray(parseScenarioFile(v))).toBe(true);
    }, fuzzRuns(3000));
  }, fuzzTimeout(3000, 5));

  it('verifyAuthorizationRequest / verifyLctCredential: mutated envelopes give a verdict or a typed error', async () => {
    const env = await signAuthorizationRequest(agent, 's', { action: 'read', targetResource: 't', atpCost: 1 }, { now: T0 });
    const cred = await issueLctCredential(agent, { societyId: 's', lctId: 'lct:a', holder: agent.did, issuedAt: T0 });
    await fuzzAsync('verifyAuthorizationRequest', fc.oneof(mutateValue(env), jsonValue({ hostile: true })), async (v) => {
      const r = await verifyAuthorizationRequest(v, { societyId: 's', now: T0 });
      expect(r.signer).toBe(agent.did);
    }, fuzzRuns(300));
    await fuzzAsync('verifyLctCredential', fc.oneof(mutateValue(cred), jsonValue({ hostile: true })), async (v) => {
      const r = await verifyLctCredential(v, { societyId: 's', trustedIssuers: [agent.did], now: T0 });
      expect(r.binding === null).toBe(r.reason !== null);
    }, fuzzRuns(300));
  }, fuzzTimeout(600, 30));
});
