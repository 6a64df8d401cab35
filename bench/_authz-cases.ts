// The authorization bench's workload (bench/authz.ts, test/bench/authz-bench.test.ts): one
// representative policy expressed twice — for the quorumkit AuthorizationEngine (delegations, a trust
// table, and a law: the seed's stub law, or a LawOracle over the upstream default norms and
// procedures with the same two roles bound) and as the equivalent Cedar policy set for
// @cedar-policy/cedar-wasm — and a deterministic mix of requests both engines decide.
//
// The policy. Four ML-DSA-44 agents (did:pqaid), each under a delegation from a human client:
//   A  role:researcher, read/write/compute, a budget that cannot run out, trust 0.75
//   B  role:auditor    (the stub law's "any other role": read only, trust ≥ 0.7, ≤ 10 ATP, witness), trust 0.75
//   C  role:researcher, its budget nearly spent (5 ATP left), trust 0.75
//   D  role:researcher, trust 0.4 (below the role's 0.5)
// The mix, per 100 requests: 66 granted (A), 8 actions the delegation does not grant (A: delete,
// delegate), 5 over the role's 500 ATP per action (A), 7 over the delegation's budget (C), 7 deferred
// for a witness (B), 4 granted with one witness (B), 3 insufficient trust (D).
//
// The Cedar side is how a Cedar deployment would carry the same facts: the delegation (with its live
// counters atp_spent and actions_this_hour, kept up to date by the application after every Allow, as
// the engine updates its own) and its role, and in the request context the trust score the
// application's trust oracle computed, the ATP cost, the clock and the witness count. Two request
// shapes, both measured: `entities` — the delegation and role are entities in the request's entity
// data, the context refers to the delegation — and `context` — the same attributes as records in the
// context, no entity data (less for cedar-wasm to convert per call). One permit (the delegation is
// held by the principal) and one forbid per check, each keyed by the check it stands for, so Cedar's
// diagnostics name which checks failed. The policy set is preparsed once (preparsePolicySet) and
// every decision goes through statefulIsAuthorized — cedar-wasm's fastest path; the per-request call
// objects are built before timing (only the counters change, in place). Cedar has no floats: trust
// scores are `decimal`s.

import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import {
  AuthorizationEngine, defaultLawDocument, LawOracle, SEED_STUB_LAW, tableTrust, verifyAuthorizationRequest, signAuthorizationRequest,
  type AuthorizationRequest, type AuthorizationResult, type AuthorizeOptions, type Law, type LctCredential,
} from 'quorumkit/authz';
import { Identity } from 'quorumkit/pq';

/** The society of the bench policy. */
export const SOCIETY = 'society:bench';
/** The bench clock: 2024-12-01T00:00:00Z (epoch seconds); request i is at T0 + (i mod 1000). */
export const T0 = 1_733_011_200;
/** The Cedar policy sets' preparse id prefix (one set per law). */
export const CEDAR_POLICY_SET_ID = 'quorumkit-bench-authz';

/** The Cedar policy set equivalent to the engine's checks under the bench's law (seed order, one forbid per check). */
export const CEDAR_POLICIES = `
@id("delegation_held")
permit (principal, action, resource)
when { context.delegation.agent == principal };

@id("delegation_valid")
forbid (principal, action, resource)
when { context.now < context.delegation.valid_from || context.delegation.valid_until < context.now };

@id("action_permitted")
forbid (principal, action, resource)
unless { context.delegation.permissions.contains(action) };

@id("atp_budget")
forbid (principal, action, resource)
when { context.delegation.atp_spent + context.atp_cost > context.delegation.atp_budget };

@id("hourly_rate")
forbid (principal, action, resource)
when { context.delegation.actions_this_hour >= context.delegation.max_actions_per_hour };

@id("role_permissions")
forbid (principal, action, resource)
unless { context.delegation.role.actions.contains(action) };

@id("trust")
forbid (principal, action, resource)
when { context.trust.lessThan(context.delegation.role.trust_threshold) };

@id("role_max_atp")
forbid (principal, action, resource)
when { context.atp_cost > context.delegation.role.max_atp_per_action };

@id("witness")
forbid (principal, action, resource)
when { (context.delegation.role.requires_witness || context.trust.lessThan(decimal("0.6"))) && context.witnesses < 1 };
`;

