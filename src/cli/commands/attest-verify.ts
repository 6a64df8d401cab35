// `quorumkit attest verify report.json [--evidence E.json] [--policy P] [--now RFC3339]
// [--trusted DID…] [--trust-root PEM] [--json]`: a signed attestation report alone (AttestationVerifier: ML-DSA
// signature, validity window, drift against pinned hashes), or with its TEE evidence
// (verifyBoundReport: the report, the SEV-SNP / TDX evidence under the policy, and the binding of
// SHA3-512 of the report body into REPORT_DATA / REPORTDATA). Exit 0 verified, 1 not verified (the
// reasons on one line), 2 unusable input (one line).

import type { Command } from 'commander';
import { verifyBoundReport } from '../../attestation/bound.js';
import { parseEvidence } from '../../attestation/evidence-json.js';
import { parseReport, type AttestationReport } from '../../attestation/report.js';
import { AttestationVerifier } from '../../attestation/verifier.js';
import type { TeeEvidence } from '../../attestation/bound.js';
import { badInput, CliExit, EXIT_INVALID } from '../errors.js';
import { parseFile } from './governance-serve.js';
import { DID_PATTERN, nowFlag, readPolicyFile, trustRootFlag } from './_tee-input.js';
import { nodeTdxEngine } from '../../tee/node/tdx-engine.js';

interface AttestVerifyFlags {
  readonly evidence?: string;
  readonly policy?: string;
  readonly now?: string;
  readonly trusted?: string[];
  readonly trustRoot?: string;
  readonly json?: boolean;
}

function trustedFlag(list: string[] | undefined): string[] | undefined {
  for (const d of list ?? []) if (!DID_PATTERN.test(d)) throw badInput(`--trusted expects dids, got ${JSON.stringify(d.slice(0, 80))}`);
  return list;
}

async function attestVerify(path: string, o: AttestVerifyFlags): Promise<void> {
  const now = nowFlag(o.now);
  const trusted = trustedFlag(o.trusted);
  if (o.policy !== undefined && o.evidence === undefined) throw badInput('--policy applies to TEE evidence: pass --evidence E.json');
  if (o.trustRoot !== undefined && o.evidence === undefined) throw badInput('--trust-root applies to TEE evidence: pass --evidence E.json');
  const roots = trustRootFlag(o.trustRoot);
  const report: AttestationReport = await parseFile(path, 'report', parseReport);
  const evidence: TeeEvidence | undefined = o.evidence === undefined ? undefined : await parseFile(o.evidence, 'evidence', parseEvidence);
  const policy = readPolicyFile(o.policy);
  let valid: boolean;
  let reasons: string[];
  let out: unknown;
  if (evidence === undefined) {
    const r = await AttestationVerifier.verify(report, { now, ...(trusted ? { trusted } : {}) });
    [valid, reasons, out] = [r.valid, r.error === null ? [] : [r.error], r];
  } else {
    const r = await verifyBoundReport(report, evidence, { now, ...roots, tdxEngine: nodeTdxEngine(), ...(trusted ? { trusted } : {}), ...(policy.snp ? { snpPolicy: policy.snp } : {}), ...(policy.tdx ? { tdxPolicy: policy.tdx } : {}) });
    [valid, reasons, out] = [r.valid, r.reasons, r];
  }
  if (o.json === true) process.stdout.write(`${JSON.stringify({ report_id: report.report_id, signer_did: report.signer_did, now: now.toISOString(), ...(out as object) }, null, 2)}\n`);
  else if (valid) process.stdout.write(`verified: report ${report.report_id}, ${report.claims.length} claim(s), signed by ${report.signer_did}${evidence ? `, bound to ${evidence.kind} evidence` : ''}\n`);
  if (!valid) throw new CliExit(EXIT_INVALID, `not verified: ${reasons.join('; ') || 'not valid'}`);
}

/** Registers `attest verify` on the `attest` group. */
export function registerAttestVerify(attest: Command): void {
  attest
    .command('verify')
    .description('verify a signed attestation report, alone or bound to its SEV-SNP / TDX evidence')
    .argument('<report>', 'report.json (as the attester or `attest serve` issued it)')
    .option('--evidence <file>', 'evidence.json: the TEE evidence the report is bound to (docs/attestation-service.md)')
    .option('--policy <file>', 'with --evidence: policy.json { "sev-snp": {…}, "tdx": {…} }')
    .option('--now <rfc3339>', 'check the validity window and certificates at this time (default: now)')
    .option('--trusted <dids...>', "dids whose signature is accepted (default: the report's signer_did)")
    .option('--trust-root <pem>', "with --evidence: trust this root instead of AMD's / Intel's pinned ones (a test PKI's ARK or root CA)")
    .option('--json', 'print the whole result as JSON')
    .action(attestVerify);
}
