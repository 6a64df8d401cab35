// Fresh memory attestation as an authorization requirement (issue 11: "a role can require fresh
// attestation — a verified report no older than N seconds"). An agent that runs in a confidential VM
// submits its latest signed attestation report with the TEE evidence it is bound to; quorumkit/
// attestation's verifyBoundReport checks the ML-DSA report, the SEV-SNP / TDX evidence and the binding
// (SHA3-512 of the report body in REPORT_DATA / REPORTDATA); only a valid one is recorded, for the
// report's signer, at the time it was verified. attestationGate (gates.ts) then reads the ledger.
// The ledger is memory only: after a restart an agent attests again (the requirement is about
// freshness). Browser-safe.

import { verifyBoundReport, type BoundVerification, type TeeEvidence, type VerifyBoundOptions } from '../attestation/bound.js';
import type { AttestationReport } from '../attestation/report.js';
import { attestationGate, type AttestationRecord, type DecisionGate } from './gates.js';

/** The agents' latest verified attestations. */
export class AttestationLedger {
  readonly #latest = new Map<string, AttestationRecord>();
  readonly #max: number;

  /** @param maxAgents the most agents remembered (the oldest record is dropped first); default 100,000. */
  constructor(maxAgents = 100_000) {
    if (!Number.isSafeInteger(maxAgents) || maxAgents < 1) throw new RangeError('"maxAgents" expected a positive integer');
    this.#max = maxAgents;
  }

  /**
   * Verifies `report` bound to `evidence` (verifyBoundReport with `options`, whose `now` is the
   * verification time) and, when valid, records it for the report's signer.
   * @returns the verification; `recorded` is the agent's new record when it was valid.
   */
  async submit(report: AttestationReport, evidence: TeeEvidence, options: VerifyBoundOptions): Promise<{ verification: BoundVerification; recorded: (AttestationRecord & { readonly agent: string }) | null }> {
    const verification = await verifyBoundReport(report, evidence, options);
    if (!verification.valid) return { verification, recorded: null };
    const agent = report.signer_did;
    const rec = Object.freeze({ verifiedAt: options.now.getTime() / 1000, reportId: report.report_id });
    const prev = this.#latest.get(agent);
    if (prev === undefined || prev.verifiedAt <= rec.verifiedAt) {
      this.#latest.delete(agent);
      if (this.#latest.size >= this.#max) this.#latest.delete(this.#latest.keys().next().value!);
      this.#latest.set(agent, rec);
    }
    return { verification, recorded: { agent, ...this.#latest.get(agent)! } };
  }

  /** The agent's latest verified attestation, or undefined. */
  latest(agent: string): AttestationRecord | undefined {
    return this.#latest.get(agent);
  }

  /** An attestationGate over this ledger: `roles` maps a role id to the oldest report it accepts (seconds). */
  gate(roles: Readonly<Record<string, number>> | ((roleLct: string) => number | undefined)): DecisionGate {
    return attestationGate({ roles, latest: (a) => this.latest(a) });
  }
}