/**
 * The Cedar policies the LawOracle law adds (its upstream default norms and procedures — defaults.ts —
 * over the bench's roles): ALLOW read/write/compute (default deny), LIMIT atp_cost ≤ 1000, and
 * PROC-HIGH-VALUE / REQUIRE-WITNESS-HIGH-ATP: atp_cost > 500 needs two witnesses. (LIMIT-STORAGE
 * reads resource.storage, which no bench request carries, so it never applies; DENY-DELETE-UNWITNESSED
 * and PROC-DELETE only concern `delete`, which no ALLOW permits.)
 */
export const CEDAR_LAW_ORACLE_POLICIES = `
@id("law_allow")
forbid (principal, action, resource)
unless { [Action::"read", Action::"write", Action::"compute"].contains(action) };

@id("law_limit_atp")
forbid (principal, action, resource)
when { context.atp_cost > 1000 };

@id("law_high_value_witnesses")
forbid (principal, action, resource)
when { context.atp_cost > 500 && context.witnesses < 2 };
`;

/** The laws the bench runs the mix under. */
export type LawName = 'seed-stub' | 'law-oracle';
/** The laws, in report order. */
export const LAWS: readonly LawName[] = ['seed-stub', 'law-oracle'];

/** The engine's check (AuthorizationResult.decidedBy.check) each Cedar forbid stands for. */
const FORBID_CHECK: Record<string, string> = {
  delegation_valid: 'delegation_valid',
  action_permitted: 'action_permitted',
  atp_budget: 'atp_budget',
  hourly_rate: 'hourly_rate',
  role_permissions: 'role_permissions',
  trust: 'trust',
  role_max_atp: 'role_max_atp',
  witness: 'witness',
  law_allow: 'law',
  law_limit_atp: 'law',
  law_high_value_witnesses: 'witness',
};

/**
 * The law named `name`: the seed's stub law, or a LawOracle over the upstream default law document
 * with the stub's two roles bound exactly (same actions, limits, trust thresholds, witness rule and
 * max ATP per action), so both laws give every bench request the same decision.
 */
export function benchLaw(name: LawName): Law {
  if (name === 'seed-stub') return SEED_STUB_LAW;
  const role = (id: string): { role: string; actions: string[]; resourceLimits: Record<string, number>; trustThreshold: number; requiresWitness: boolean; maxAtpPerAction: number } => {
    const p = SEED_STUB_LAW.rolePermissions(id)!;
    return { role: id, actions: [...p.allowedActions], resourceLimits: { ...p.resourceLimits }, trustThreshold: p.trustThreshold, requiresWitness: p.requiresWitness, maxAtpPerAction: p.maxAtpPerAction };
  };
  return new LawOracle({ ...defaultLawDocument(SOCIETY), roles: [role('role:researcher'), role('role:auditor')] });
}

interface AgentSpec {
  readonly key: 'A' | 'B' | 'C' | 'D';
  readonly role: string;
  readonly permissions: readonly string[];
  readonly atpBudget: number;
  readonly atpSpent: number;
  readonly trust: number;
}

/** A budget no bench run exhausts (≈ 10^15 ATP; Cedar Longs are 64-bit, so spent + cost never overflows). */
const ENDLESS_BUDGET = 1_000_000_000_000_000;
const AGENTS: readonly AgentSpec[] = [
  { key: 'A', role: 'role:researcher', permissions: ['read', 'write', 'compute'], atpBudget: ENDLESS_BUDGET, atpSpent: 0, trust: 0.75 },
  { key: 'B', role: 'role:auditor', permissions: ['read'], atpBudget: ENDLESS_BUDGET, atpSpent: 0, trust: 0.75 },
  { key: 'C', role: 'role:researcher', permissions: ['read', 'write', 'compute'], atpBudget: 1000, atpSpent: 995, trust: 0.75 },
  { key: 'D', role: 'role:researcher', permissions: ['read', 'write', 'compute'], atpBudget: ENDLESS_BUDGET, atpSpent: 0, trust: 0.4 },
];
/** Hourly rate: high enough never to bind in a run (the check still runs every time). */
const MAX_ACTIONS_PER_HOUR = 1_000_000_000_000;

/** What the mix asks for, per 100 requests, and what the engine should answer. */
export const MIX: ReadonlyArray<{ readonly kind: string; readonly per100: number }> = [
  { kind: 'granted', per100: 66 },
  { kind: 'action not permitted', per100: 8 },
  { kind: 'over the role max per action', per100: 5 },
  { kind: 'over budget', per100: 7 },
  { kind: 'deferred for a witness', per100: 7 },
  { kind: 'granted with a witness', per100: 4 },
  { kind: 'insufficient trust', per100: 3 },
];

