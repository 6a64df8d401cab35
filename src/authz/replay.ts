// Scenario replay: runs a file in the shape of the Web4 vectors' scenarios_orig.json (a list of
// { name, delegations, requests, with_credential, results? }) through the engine and answers the
// results in the same shape — how policy authors regression-test a law change (issue 11,
// `quorumkit authz replay`). Beyond the vectors' keys it takes, all optional: per delegation
// valid_from, valid_until, last_hour_reset (epoch s), atp_spent, actions_this_hour; per request `now`
// (the decision's clock, epoch s); per scenario `events` ({before_request, op: revoke_delegation |
// register_delegation, …}, applied in order, each reported with what it `returned`),
// `oracle_overrides` ({trust_score, illegal_actions}), `credential_lct`, `signature` (hex).
// `with_credential: true` is real: the tool makes a society issuer and an ML-DSA key per requester,
// issues an LCT credential (lct-credential.ts), signs the request (signed-request.ts) and verifies it.
// Browser-safe.

import { InvalidArgumentError } from '../core/errors.js';
import { fromHex } from '../core/bytes.js';
import { parseStrict } from '../core/parse-strict.js';
import { NonceCache } from '../http/replay-guard.js';
import { Identity } from '../pq/identity.js';
import { AgentDelegation, type AgentDelegationInit } from './delegation.js';
import { AuthorizationEngine, type AuthorizationStats } from './engine.js';
import { issueLctCredential, verifyLctCredential, type LctBinding } from './lct-credential.js';
import { LEGAL, type Law } from './law/types.js';
import { SEED_STUB_LAW } from './law/seed-stub.js';
import { signAuthorizationRequest, verifyAuthorizationRequest } from './signed-request.js';
import { constantTrust, SEED_STUB_TRUST } from './trust.js';
import type { AuthorizationResult } from './types.js';

/** Caps on a scenario file (every cost an input controls is capped). */
export const REPLAY_LIMITS = { scenarios: 1000, delegations: 1000, requests: 10_000, events: 1000, totalRequests: 100_000 } as const;

/** One result, in the vectors' shape plus `timestamp` and `decision_log_hash`. */
export interface ReplayResult {
  readonly decision: string;
  readonly denial_reason: string | null;
  readonly atp_remaining: number;
  readonly required_trust: number;
  readonly actual_trust: number;
  readonly requires_witness: boolean;
  readonly timestamp: number;
  readonly decision_log_hash: string;
  /** With `explain`: which check decided, and why. */
  readonly decided_by?: { readonly check: string; readonly why: string };
}

/** One replayed scenario. */
export interface ReplayedScenario {
  readonly name: string;
  readonly results: ReplayResult[];
  readonly events?: Record<string, unknown>[];
  readonly final_state: {
    readonly delegations: Record<string, { atp_spent: number; actions_this_hour: number; last_hour_reset: number }>;
    readonly stats: Record<string, Record<string, number>>;
  };
}

type Obj = Record<string, unknown>;
const DELEGATION_KEYS = ['delegation_id', 'client_lct', 'agent_lct', 'role_lct', 'granted_permissions', 'atp_budget', 'max_actions_per_hour', 'valid_from', 'valid_until', 'last_hour_reset', 'atp_spent', 'actions_this_hour'];
const REQUEST_KEYS = ['requester_lct', 'action', 'target_resource', 'atp_cost', 'context', 'delegation_id', 'now'];
const SCENARIO_KEYS = ['name', 'delegations', 'requests', 'with_credential', 'results', 'events', 'oracle_overrides', 'credential_lct', 'signature'];

