// `quorumkit mpc compile --in program.dsl [--policy policy.json] [--version V] [--optimize]`:
// compiles a DSL program and prints its package — QuorumVM's JSON (program_id, version, ir,
// secret_manifest, policy_manifest) with exact integer literals — plus its analysis (secure
// multiplications, multiplicative depth, extraction bound) on stderr. A malformed program is bad
// input: exit 2 with one line naming the line and column.

import type { Command } from 'commander';
import { canonicalizePython } from '../../core/canonical-python.js';
import { isQuorumkitError } from '../../core/errors.js';
import { buildPackage, compileDsl, countSecureMuls, extractionBound, multiplicativeDepth, optimizeIr, packageToJson, type PolicyManifest } from '../../mpc/compiler.js';
import { badInput } from '../errors.js';
import { readJsonFile, readTextFile } from '../io.js';

interface CompileFlags {
  readonly in: string;
  readonly policy?: string;
  readonly version?: string;
  readonly optimize?: boolean;
}

function compile(o: CompileFlags): void {
  const source = readTextFile(o.in, 'program');
  const policy = o.policy === undefined ? undefined : readJsonFile(o.policy, 'policy file');
  try {
    let ir = compileDsl(source);
    if (o.optimize) ir = optimizeIr(ir);
    const pkg = buildPackage(ir, { ...(o.version ? { version: o.version } : {}), ...(policy === undefined ? {} : { policy: policy as Partial<PolicyManifest> }) });
    const bound = extractionBound(pkg.ir);
    process.stderr.write(`${JSON.stringify({ program_id: pkg.programId, nodes: pkg.ir.nodes.length, secure_multiplications: countSecureMuls(pkg.ir), multiplicative_depth: multiplicativeDepth(pkg.ir), extraction_bound: bound === null ? null : bound.toString() })}\n`);
    process.stdout.write(`${canonicalizePython(packageToJson(pkg))}\n`);
  } catch (e) {
    if (isQuorumkitError(e) || e instanceof TypeError || e instanceof RangeError) throw badInput(`${o.in}: ${e.message}`);
    throw e;
  }
}

/** Registers `mpc compile` on the `mpc` command. */
export function registerMpcCompile(mpc: Command): void {
  mpc.command('compile').description('compile a DSL program; print its package (QuorumVM JSON) on stdout and its analysis on stderr')
    .requiredOption('--in <file>', 'the DSL source')
    .option('--policy <file>', 'policy_manifest JSON ({cost_per_eval, budget_per_identity, max_evals_per_minute}; QuorumVM defaults 1, 5, 10)')
    .option('--version <v>', 'package version (default 1.0.0)')
    .option('--optimize', 'apply the optimizer (CSE and dead-node pruning; never merges inputs)')
    .action(compile);
}