/** How the Cedar request carries the delegation and its role. */
export type CedarShape = 'entities' | 'context';
/** The Cedar shapes, in report order. */
export const CEDAR_SHAPES: readonly CedarShape[] = ['entities', 'context'];

/** One Cedar request: the cedar-wasm call and the delegation's live attributes it reads. */
export interface CedarRequest {
  readonly call: cedar.StatefulAuthorizationCall;
  /** The delegation's live Cedar attributes (the application's state store). */
  readonly state: Record<string, cedar.CedarValueJson>;
}

/** One bench request, prepared for both engines. */
export interface BenchRequest {
  readonly kind: string;
  readonly request: AuthorizationRequest;
  readonly options: AuthorizeOptions;
  /**
   * The Cedar request in two shapes a deployment might use: `entities` — the delegation and its role
   * are entities in the request's entity data, the context refers to the delegation; `context` — the
   * same attributes as records in the context, no entity data (less for Cedar to parse per call).
   */
  readonly cedar: Readonly<Record<CedarShape, CedarRequest>>;
}

/** The bench's agents, their credentials and requests. */
export interface Workload {
  readonly requests: readonly BenchRequest[];
  /** A fresh engine with the bench's delegations and trust table (counters at their starting values). */
  engine(options?: { onDecision?: (r: AuthorizationResult) => void }): AuthorizationEngine;
  /** Resets the Cedar side's live counters to their starting values. */
  resetCedar(): void;
  /** The agents' identities (for signed-request cases). */
  readonly identities: Readonly<Record<string, Identity>>;
}

/** Deterministic PRNG (mulberry32), so every run decides the same requests. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const decimal = (x: number): cedar.CedarValueJson => ({ __extn: { fn: 'decimal', arg: x.toFixed(4) } });
const uid = (type: string, id: string): { __entity: { type: string; id: string } } => ({ __entity: { type, id } });

/** The role entity a Cedar deployment keeps for the stub law's role `role`. */
function cedarRole(law: Law, role: string): cedar.EntityJson {
  const p = law.rolePermissions(role)!;
  return {
    uid: { type: 'Role', id: role },
    attrs: {
      actions: [...p.allowedActions].map((a) => uid('Action', a)),
      trust_threshold: decimal(p.trustThreshold),
      max_atp_per_action: p.maxAtpPerAction,
      requires_witness: p.requiresWitness,
    },
    parents: [],
  };
}

/**
 * Builds the workload: `n` requests (default 1000) in the {@link MIX} proportions, shuffled, and the
 * agents' verified ML-DSA credentials (each from a signed request through verifyAuthorizationRequest).
 * Preparses the Cedar policy set.
 * @throws Error when Cedar does not accept the policy set.
 */