function bad(where: string, what: string): never {
  throw new InvalidArgumentError(`scenario file: ${where}: ${what}`);
}
function obj(v: unknown, where: string, keys: readonly string[]): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) bad(where, 'expected an object');
  for (const k of Object.keys(v as Obj)) if (!keys.includes(k)) bad(where, `unknown field "${k}"`);
  return v as Obj;
}
function list(v: unknown, where: string, max: number): unknown[] {
  if (!Array.isArray(v)) bad(where, 'expected a list');
  if (v.length > max) bad(where, `at most ${max} items`);
  return v;
}
const opt = <T>(o: Obj, k: string, f: (v: unknown) => T): T | undefined => (o[k] === undefined || o[k] === null ? undefined : f(o[k]));
const num = (where: string) => (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : bad(where, 'expected a number'));

/** A delegation of the scenario file as an engine delegation. */
function delegationInit(v: unknown, where: string): AgentDelegationInit {
  const d = obj(v, where, DELEGATION_KEYS);
  return {
    delegationId: d['delegation_id'] as string,
    clientLct: d['client_lct'] as string,
    agentLct: d['agent_lct'] as string,
    roleLct: d['role_lct'] as string,
    grantedPermissions: list(d['granted_permissions'], `${where}.granted_permissions`, 64) as string[],
    atpBudget: d['atp_budget'] as number,
    ...(d['max_actions_per_hour'] != null ? { maxActionsPerHour: d['max_actions_per_hour'] as number } : {}),
    ...(d['valid_from'] != null ? { validFrom: num(`${where}.valid_from`)(d['valid_from']) } : {}),
    ...(d['valid_until'] != null ? { validUntil: num(`${where}.valid_until`)(d['valid_until']) } : {}),
    ...(d['last_hour_reset'] != null ? { lastHourReset: num(`${where}.last_hour_reset`)(d['last_hour_reset']) } : {}),
    ...(d['atp_spent'] != null ? { atpSpent: d['atp_spent'] as number } : {}),
    ...(d['actions_this_hour'] != null ? { actionsThisHour: d['actions_this_hour'] as number } : {}),
  };
}

/** Options of {@link replayScenarios}. */
export interface ReplayOptions {
  /** The law (default the seed's stub law). */
  readonly law?: Law;
  /** The clock when a request has no `now` (epoch seconds; default the system clock). */
  readonly clock?: () => number;
  /** Called after each scenario (progress). */
  readonly onScenario?: (name: string, index: number, total: number) => void;
  /** Add `decided_by: { check, why }` to every result (for `authz explain`). */
  readonly explain?: boolean;
}

/**
 * Parses a scenario file (text: read with parseStrict) and checks its shape, before anything runs.
 * @throws InvalidArgumentError naming the first malformed place; JSON errors from parseStrict.
 */
