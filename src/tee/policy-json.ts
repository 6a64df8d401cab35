// TEE policy files: the JSON form of what a relying party accepts from AMD SEV-SNP evidence
// (SnpPolicy, src/tee/snp/policy.ts: GUEST_POLICY DEBUG bit 19, MEASUREMENT, REPORTED_TCB and
// REPORT_DATA of ABI spec Table 22) and Intel TDX evidence (TdxPolicy, src/tee/tdx/verify.ts:
// TDATTRIBUTES.DEBUG, MRTD, RTMR0..3, REPORTDATA of the TD Quote Body, DCAP Appendix A.3, and the
// accepted TCB statuses of Intel PCS v4). One file may hold both:
//   { "sev-snp": { "allow_debug", "measurements": [hex48…], "minimum_tcb": { "bootloader", "tee",
//                  "snp", "microcode", "fmc" }, "report_data": hex64, "allowed_signers": ["vcek"|"vlek"] },
//     "tdx":     { "allow_debug", "mr_td": [hex48…], "rtmrs": [hex48 | null, ≤ 4], "report_data": hex64,
//                  "accepted_tcb_statuses": [status…] } }
// Every key optional, unknown keys refused, sizes capped. Read the text with parseStrict. Browser-safe.

import { TeePolicyInvalidError } from './errors.js';
import type { SnpMinimumTcb, SnpPolicy } from './snp/policy.js';
import { TDX_TCB_STATUSES, type TdxTcbStatus } from './tdx/collateral.js';
import type { TdxPolicy } from './tdx/verify.js';
import { wireArray, wireBoolean, wireHex, wireObject, type WireFail } from './_wire.js';

/** Most measurements / MRTD values one policy may allow. */
export const MAX_POLICY_VALUES = 256;

/** A parsed policy file: the SEV-SNP part, the TDX part, or both. */
export interface TeePolicy {
  readonly snp?: SnpPolicy;
  readonly tdx?: TdxPolicy;
}

const fail: WireFail = (m) => new TeePolicyInvalidError(`policy: ${m}`);
const TCB_KEYS = ['bootloader', 'tee', 'snp', 'microcode', 'fmc'] as const;

function hexList(v: unknown, what: string): Uint8Array[] {
  return wireArray(v, what, MAX_POLICY_VALUES, fail).map((m, i) => wireHex(m, `${what}[${i}]`, 48, fail));
}

/**
 * The SEV-SNP part of a policy file (see the header).
 * @throws TeePolicyInvalidError (`ERR_TEE_POLICY_INVALID`) naming the first bad field.
 */
export function parseSnpPolicyJson(value: unknown, what = 'sev-snp'): SnpPolicy {
  const o = wireObject(value, what, ['allow_debug', 'measurements', 'minimum_tcb', 'report_data', 'allowed_signers'], fail);
  const out: { -readonly [K in keyof SnpPolicy]: SnpPolicy[K] } = {};
  if (o['allow_debug'] !== undefined) out.allowDebug = wireBoolean(o['allow_debug'], `${what}.allow_debug`, fail);
  if (o['measurements'] !== undefined) out.measurements = hexList(o['measurements'], `${what}.measurements`);
  if (o['minimum_tcb'] !== undefined) {
    const t = wireObject(o['minimum_tcb'], `${what}.minimum_tcb`, TCB_KEYS, fail);
    const min: { -readonly [K in keyof SnpMinimumTcb]: number } = {};
    for (const k of TCB_KEYS) {
      const v = t[k];
      if (v === undefined) continue;
      if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 255) throw fail(`"${what}.minimum_tcb.${k}" expected an integer in [0, 255]`);
      min[k] = v as number;
    }
    out.minimumTcb = min;
  }
  if (o['report_data'] !== undefined) out.reportData = wireHex(o['report_data'], `${what}.report_data`, 64, fail);
  if (o['allowed_signers'] !== undefined) {
    out.allowedSigners = wireArray(o['allowed_signers'], `${what}.allowed_signers`, 2, fail).map((s, i) => {
      if (s !== 'vcek' && s !== 'vlek') throw fail(`"${what}.allowed_signers[${i}]" expected "vcek" or "vlek"`);
      return s;
    });
  }
  return out;
}

/**
 * The TDX part of a policy file (see the header).
 * @throws TeePolicyInvalidError (`ERR_TEE_POLICY_INVALID`) naming the first bad field.
 */
export function parseTdxPolicyJson(value: unknown, what = 'tdx'): TdxPolicy {
  const o = wireObject(value, what, ['allow_debug', 'mr_td', 'rtmrs', 'report_data', 'accepted_tcb_statuses'], fail);
  const out: { -readonly [K in keyof TdxPolicy]: TdxPolicy[K] } = {};
  if (o['allow_debug'] !== undefined) out.allowDebug = wireBoolean(o['allow_debug'], `${what}.allow_debug`, fail);
  if (o['mr_td'] !== undefined) out.mrTd = hexList(o['mr_td'], `${what}.mr_td`);
  if (o['rtmrs'] !== undefined) out.rtmrs = wireArray(o['rtmrs'], `${what}.rtmrs`, 4, fail).map((m, i) => (m === null ? undefined : wireHex(m, `${what}.rtmrs[${i}]`, 48, fail)));
  if (o['report_data'] !== undefined) out.reportData = wireHex(o['report_data'], `${what}.report_data`, 64, fail);
  if (o['accepted_tcb_statuses'] !== undefined) {
    out.acceptedTcbStatuses = wireArray(o['accepted_tcb_statuses'], `${what}.accepted_tcb_statuses`, TDX_TCB_STATUSES.length, fail).map((s, i) => {
      if (!(TDX_TCB_STATUSES as readonly unknown[]).includes(s)) throw fail(`"${what}.accepted_tcb_statuses[${i}]" expected one of ${TDX_TCB_STATUSES.join(', ')}`);
      return s as TdxTcbStatus;
    });
  }
  return out;
}

/**
 * A policy file (`{ "sev-snp"?: …, "tdx"?: … }`, see the header).
 * @throws TeePolicyInvalidError (`ERR_TEE_POLICY_INVALID`) naming the first bad field.
 * @example
 * const policy = parseTeePolicy(parseStrict(text));
 * await verifySnpReport(bytes, { vcek, now, ...(policy.snp ? { policy: policy.snp } : {}) });
 */
export function parseTeePolicy(value: unknown): TeePolicy {
  const o = wireObject(value, 'policy', ['sev-snp', 'tdx'], fail);
  return {
    ...(o['sev-snp'] === undefined ? {} : { snp: parseSnpPolicyJson(o['sev-snp']) }),
    ...(o['tdx'] === undefined ? {} : { tdx: parseTdxPolicyJson(o['tdx']) }),
  };
}