export async function buildWorkload(n = 1000, lawName: LawName = 'seed-stub'): Promise<Workload> {
  const law = benchLaw(lawName);
  const policySetId = `${CEDAR_POLICY_SET_ID}:${lawName}`;
  // Keyed by each policy's @id, so Cedar's diagnostics name the checks.
  const text = lawName === 'seed-stub' ? CEDAR_POLICIES : CEDAR_POLICIES + CEDAR_LAW_ORACLE_POLICIES;
  const policies = Object.fromEntries(text.split(/\n(?=@id)/).filter((p) => p.trim() !== '').map((p) => [/@id\("([^"]+)"\)/.exec(p)![1]!, p.trim()]));
  const parsed = cedar.preparsePolicySet(policySetId, { staticPolicies: policies });
  if (parsed.type !== 'success') throw new Error(`Cedar rejected the policy set: ${JSON.stringify(parsed.errors)}`);

  const identities: Record<string, Identity> = {};
  const credentials: Record<string, LctCredential> = {};
  for (const a of AGENTS) {
    const id = await Identity.create(`bench-agent-${a.key}`, { level: 44 });
    identities[a.key] = id;
    const env = await signAuthorizationRequest(id, SOCIETY, { action: 'read', targetResource: 'data:hello', atpCost: 0 }, { now: T0 });
    const v = await verifyAuthorizationRequest(env, { societyId: SOCIETY, now: T0 });
    credentials[a.key] = v.credential!;
  }
  const did = (k: string): string => identities[k]!.did;
  const delegationId = (k: string): string => `deleg:bench:${k}`;
  const trustTable = Object.fromEntries(AGENTS.map((a) => [did(a.key), a.trust]));

  const roles = new Map<string, cedar.EntityJson>();
  for (const a of AGENTS) if (!roles.has(a.role)) roles.set(a.role, cedarRole(law, a.role));
  const state: Record<CedarShape, Record<string, Record<string, cedar.CedarValueJson>>> = { entities: {}, context: {} };
  const cedarEntities: Record<string, cedar.EntityJson[]> = {};
  const resetCedar = (): void => {
    for (const a of AGENTS) {
      for (const shape of CEDAR_SHAPES) {
        const attrs = state[shape][a.key] ?? (state[shape][a.key] = {});
        Object.assign(attrs, {
          agent: uid('Agent', did(a.key)),
          role: shape === 'entities' ? uid('Role', a.role) : roles.get(a.role)!.attrs,
          permissions: a.permissions.map((p) => uid('Action', p)),
          atp_budget: a.atpBudget,
          atp_spent: a.atpSpent,
          valid_from: T0 - 60,
          valid_until: T0 - 60 + 86_400,
          max_actions_per_hour: MAX_ACTIONS_PER_HOUR,
          actions_this_hour: 0,
        });
      }
      cedarEntities[a.key] ??= [{ uid: { type: 'Delegation', id: delegationId(a.key) }, attrs: state.entities[a.key]!, parents: [] }, roles.get(a.role)!];
    }
  };
  resetCedar();

  // The kinds, spread over n requests in the mix's proportions, then shuffled.
  const kinds: string[] = [];
  for (const m of MIX) for (let i = 0; i < Math.round((m.per100 * n) / 100); i++) kinds.push(m.kind);
  while (kinds.length < n) kinds.push('granted');
  kinds.length = n;
  const rnd = prng(0x5eed);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const between = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

  const requests: BenchRequest[] = kinds.map((kind, i) => {
    let agent = 'A';
    let action = pick(['read', 'read', 'read', 'write', 'compute']);
    let cost = between(1, 50);
    let witnesses = 0;
    if (kind === 'action not permitted') action = pick(['delete', 'delegate']);
    else if (kind === 'over the role max per action') [action, cost] = ['compute', between(501, 900)];
    else if (kind === 'over budget') [agent, cost] = ['C', between(6, 100)];
    else if (kind === 'deferred for a witness') [agent, action, cost] = ['B', 'read', between(1, 10)];
    else if (kind === 'granted with a witness') [agent, action, cost, witnesses] = ['B', 'read', between(1, 10), 1];
    else if (kind === 'insufficient trust') [agent, cost] = ['D', between(1, 50)];
    const now = T0 + (i % 1000);
    const target = `data:corpus/shard-${between(0, 255)}`;
    const request: AuthorizationRequest = Object.freeze({ requesterLct: did(agent), action, targetResource: target, atpCost: cost, context: Object.freeze({}), delegationId: delegationId(agent), timestamp: now });
    const options: AuthorizeOptions = Object.freeze(witnesses > 0 ? { credential: credentials[agent]!, now, witnesses } : { credential: credentials[agent]!, now });
    const trust = AGENTS.find((a) => a.key === agent)!.trust;
    const base = { principal: { type: 'Agent', id: did(agent) }, action: { type: 'Action', id: action }, resource: { type: 'Resource', id: target }, preparsedPolicySetId: policySetId };
    const facts = { atp_cost: cost, now, trust: decimal(trust), witnesses };
    return {
      kind,
      request,
      options,
      cedar: {
        entities: { call: { ...base, context: { delegation: uid('Delegation', delegationId(agent)), ...facts }, entities: cedarEntities[agent]! }, state: state.entities[agent]! },
        context: { call: { ...base, context: { delegation: state.context[agent]!, ...facts }, entities: [] }, state: state.context[agent]! },
      },
    };
  });

  const engine = (options: { onDecision?: (r: AuthorizationResult) => void } = {}): AuthorizationEngine => {
    const e = new AuthorizationEngine(SOCIETY, { law, trust: tableTrust(trustTable), clock: () => T0, ...(options.onDecision ? { onDecision: options.onDecision } : {}) });
    for (const a of AGENTS) {
      e.registerDelegation({
        delegationId: delegationId(a.key), clientLct: `lct:human:client-${a.key}`, agentLct: did(a.key), roleLct: a.role, grantedPermissions: a.permissions,
        atpBudget: a.atpBudget, atpSpent: a.atpSpent, validFrom: T0 - 60, validUntil: T0 - 60 + 86_400, maxActionsPerHour: MAX_ACTIONS_PER_HOUR, lastHourReset: T0,
      });
    }
    return e;
  };
  return { requests, engine, resetCedar, identities };
}

/**
 * One Cedar decision as a Cedar deployment makes it: statefulIsAuthorized, then — on Allow — the
 * application records the spend in its state store (the delegation's live attributes).
 * @returns true for Allow.
 * @throws Error when Cedar reports a failure (malformed call).
 */
export function cedarDecide(r: CedarRequest): boolean {
  const a = cedar.statefulIsAuthorized(r.call);
  if (a.type !== 'success') throw new Error(`Cedar failed: ${a.errors.map((e) => e.message).join('; ')}`);
  if (a.response.decision !== 'allow') return false;
  const d = r.state;
  d['atp_spent'] = (d['atp_spent'] as number) + (r.call.context['atp_cost'] as number);
  d['actions_this_hour'] = (d['actions_this_hour'] as number) + 1;
  return true;
}

/** The checks Cedar's determining forbid policies stand for (empty for Allow, or for a deny by no permit). */
export function cedarFailedChecks(r: CedarRequest): string[] {
  const a = cedar.statefulIsAuthorized(r.call);
  if (a.type !== 'success') throw new Error(`Cedar failed: ${a.errors.map((e) => e.message).join('; ')}`);
  if (a.response.diagnostics.errors.length > 0) throw new Error(`Cedar policy errors: ${JSON.stringify(a.response.diagnostics.errors)}`);
  return a.response.decision === 'allow' ? [] : a.response.diagnostics.reason.map((id) => FORBID_CHECK[id] ?? id);
}

/** Both engines on every request of the workload, from fresh state, in order. */
export interface Agreement {
  readonly requests: number;
  /** Per Cedar shape: requests where the engine granted exactly when Cedar allowed. */
  readonly sameDecision: Record<CedarShape, number>;
  /** Per Cedar shape: requests granted by both, or whose deciding engine check is among Cedar's failing forbids. */
  readonly sameReason: Record<CedarShape, number>;
  /** The engine's decisions, by kind of request: kind → decision/check → count. */
  readonly byKind: Record<string, Record<string, number>>;
  /** The first disagreements (at most 5), for the report. */
  readonly mismatches: string[];
}

/**
 * Runs every request through a fresh engine and through Cedar in both shapes (from reset counters),
 * comparing the decision (granted ⇔ Allow) and the reason (the engine's deciding check is one of
 * Cedar's failing forbids). Leaves the Cedar counters reset.
 */
export function checkAgreement(w: Workload): Agreement {
  const e = w.engine();
  w.resetCedar();
  const sameDecision = { entities: 0, context: 0 };
  const sameReason = { entities: 0, context: 0 };
  const byKind: Record<string, Record<string, number>> = {};
  const mismatches: string[] = [];
  for (const [i, r] of w.requests.entries()) {
    const q = e.authorize(r.request, r.options);
    const label = q.decision === 'granted' ? 'granted' : `${q.decision}/${q.decidedBy.check}`;
    const k = (byKind[r.kind] ??= {});
    k[label] = (k[label] ?? 0) + 1;
    for (const shape of CEDAR_SHAPES) {
      const failed = cedarFailedChecks(r.cedar[shape]);
      const allowed = failed.length === 0 ? cedarDecide(r.cedar[shape]) : false;
      if ((q.decision === 'granted') === allowed) sameDecision[shape]++;
      else if (mismatches.length < 5) mismatches.push(`#${i} ${r.kind}: engine ${label}, Cedar (${shape}) ${allowed ? 'allow' : 'deny'}`);
      if (q.decision === 'granted' ? allowed : failed.includes(q.decidedBy.check)) sameReason[shape]++;
      else if (mismatches.length < 5) mismatches.push(`#${i} ${r.kind}: engine ${label}, Cedar (${shape}) forbids [${failed.join(', ')}]`);
    }
  }
  w.resetCedar();
  return { requests: w.requests.length, sameDecision, sameReason, byKind, mismatches };
}