export function parseScenarioFile(input: string | unknown): Obj[] {
  const doc = typeof input === 'string' ? parseStrict(input) : input;
  const scenarios = list(doc, 'top level', REPLAY_LIMITS.scenarios).map((s, i) => obj(s, `scenarios[${i}]`, SCENARIO_KEYS));
  let total = 0;
  scenarios.forEach((s, i) => {
    const w = `scenarios[${i}]`;
    if (typeof s['name'] !== 'string' || s['name'].length === 0 || s['name'].length > 256) bad(w, '"name" expected a string of 1..256 characters');
    if (typeof s['with_credential'] !== 'boolean') bad(w, '"with_credential" expected true or false');
    const ds = list(s['delegations'] ?? [], `${w}.delegations`, REPLAY_LIMITS.delegations);
    ds.forEach((d, j) => new AgentDelegation(delegationInit(d, `${w}.delegations[${j}]`), 0));
    const rs = list(s['requests'], `${w}.requests`, REPLAY_LIMITS.requests);
    total += rs.length;
    if (total > REPLAY_LIMITS.totalRequests) bad(w, `more than ${REPLAY_LIMITS.totalRequests} requests in the file`);
    rs.forEach((r, j) => {
      const o = obj(r, `${w}.requests[${j}]`, REQUEST_KEYS);
      opt(o, 'now', num(`${w}.requests[${j}].now`));
      if (o['context'] !== undefined && (o['context'] === null || typeof o['context'] !== 'object' || Array.isArray(o['context']))) bad(`${w}.requests[${j}]`, '"context" expected an object');
    });
    list(s['events'] ?? [], `${w}.events`, REPLAY_LIMITS.events).forEach((e, j) => {
      const ev = obj(e, `${w}.events[${j}]`, ['before_request', 'op', 'delegation_id', 'delegation']);
      if (!Number.isSafeInteger(ev['before_request']) || (ev['before_request'] as number) < 0) bad(`${w}.events[${j}]`, '"before_request" expected a request index');
      if (ev['op'] === 'revoke_delegation') {
        if (typeof ev['delegation_id'] !== 'string') bad(`${w}.events[${j}]`, '"delegation_id" expected a string');
      } else if (ev['op'] === 'register_delegation') new AgentDelegation(delegationInit(ev['delegation'], `${w}.events[${j}].delegation`), 0);
      else bad(`${w}.events[${j}]`, '"op" expected "revoke_delegation" or "register_delegation"');
    });
    const ov = s['oracle_overrides'] === undefined ? undefined : obj(s['oracle_overrides'], `${w}.oracle_overrides`, ['trust_score', 'illegal_actions']);
    if (ov?.['trust_score'] !== undefined) constantTrust(ov['trust_score'] as number);
    if (ov?.['illegal_actions'] !== undefined) list(ov['illegal_actions'], `${w}.oracle_overrides.illegal_actions`, 64).forEach((a) => typeof a === 'string' || bad(w, 'illegal_actions expected strings'));
    if (s['credential_lct'] !== undefined && typeof s['credential_lct'] !== 'string') bad(w, '"credential_lct" expected a string');
    if (s['signature'] !== undefined && (typeof s['signature'] !== 'string' || !/^([0-9a-fA-F]{2}){0,8192}$/.test(s['signature']))) bad(w, '"signature" expected hex');
  });
  return scenarios;
}

const resultOf = (r: AuthorizationResult, explain = false): ReplayResult => ({
  decision: r.decision,
  denial_reason: r.denialReason,
  atp_remaining: r.atpRemaining,
  required_trust: r.requiredTrustScore,
  actual_trust: r.actualTrustScore,
  requires_witness: r.requiresWitness,
  timestamp: r.timestamp,
  decision_log_hash: r.decisionLogHash,
  ...(explain ? { decided_by: { check: r.decidedBy.check, why: r.decidedBy.why } } : {}),
});

const statsOf = (s: AuthorizationStats): Record<string, number> => {
  if (s.total === 0) return { total: 0 };
  return { total: s.total, granted: s.granted!, denied: s.denied!, deferred: s.deferred!, success_rate: s.successRate!, avg_trust_score: s.avgTrustScore!, total_atp_cost: s.totalAtpCost! };
};

/** A law that answers as `base` but rules `actions` illegal (oracle_overrides.illegal_actions). */
function withIllegal(base: Law, actions: readonly string[]): Law {
  const illegal = new Set(actions);
  return { version: base.version, rolePermissions: (r) => base.rolePermissions(r), checkLegality: (req) => (illegal.has(req.action) ? { ...LEGAL, legal: false, violation: `oracle override: "${req.action}" is illegal` } : base.checkLegality(req)) };
}

/**
 * Runs every scenario, each on a fresh engine for society `society:replay`.
 * @throws InvalidArgumentError for a malformed file (before anything runs).
 */
