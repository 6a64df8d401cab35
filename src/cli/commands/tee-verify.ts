// `quorumkit tee verify EVIDENCE [--cert VCEK_OR_VLEK] [--chain ASK_ARK.pem] [--collateral DIR]
// [--policy P] [--now RFC3339] [--json]`: the kind is read from the bytes (src/tee/detect.ts: an
// SEV-SNP ATTESTATION_REPORT, an Azure HCL report wrapping one, a TDX quote v4/v5; base64 text is
// decoded first); SEV-SNP needs the VCEK or VLEK (--cert; which one the report's SIGNING_KEY says)
// and optionally the ASK/ASVK bundle (--chain; else AMD's bundled ones); TDX takes optional Intel
// collateral (--collateral DIR, names in _tee-input.ts). Exit 0 verified, 1 not verified (the
// reasons on one line), 2 unusable input (one line). --json prints the parsed fields and every check.

import type { Command } from 'commander';
import { isQuorumkitError } from '../../core/errors.js';
import type { TeeEvidence } from '../../attestation/bound.js';
import { verifyEvidence, type TeeEvidenceVerification } from '../../attestation/evidence-verify.js';
import { detectEvidenceKind } from '../../tee/detect.js';
import { parseSnpReport } from '../../tee/snp/report.js';
import { unwrapHclSnpReport } from '../../tee/snp/hcl.js';
import { badInput, CliExit, EXIT_INVALID } from '../errors.js';
import { jsonSafe, nowFlag, readBytesFile, readCollateralDir, readEvidenceFile, readPolicyFile, trustRootFlag } from './_tee-input.js';
import { nodeTdxEngine } from '../../tee/node/tdx-engine.js';
import type { TeePolicy } from '../../tee/policy-json.js';

interface TeeVerifyFlags {
  readonly cert?: string;
  readonly chain?: string;
  readonly collateral?: string;
  readonly policy?: string;
  readonly now?: string;
  readonly trustRoot?: string;
  readonly json?: boolean;
}

/** Turns a verifier's refusal of unusable input into exit 2; anything else propagates. */
export function unusable(e: unknown): never {
  if (isQuorumkitError(e) || e instanceof TypeError || e instanceof RangeError) throw badInput(e.message);
  throw e;
}

function evidenceOf(path: string, o: TeeVerifyFlags): { evidence: TeeEvidence; detected: string } {
  const bytes = readEvidenceFile(path);
  let detected: string;
  try {
    detected = detectEvidenceKind(bytes);
  } catch (e) {
    return unusable(e);
  }
  if (detected === 'tdx') {
    if (o.cert !== undefined || o.chain !== undefined) throw badInput('--cert and --chain apply to SEV-SNP evidence; a TDX quote carries its PCK chain');
    return { detected, evidence: { kind: 'tdx', quote: bytes, ...(o.collateral === undefined ? {} : { collateral: readCollateralDir(o.collateral) }) } };
  }
  if (o.collateral !== undefined) throw badInput('--collateral applies to TDX quotes');
  if (o.cert === undefined) throw badInput('SEV-SNP evidence needs --cert VCEK_OR_VLEK (DER or PEM, from AMD KDS or the host)');
  let key: string;
  try {
    key = parseSnpReport(detected === 'sev-snp-hcl' ? unwrapHclSnpReport(bytes).report : bytes).signer_info.signingKey;
  } catch (e) {
    return unusable(e);
  }
  const cert = readBytesFile(o.cert, 'certificate file');
  const chain = o.chain === undefined ? {} : { chain: readBytesFile(o.chain, 'chain file') };
  return { detected, evidence: { kind: 'sev-snp', report: bytes, ...(key === 'vlek' ? { vlek: cert } : { vcek: cert }), ...chain } };
}

function summary(detected: string, v: TeeEvidenceVerification, trustRoot: boolean): string {
  const what = detected === 'tdx' ? 'TDX quote' : detected === 'sev-snp-hcl' ? 'SEV-SNP report (Azure HCL)' : 'SEV-SNP report';
  const extra = [v.product, v.tcbStatus && `TCB ${v.tcbStatus}`].filter(Boolean).join(', ');
  return `verified: ${what}${extra === '' ? '' : ` (${extra})`}, ${v.checks.length} checks passed${trustRoot ? ', against --trust-root (not the pinned roots)' : ''}`;
}

async function teeVerify(path: string, o: TeeVerifyFlags): Promise<void> {
  const now = nowFlag(o.now);
  const policy: TeePolicy = readPolicyFile(o.policy);
  const { evidence, detected } = evidenceOf(path, o);
  const roots = trustRootFlag(o.trustRoot);
  let v: TeeEvidenceVerification;
  try {
    v = await verifyEvidence(evidence, { now, ...roots, tdxEngine: nodeTdxEngine(), ...(policy.snp ? { snpPolicy: policy.snp } : {}), ...(policy.tdx ? { tdxPolicy: policy.tdx } : {}) });
  } catch (e) {
    return unusable(e);
  }
  if (o.json === true) {
    const out = { kind: detected, valid: v.valid, now: now.toISOString(), ...(v.product ? { product: v.product } : {}), ...(v.tcbStatus ? { tcbStatus: v.tcbStatus } : {}), ...(v.qeIdentityStatus ? { qeIdentityStatus: v.qeIdentityStatus } : {}), fields: jsonSafe(v.parsed), checks: v.checks, reasons: v.reasons };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else if (v.valid) process.stdout.write(`${summary(detected, v, o.trustRoot !== undefined)}\n`);
  if (!v.valid) throw new CliExit(EXIT_INVALID, `not verified: ${v.reasons.join('; ')}`);
}

/** Registers `tee verify` on the `tee` group. */
export function registerTeeVerify(tee: Command): void {
  tee
    .command('verify')
    .description('verify an SEV-SNP report, an Azure HCL report or a TDX quote (kind read from the bytes) against the pinned AMD / Intel roots')
    .argument('<evidence>', 'the report or quote (binary, or base64 text)')
    .option('--cert <file>', 'SEV-SNP: the VCEK or VLEK (DER or PEM; a PEM bundle may carry the ASK and ARK after it)')
    .option('--chain <file>', 'SEV-SNP: the ASK/ASVK (and ARK) PEM bundle (default: the bundled AMD intermediates)')
    .option('--collateral <dir>', 'TDX: Intel collateral — pck.crl, root.crl, tcb-info.json, qe-identity.json, tcb-signing-chain.pem (any subset)')
    .option('--policy <file>', 'policy.json: { "sev-snp": {…}, "tdx": {…} } (docs/attestation-service.md)')
    .option('--now <rfc3339>', 'check certificates and collateral at this time (default: now)')
    .option('--trust-root <pem>', "trust this root instead of AMD's / Intel's pinned ones (an ARK or a TDX root CA of a test PKI; never needed for genuine evidence)")
    .option('--json', 'print the parsed fields and every check as JSON')
    .action(teeVerify);
}
