// Decision gates: checks beyond the seed's, consulted by AuthorizationEngine at two fixed points so
// the seed's own order is untouched —
//   after the credential (stage "identity"): governance — an emergency freeze in force denies every
//     request (law_violation); an agent governance has not authorized (`authorize-agent`, and not
//     revoked) is invalid_lct; the model it runs, when the gate knows it, must be authorized
//     (`authorize-model`) or the request is law_violation;
//   after the role permissions (stage "role"): attestation — a role may require a verified memory
//     attestation report (quorumkit/attestation verifyBoundReport, checked when the report is
//     submitted) no older than N seconds; without one the request is invalid_lct (the credential
//     lacks its hardware binding).
// Governance state is read through the exported quorumkit/governance API (AuthorizationChain,
// GovernanceState): DESIGN.md lets authz read governance and attestation. Browser-safe.

import type { AuthorizationChain } from '../governance/authorization.js';
import type { GovernanceState } from '../governance/governance-state.js';
import type { LctCredential } from './credential.js';
import type { AgentDelegation } from './delegation.js';
import type { AuthorizationRequest, DenialReason } from './types.js';

/** What a gate sees. `roleLct` is set at the `role` stage. */
export interface GateContext {
  readonly request: AuthorizationRequest;
  readonly credential: LctCredential;
  readonly delegation: AgentDelegation | undefined;
  readonly roleLct: string | null;
  readonly now: number;
}

/** A gate's refusal. */
export interface GateDenial {
  readonly reason: DenialReason;
  readonly why: string;
}

/** A check the engine runs at one stage; null lets the request through. Gates must be synchronous and pure of side effects. */
export interface DecisionGate {
  readonly name: 'governance' | 'attestation' | (string & {});
  readonly stage: 'identity' | 'role';
  check(ctx: GateContext): GateDenial | null;
}

/** Where a governance gate reads its facts. */
export interface GovernanceGateOptions {
  /** Fleet-wide state: while `frozen`, every request is denied. */
  readonly state?: Pick<GovernanceState, 'frozen'>;
  /** The agent's authorization chain (subject = its did or LCT), or undefined when governance never decided on it. */
  readonly agentChain?: (agentLct: string) => Pick<AuthorizationChain, 'isAuthorized' | 'isFrozen'> | undefined;
  /** The model the agent runs, when known (from its registration, not from the request). */
  readonly modelOf?: (agentLct: string) => string | undefined;
  /** The model's authorization chain. */
  readonly modelChain?: (modelId: string) => Pick<AuthorizationChain, 'isAuthorized' | 'isFrozen'> | undefined;
}

/**
 * The governance gate: freeze, agent authorization, model authorization (see the header).
 * With `agentChain` given, an agent without a chain is refused (default deny).
 */
export function governanceGate(options: GovernanceGateOptions): DecisionGate {
  return Object.freeze({
    name: 'governance',
    stage: 'identity' as const,
    check({ credential }: GateContext): GateDenial | null {
      if (options.state?.frozen === true) return { reason: 'law_violation', why: 'an emergency freeze is in force' };
      const agent = credential.lctId;
      if (options.agentChain !== undefined) {
        const chain = options.agentChain(agent);
        if (chain?.isFrozen() === true) return { reason: 'law_violation', why: 'an emergency freeze is in force' };
        if (chain === undefined || !chain.isAuthorized('authorize-agent')) return { reason: 'invalid_lct', why: `governance has not authorized agent ${agent}` };
      }
      const model = options.modelOf?.(agent);
      if (model !== undefined) {
        const chain = options.modelChain?.(model);
        if (chain === undefined || !chain.isAuthorized('authorize-model')) return { reason: 'law_violation', why: `governance has not authorized model ${model}, which agent ${agent} runs` };
      }
      return null;
    },
  });
}

/** A verified attestation on record for an agent. */
export interface AttestationRecord {
  /** When the bound report was verified valid (epoch seconds). */
  readonly verifiedAt: number;
  /** The report's id, for the explanation. */
  readonly reportId?: string;
}

/** Options of {@link attestationGate}. */
export interface AttestationGateOptions {
  /** Roles that require attestation, and the oldest report they accept (seconds). */
  readonly roles: Readonly<Record<string, number>> | ((roleLct: string) => number | undefined);
  /** The agent's latest verified attestation. */
  readonly latest: (agentLct: string) => AttestationRecord | undefined;
}

/** The attestation gate: a role that requires it needs a verified report no older than its limit. */
export function attestationGate(options: AttestationGateOptions): DecisionGate {
  const maxAge = typeof options.roles === 'function' ? options.roles : (r: string) => (options.roles as Record<string, number>)[r];
  return Object.freeze({
    name: 'attestation',
    stage: 'role' as const,
    check({ credential, roleLct, now }: GateContext): GateDenial | null {
      const limit = roleLct === null ? undefined : maxAge(roleLct);
      if (limit === undefined) return null;
      const rec = options.latest(credential.lctId);
      if (rec === undefined) return { reason: 'invalid_lct', why: `role ${roleLct} requires a verified attestation report and ${credential.lctId} has none` };
      const age = now - rec.verifiedAt;
      if (!(age >= 0 && age <= limit)) return { reason: 'invalid_lct', why: `role ${roleLct} requires an attestation report at most ${limit} s old; the latest is ${Math.round(age)} s old` };
      return null;
    },
  });
}
