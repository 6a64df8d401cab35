// `quorumkit authz check-policy FILE [--json]`: reads a law / policy document
// (`quorumkit/authz-law/v1`, src/authz/law/document.ts) and reports what checkPolicy finds —
// unreachable rules and contradictions (src/authz/law/check-policy.ts). Output: one line per
// finding (`error <code> <path>: <message>`) and a summary, or with --json one object
// `{ file, errors, warnings, findings }`. Exit 0: no error-severity findings (warnings allowed);
// 1: at least one error (and one line saying so on stderr); 2: bad input (missing file, not JSON, not a v1 law document, a bad
// condition) with a one-line reason.

import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { checkPolicy, MAX_LAW_DOCUMENT_CHARS, type PolicyFinding } from '../../authz/index.js';
import { QuorumkitError } from '../../core/errors.js';
import { badInput, CliExit, EXIT_INVALID } from '../errors.js';
import { readTextFile } from '../io.js';

interface CheckPolicyOptions {
  readonly json?: boolean;
}

/** Reads `file` (capped at the law document limit; UTF-8 is at most 3 bytes per code unit). */
function readLaw(file: string): string {
  let st;
  try {
    st = statSync(file);
  } catch {
    return readTextFile(file, 'law document'); // reports ENOENT and friends in one line
  }
  if (!st.isFile() && !st.isDirectory()) throw badInput(`law document ${file} is not a regular file`);
  const size = st.size;
  if (size > 3 * MAX_LAW_DOCUMENT_CHARS) throw badInput(`law document ${file} is larger than ${3 * MAX_LAW_DOCUMENT_CHARS} bytes`);
  return readTextFile(file, 'law document');
}

/** Registers `authz check-policy` on the `authz` group. */
export function registerAuthzCheckPolicy(authz: Command): void {
  authz
    .command('check-policy')
    .description('check a law / policy document: unreachable rules and contradictions (exit 1 on errors)')
    .argument('<file>', 'a quorumkit/authz-law/v1 JSON document')
    .option('--json', 'print the findings as one JSON object')
    .action((file: string, opts: CheckPolicyOptions) => {
      const text = readLaw(file);
      let findings: PolicyFinding[];
      try {
        findings = checkPolicy(text);
      } catch (err) {
        if (err instanceof QuorumkitError) throw badInput(`${file}: ${err.message.split('\n')[0]}`, err);
        throw err;
      }
      const errors = findings.filter((f) => f.severity === 'error').length;
      const warnings = findings.length - errors;
      if (opts.json) process.stdout.write(`${JSON.stringify({ file, errors, warnings, findings })}\n`);
      else {
        for (const f of findings) process.stdout.write(`${f.severity} ${f.code} ${f.path}: ${f.message}\n`);
        process.stdout.write(`${file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
      }
      if (errors > 0) throw new CliExit(EXIT_INVALID, `${file}: the policy has ${errors} error finding${errors === 1 ? '' : 's'}`);
    });
}
