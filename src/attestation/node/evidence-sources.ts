// EvidenceSource implementations over the guest's own interfaces (evidence.ts has the interface):
// the SEV-SNP device through SNP_GET_EXT_REPORT (quorumkit/tee/node snpGetExtReport: the report
// and the host's certificate table, GHCB spec §4.1.8.1, parsed by src/tee/cert-table.ts) and
// configfs-tsm (Linux ≥ 6.7; SNP: outblob = report, auxblob = certificate table; TDX: outblob =
// the quote). The VCEK or VLEK becomes the leaf, ASK/ASVK + ARK the PEM chain. Each source checks
// that the evidence carries exactly the requested 64 bytes before returning it. Node-only.

import { constantTimeEqual } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { CertTableEntry } from '../../tee/cert-table.js';
import { snpGetExtReport, type SnpReportOptions } from '../../tee/node/guest-device.js';
import { tsmReport, type TsmFs } from '../../tee/node/configfs-tsm.js';
import { parseSnpReport } from '../../tee/snp/report.js';
import { parseTdxQuote } from '../../tee/tdx/quote.js';
import { certificatePem } from '../../tee/x509.js';
import type { TeeEvidence } from '../bound.js';
import { BackendError } from '../errors.js';
import type { EvidenceSource } from '../evidence.js';

const REPORT_DATA_BYTES = 64;

/** Options of {@link snpIoctlEvidenceSource}. */
export type SnpIoctlEvidenceOptions = SnpReportOptions;

/** Options of {@link tsmEvidenceSource}. */
export interface TsmEvidenceOptions {
  /** Which TEE this guest is: the provider must be `sev_guest` or `tdx_guest` accordingly. */
  readonly platform: 'amd-sev-snp' | 'intel-tdx';
  /** Where TSM reports are (default /sys/kernel/config/tsm/report). */
  readonly root?: string;
  /** SNP: the VMPL to request at (0..3). */
  readonly privlevel?: number;
  readonly fs?: TsmFs;
}

function checkReportData(reportData: unknown): Uint8Array {
  if (!(reportData instanceof Uint8Array) || reportData.length !== REPORT_DATA_BYTES) throw new InvalidArgumentError(`"reportData" expected ${REPORT_DATA_BYTES} bytes`);
  return reportData;
}

/** SNP evidence from a report and its certificate table: the VCEK (or VLEK) and the ASK/ASVK + ARK chain. */
function snpEvidence(report: Uint8Array, certificates: readonly CertTableEntry[], reportData: Uint8Array, from: string): TeeEvidence {
  if (!constantTimeEqual(parseSnpReport(report).report_data, reportData)) throw new BackendError(`${from} returned a report for other REPORT_DATA than requested`);
  const find = (name: CertTableEntry['name']): Uint8Array | undefined => certificates.find((c) => c.name === name)?.bytes;
  const vcek = find('vcek');
  const vlek = find('vlek');
  const chain = [find('ask'), find('ark')].filter((c): c is Uint8Array => c !== undefined).map(certificatePem).join('');
  return {
    kind: 'sev-snp',
    report,
    ...(vcek !== undefined ? { vcek } : vlek !== undefined ? { vlek } : {}),
    ...(chain === '' ? {} : { chain }),
  };
}

/**
 * Evidence from /dev/sev-guest (or `device`, or $QUORUMKIT_SEV_GUEST_DEVICE) through the native
 * addon: SNP_GET_EXT_REPORT with the binding digest as REPORT_DATA, the certificate table's VCEK
 * (or VLEK) as the leaf and ASK + ARK as the chain (absent when the host supplies no certificates:
 * fetch them from AMD KDS then).
 * @throws InvalidArgumentError for a bad vmpl (at once); from evidence(): TeeNativeUnavailableError,
 *   the TeeDeviceError family, BackendError when the report carries other REPORT_DATA.
 * @example
 * const bound = await attestBound(attester, report, snpIoctlEvidenceSource({ vmpl: 0 }));
 */
export function snpIoctlEvidenceSource(o: SnpIoctlEvidenceOptions = {}): EvidenceSource {
  if (o.vmpl !== undefined && (!Number.isSafeInteger(o.vmpl) || o.vmpl < 0 || o.vmpl > 3)) throw new InvalidArgumentError(`"vmpl" expected 0..3, got ${String(o.vmpl)}`);
  const options: SnpReportOptions = { ...(o.device === undefined ? {} : { device: o.device }), ...(o.vmpl === undefined ? {} : { vmpl: o.vmpl }) };
  return {
    platform: 'amd-sev-snp',
    async evidence(reportData: Uint8Array): Promise<TeeEvidence> {
      const rd = checkReportData(reportData);
      const r = await snpGetExtReport(rd, options);
      return snpEvidence(r.report, r.certificates, rd, 'SNP_GET_EXT_REPORT');
    },
  };
}

/**
 * Evidence through configfs-tsm (tsmReport): for SEV-SNP the report with the auxblob's
 * certificates, for TDX the quote (its certification data carries the PCK chain).
 * @throws from evidence(): IoError / ConflictError as tsmReport, BackendError for another provider
 *   than the platform's or evidence carrying other report data.
 */
export function tsmEvidenceSource(o: TsmEvidenceOptions): EvidenceSource {
  if (o === null || typeof o !== 'object' || (o.platform !== 'amd-sev-snp' && o.platform !== 'intel-tdx')) throw new InvalidArgumentError('"platform" expected amd-sev-snp or intel-tdx');
  const provider = o.platform === 'amd-sev-snp' ? 'sev_guest' : 'tdx_guest';
  const platform = o.platform;
  return {
    platform,
    async evidence(reportData: Uint8Array): Promise<TeeEvidence> {
      const rd = checkReportData(reportData);
      const r = tsmReport(rd, { ...(o.root === undefined ? {} : { root: o.root }), ...(o.privlevel === undefined ? {} : { privlevel: o.privlevel }), ...(o.fs === undefined ? {} : { fs: o.fs }) });
      if (r.provider !== provider) throw new BackendError(`configfs-tsm provider is ${JSON.stringify(r.provider)}, expected ${provider} for ${platform}`);
      if (platform === 'amd-sev-snp') return snpEvidence(r.outblob, r.certificates, rd, 'configfs-tsm');
      if (!constantTimeEqual(parseTdxQuote(r.outblob).body.reportData, rd)) throw new BackendError('configfs-tsm returned a quote for other REPORTDATA than requested');
      return { kind: 'tdx', quote: r.outblob };
    },
  };
}
