// Guest policy checks on a verified SEV-SNP report: what the relying party accepts beyond "AMD
// signed it". Fields per AMD SEV-SNP ABI spec Table 22 (ATTESTATION_REPORT) and the GUEST_POLICY
// structure. Every check compares whole values; digests and report_data are compared in
// constant time.

import { assertBytes, assertOptions, optionKeys } from '../../core/assert.js';
import { constantTimeEqual, fromHex } from '../../core/bytes.js';
import type { SnpCheck } from './chain.js';
import type { SnpReport, SnpTcb } from './report.js';

/** A minimum TCB: each given component of `reported_tcb` must be at least this. */
export interface SnpMinimumTcb {
  readonly bootloader?: number;
  readonly tee?: number;
  readonly snp?: number;
  readonly microcode?: number;
  /** Turin only; a report without FMC fails a minimum that names one. */
  readonly fmc?: number;
}

/** What a relying party accepts. Every field is optional; `allowDebug` defaults to false. */
export interface SnpPolicy {
  /** Accept guests whose policy allows debugging (GUEST_POLICY bit 19, DEBUG). Default false. */
  readonly allowDebug?: boolean;
  /** MEASUREMENT must be one of these (48 bytes each, bytes or hex). */
  readonly measurements?: readonly (Uint8Array | string)[];
  /** Minimum `reported_tcb`. */
  readonly minimumTcb?: SnpMinimumTcb;
  /** REPORT_DATA must equal these 64 bytes. */
  readonly reportData?: Uint8Array;
  /** Signing keys accepted (default both). */
  readonly allowedSigners?: readonly ('vcek' | 'vlek')[];
}

/** The keys {@link SnpPolicy} may have. */
export const SNP_POLICY_KEYS = optionKeys<SnpPolicy>({ allowDebug: true, measurements: true, minimumTcb: true, reportData: true, allowedSigners: true });
const TCB_KEYS = optionKeys<SnpMinimumTcb>({ bootloader: true, tee: true, snp: true, microcode: true, fmc: true });

/**
 * Checks a policy's shape once, at the public boundary.
 * @throws TypeError / RangeError on unknown keys, wrong types or sizes.
 */
export function checkSnpPolicy(policy: SnpPolicy | undefined): SnpPolicy {
  const p = assertOptions('policy', policy, SNP_POLICY_KEYS);
  if (p.allowDebug !== undefined && typeof p.allowDebug !== 'boolean') throw new TypeError('"policy.allowDebug" expected boolean');
  if (p.measurements !== undefined) {
    if (!Array.isArray(p.measurements)) throw new TypeError('"policy.measurements" expected an array');
    p.measurements.forEach((m, i) => measurementBytes(m, `policy.measurements[${i}]`));
  }
  if (p.minimumTcb !== undefined) {
    const t = assertOptions('policy.minimumTcb', p.minimumTcb, TCB_KEYS);
    for (const k of TCB_KEYS) {
      const v = t[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 255)) throw new RangeError(`"policy.minimumTcb.${k}" expected an integer in [0, 255]`);
    }
  }
  if (p.reportData !== undefined) assertBytes('policy.reportData', p.reportData, 64);
  if (p.allowedSigners !== undefined) {
    if (!Array.isArray(p.allowedSigners) || !p.allowedSigners.every((s) => s === 'vcek' || s === 'vlek')) {
      throw new TypeError('"policy.allowedSigners" expected an array of "vcek" | "vlek"');
    }
  }
  return p;
}

function measurementBytes(m: Uint8Array | string, name: string): Uint8Array {
  const b = typeof m === 'string' ? fromHex(m) : m;
  assertBytes(name, b, 48);
  return b;
}

function tcbText(t: SnpTcb): string {
  return `bl ${t.bootloader} tee ${t.tee} snp ${t.snp} uc ${t.microcode}${t.fmc === undefined ? '' : ` fmc ${t.fmc}`}`;
}

/** The policy checks of `report` (the policy was checked by {@link checkSnpPolicy}). */
export function snpPolicyChecks(report: SnpReport, policy: SnpPolicy): SnpCheck[] {
  const checks: SnpCheck[] = [];
  const debug = report.policy.debug;
  checks.push({ name: 'policy: debug', ok: !debug || policy.allowDebug === true, detail: debug ? `guest policy allows debugging${policy.allowDebug === true ? ' (allowed by policy)' : ''}` : 'debugging disallowed' });
  const signers = policy.allowedSigners ?? ['vcek', 'vlek'];
  const key = report.signer_info.signingKey;
  checks.push({ name: 'policy: signer', ok: (signers as readonly string[]).includes(key), detail: `signed by ${key.toUpperCase()}; allowed ${signers.join(', ')}` });
  if (policy.measurements !== undefined) {
    const ok = policy.measurements.some((m) => constantTimeEqual(measurementBytes(m, 'measurement'), report.measurement));
    checks.push({ name: 'policy: measurement', ok, detail: ok ? 'measurement is on the allow-list' : `measurement is not among the ${policy.measurements.length} allowed` });
  }
  if (policy.minimumTcb !== undefined) {
    const min = policy.minimumTcb;
    const t = report.reported_tcb;
    const low = (['bootloader', 'tee', 'snp', 'microcode', 'fmc'] as const).filter((k) => min[k] !== undefined && !((t[k] ?? -1) >= min[k]!));
    checks.push({ name: 'policy: minimum TCB', ok: low.length === 0, detail: low.length === 0 ? `reported TCB ${tcbText(t)} meets the minimum` : `reported TCB ${tcbText(t)} is below the minimum in ${low.join(', ')}` });
  }
  if (policy.reportData !== undefined) {
    const ok = constantTimeEqual(policy.reportData, report.report_data);
    checks.push({ name: 'policy: report_data', ok, detail: ok ? 'report_data equals the expected value' : 'report_data differs from the expected value' });
  }
  return checks;
}
