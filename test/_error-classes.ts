// Every QuorumkitError class the package exports, found by walking each domain's index (so a new
// class is covered without editing this file), with a way to build one of each.
import * as attestation from '../src/attestation/index.js';
import * as attestationNode from '../src/attestation/node/index.js';
import * as authz from '../src/authz/index.js';
import * as core from '../src/core/index.js';
import * as envelope from '../src/envelope/index.js';
import * as field from '../src/field/index.js';
import * as governance from '../src/governance/index.js';
import * as http from '../src/http/index.js';
import * as mpc from '../src/mpc/index.js';
import * as pq from '../src/pq/index.js';
import * as tee from '../src/tee/index.js';
import * as teeNode from '../src/tee/node/index.js';
import * as wasm from '../src/wasm/index.js';
import type { ByzantineEvidence } from '../src/governance/index.js';

/** A QuorumkitError class: its statics plus some constructor. */
export type ErrorClass = typeof core.QuorumkitError;

const DOMAINS = { attestation, attestationNode, authz, core, envelope, field, governance, http, mpc, pq, tee, teeNode, wasm } as const;

/** `[domain, exported name, class]` for every exported subclass of QuorumkitError (not the base). */
export const ERROR_CLASSES: readonly (readonly [string, string, ErrorClass])[] = Object.entries(DOMAINS).flatMap(([domain, mod]) =>
  Object.entries(mod)
    .filter(([, v]) => typeof v === 'function' && v.prototype instanceof core.QuorumkitError)
    .map(([name, v]) => [domain, name, v as ErrorClass] as const),
);

/** Fake (unsigned) evidence: enough for the error's message and wire form. */
export const FAKE_EVIDENCE = {
  voterDid: 'did:pqaid:eve',
  proposalId: 'p1',
  proposalHash: 'h1',
  first: { vote: { decision: 'approve' }, envelope: { payloadType: 't', payload: 'YQ==', signatures: [] } },
  second: { vote: { decision: 'reject' }, envelope: { payloadType: 't', payload: 'Yg==', signatures: [] } },
} as unknown as ByzantineEvidence;

/** One instance of `C` whose message is `message` where its constructor takes one. */
export function makeError(C: ErrorClass, message: string, details?: Record<string, core.JsonValue>): core.QuorumkitError {
  const options = details === undefined ? undefined : { details };
  if (C === (governance.UnknownNodeError as unknown)) return new governance.UnknownNodeError(message);
  if (C === (governance.ByzantineDetectedError as unknown)) return new governance.ByzantineDetectedError(FAKE_EVIDENCE);
  if (C === (governance.RegistryTransitionError as unknown)) return new governance.RegistryTransitionError('duplicate', message, options);
  if (C === (http.ServiceCallError as unknown)) return new http.ServiceCallError('ERR_FROM_PEER', message, 500, 'peer-rid', details);
  return new C(message, options);
}
