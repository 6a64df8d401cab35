// `quorumkit tee …`: TEE evidence. `tee verify` checks an AMD SEV-SNP report, an Azure HCL report
// or an Intel TDX quote offline against the pinned AMD / Intel roots (tee-verify.ts). Fetching
// evidence in a guest (`tee report`, tee-report.ts) is on the same group.

import type { Command } from 'commander';
import { registerTeeReport } from './tee-report.js';
import { registerTeeVerify } from './tee-verify.js';

/** Registers `tee` and its subcommands on `program`; returns the group for further subcommands. */
export function registerTee(program: Command): Command {
  const tee = program.command('tee').description('TEE evidence: verify AMD SEV-SNP reports and Intel TDX quotes, fetch them in a guest');
  registerTeeVerify(tee);
  registerTeeReport(tee);
  return tee;
}
