// `quorumkit tee report [--platform sev-snp|tdx] [--source ioctl|tsm] [--report-data HEX] [--vmpl N]
// [--tsm-root DIR] [--out FILE] [--raw]`: fetches hardware evidence in a confidential guest — an AMD
// SEV-SNP report with the host's certificates (SNP_GET_EXT_REPORT on /dev/sev-guest through the
// native addon, or configfs-tsm), or an Intel TDX quote (configfs-tsm: the kernel asks the quoting
// enclave; TDX_CMD_GET_REPORT0 alone gives a TDREPORT no remote party can verify). The 64-byte user
// field is --report-data (hex, right-padded with zeros; default: 64 random bytes, printed). Output:
// the evidence JSON (`parseEvidence` reads it; `attest verify --evidence` and the service take it),
// or with --raw the report / quote bytes, to --out or stdout. Exit 2 for bad flags, 1 when the device
// cannot answer (no device, no addon, permission, firmware error: the typed reason on one line).

import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fromHex, toHex } from '../../core/bytes.js';
import { isQuorumkitError } from '../../core/errors.js';
import { evidenceToJson } from '../../attestation/evidence-json.js';
import type { EvidenceSource } from '../../attestation/evidence.js';
import type { TeeEvidence } from '../../attestation/bound.js';
import { snpIoctlEvidenceSource, tsmEvidenceSource } from '../../attestation/node/evidence-sources.js';
import { sevGuestDevicePath, tdxGuestDevicePath } from '../../tee/node/guest-device.js';
import { badInput, CliExit, EXIT_INVALID } from '../errors.js';

interface TeeReportFlags {
  readonly platform?: string;
  readonly source?: string;
  readonly reportData?: string;
  readonly vmpl?: string;
  readonly tsmRoot?: string;
  readonly out?: string;
  readonly raw?: boolean;
}

const TSM_ROOT = '/sys/kernel/config/tsm/report';

function platformOf(o: TeeReportFlags): 'amd-sev-snp' | 'intel-tdx' {
  if (o.platform === 'sev-snp') return 'amd-sev-snp';
  if (o.platform === 'tdx') return 'intel-tdx';
  if (o.platform !== undefined) throw badInput(`--platform expects sev-snp or tdx, got ${JSON.stringify(o.platform.slice(0, 32))}`);
  if (existsSync(sevGuestDevicePath())) return 'amd-sev-snp';
  if (existsSync(tdxGuestDevicePath())) return 'intel-tdx';
  throw new CliExit(EXIT_INVALID, `no TEE guest device here (${sevGuestDevicePath()}, ${tdxGuestDevicePath()}); pass --platform to name one`);
}

function reportDataOf(hex: string | undefined): Uint8Array {
  if (hex === undefined) return globalThis.crypto.getRandomValues(new Uint8Array(64));
  if (!/^(?:[0-9a-fA-F]{2}){1,64}$/.test(hex)) throw badInput('--report-data expects 1..64 bytes of hex');
  const out = new Uint8Array(64);
  out.set(fromHex(hex.toLowerCase()));
  return out;
}

function vmplOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-3]$/.test(v)) throw badInput(`--vmpl expects 0..3, got ${JSON.stringify(v.slice(0, 16))}`);
  return Number(v);
}

function sourceOf(o: TeeReportFlags, platform: 'amd-sev-snp' | 'intel-tdx', vmpl: number | undefined): EvidenceSource {
  const source = o.source ?? (platform === 'amd-sev-snp' ? 'ioctl' : 'tsm');
  if (source !== 'ioctl' && source !== 'tsm') throw badInput(`--source expects ioctl or tsm, got ${JSON.stringify(source.slice(0, 32))}`);
  if (source === 'ioctl') {
    if (platform === 'intel-tdx') throw badInput('a TDX quote comes through configfs-tsm (--source tsm): TDX_CMD_GET_REPORT0 gives a TDREPORT only the local quoting enclave can verify');
    if (o.tsmRoot !== undefined) throw badInput('--tsm-root applies to --source tsm');
    return snpIoctlEvidenceSource(vmpl === undefined ? {} : { vmpl });
  }
  return tsmEvidenceSource({ platform, root: o.tsmRoot ?? TSM_ROOT, ...(vmpl === undefined ? {} : { privlevel: vmpl }) });
}

async function teeReport(o: TeeReportFlags): Promise<void> {
  const vmpl = vmplOf(o.vmpl);
  const reportData = reportDataOf(o.reportData);
  const platform = platformOf(o);
  if (platform === 'intel-tdx' && vmpl !== undefined) throw badInput('--vmpl applies to SEV-SNP');
  const source = sourceOf(o, platform, vmpl);
  let evidence: TeeEvidence;
  try {
    evidence = await source.evidence(reportData);
  } catch (e) {
    if (isQuorumkitError(e)) throw new CliExit(EXIT_INVALID, `tee report: ${e.message}`);
    throw e;
  }
  const bytes = evidence.kind === 'tdx' ? evidence.quote : evidence.report;
  const out = o.raw === true ? bytes : new TextEncoder().encode(`${JSON.stringify(evidenceToJson(evidence), null, 2)}\n`);
  if (o.out === undefined) process.stdout.write(out);
  else {
    try {
      writeFileSync(o.out, out);
    } catch (e) {
      throw badInput(`cannot write ${o.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const what = evidence.kind === 'tdx' ? 'TDX quote' : 'SEV-SNP report';
  process.stderr.write(`${what} (${bytes.length} bytes) with report data ${toHex(reportData)}${o.out === undefined ? '' : ` → ${o.out}`}\n`);
}

/** Registers `tee report` on the `tee` group. */
export function registerTeeReport(tee: Command): void {
  tee
    .command('report')
    .description('fetch SEV-SNP / TDX evidence in a confidential guest (SNP ioctl through the native addon, or configfs-tsm)')
    .option('--platform <p>', 'sev-snp or tdx (default: the guest device that exists)')
    .option('--source <s>', 'ioctl (SEV-SNP only, native addon) or tsm (configfs-tsm, Linux ≥ 6.7); default ioctl for SEV-SNP, tsm for TDX')
    .option('--report-data <hex>', 'the 64-byte user field (hex, zero-padded; default random)')
    .option('--vmpl <n>', 'SEV-SNP VMPL / privlevel 0..3')
    .option('--tsm-root <dir>', `configfs-tsm report directory (default ${TSM_ROOT})`)
    .option('--out <file>', 'write the evidence here instead of stdout')
    .option('--raw', 'write the raw report / quote bytes instead of evidence JSON')
    .action((o: TeeReportFlags) => teeReport(o));
}