export async function replayScenarios(input: string | unknown, options: ReplayOptions = {}): Promise<ReplayedScenario[]> {
  const scenarios = parseScenarioFile(input);
  const clock = options.clock ?? ((): number => Date.now() / 1000);
  const society = 'society:replay';
  const issuer = await Identity.create('replay-society-issuer', { level: 44 });
  const keys = new Map<string, Identity>();
  const keyFor = async (lct: string): Promise<Identity> => {
    let k = keys.get(lct);
    if (k === undefined) keys.set(lct, (k = await Identity.create('replay-agent', { level: 44 })));
    return k;
  };
  const out: ReplayedScenario[] = [];
  for (let si = 0; si < scenarios.length; si++) {
    const s = scenarios[si]!;
    const ov = (s['oracle_overrides'] ?? {}) as Obj;
    const baseLaw = options.law ?? SEED_STUB_LAW;
    const law = ov['illegal_actions'] !== undefined ? withIllegal(baseLaw, ov['illegal_actions'] as string[]) : baseLaw;
    const requests = s['requests'] as Obj[];
    // Delegations registered up front take their default window from the first request's clock.
    let now = typeof requests[0]?.['now'] === 'number' ? (requests[0]['now'] as number) : clock();
    const engine = new AuthorizationEngine(society, {
      law,
      trust: ov['trust_score'] !== undefined ? constantTrust(ov['trust_score'] as number) : SEED_STUB_TRUST,
      clock: () => now,
      seedCompat: { bareSignatures: true, contextWitness: true },
    });
    for (const d of (s['delegations'] ?? []) as unknown[]) engine.registerDelegation(delegationInit(d, 'delegation'));
    const events = ((s['events'] ?? []) as Obj[]).map((e) => ({ ...e }));
    const bindings = new Map<string, LctBinding>();
    const nonces = new NonceCache();
    const results: ReplayResult[] = [];
    const runEvents = (i: number): void => {
      for (const e of events) {
        if (e['before_request'] !== i) continue;
        e['returned'] = e['op'] === 'revoke_delegation' ? engine.revokeDelegation(e['delegation_id'] as string) : (engine.registerDelegation(delegationInit(e['delegation'], 'event')), null);
      }
    };
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i]!;
      now = typeof r['now'] === 'number' ? r['now'] : clock();
      runEvents(i);
      const fields = { action: r['action'] as string, targetResource: r['target_resource'] as string, atpCost: r['atp_cost'] as number, context: (r['context'] ?? {}) as Obj, delegationId: (r['delegation_id'] ?? null) as string | null };
      const requester = r['requester_lct'] as string;
      if (s['with_credential'] === true) {
        const lct = (s['credential_lct'] as string | undefined) ?? requester;
        const holder = await keyFor(lct);
        if (!bindings.has(lct)) {
          const cred = await issueLctCredential(issuer, { societyId: society, lctId: lct, holder: holder.did, issuedAt: now - 60 });
          const v = await verifyLctCredential(cred, { societyId: society, trustedIssuers: [issuer.did], now });
          if (v.binding === null) throw new Error(`replay: issued LCT credential does not verify: ${v.reason}`);
          bindings.set(lct, v.binding);
        }
        const env = await signAuthorizationRequest(holder, society, fields, { now, requester });
        const verified = await verifyAuthorizationRequest(env, { societyId: society, now, nonces, bindings: (l) => bindings.get(l) });
        results.push(resultOf(engine.authorize(verified.request, { credential: verified.credential, now }), options.explain));
      } else {
        const sig = typeof s['signature'] === 'string' ? fromHex(s['signature'].toLowerCase()) : null;
        const request = { requesterLct: requester, ...fields, targetResource: fields.targetResource, timestamp: now };
        results.push(resultOf(engine.authorize(request, { signature: sig, now }), options.explain));
      }
    }
    runEvents(requests.length);
    const delegations: ReplayedScenario['final_state']['delegations'] = {};
    for (const id of engine.delegationIds()) {
      const d = engine.delegation(id)!;
      delegations[id] = { atp_spent: d.atpSpent, actions_this_hour: d.actionsThisHour, last_hour_reset: d.lastHourReset };
    }
    const stats: Record<string, Record<string, number>> = {};
    for (const req of requests) stats[req['requester_lct'] as string] ??= statsOf(engine.stats(req['requester_lct'] as string));
    out.push({ name: s['name'] as string, results, ...(events.length > 0 ? { events } : {}), final_state: { delegations, stats } });
    options.onScenario?.(s['name'] as string, si, scenarios.length);
  }
  return out;
}
