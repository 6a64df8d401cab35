// The quorumkit command line (commander). Exit codes: 0 ok, 1 verification failed, 2 bad input
// (also: no command, or a command group with no subcommand — the usage goes to stderr).

import { Command, CommanderError } from 'commander';
import { registerBench } from './commands/bench.js';
import { registerHash } from './commands/hash.js';
import { registerAttest } from './commands/attest.js';
import { registerAuthz } from './commands/authz.js';
import { registerTee } from './commands/tee.js';
import { registerDemo } from './commands/demo.js';
import { registerGovernance } from './commands/governance.js';
import { registerMpc } from './commands/mpc.js';
import { registerKeys } from './commands/keys.js';
import { registerSign } from './commands/sign.js';
import { registerVerify } from './commands/verify.js';
import { registerAuthzServe } from './commands/authz-serve.js';
import { CliExit, EXIT_BAD_INPUT } from './errors.js';

/** Builds the commander program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('quorumkit')
    .description('post-quantum trust engine for fleets of AI models and agents')
    .version('0.1.0')
    .showHelpAfterError(false)
    .exitOverride();
  // Commander reports its own usage errors; they are bad input: exit 2, one line.
  program.configureOutput({ outputError: (str, write) => write(str.split('\n')[0]! + '\n') });
  registerKeys(program);
  registerSign(program);
  registerVerify(program);
  registerHash(program);
  registerAttest(program);
  registerTee(program);
  registerBench(program);
  registerDemo(program);
  registerGovernance(program);
  registerMpc(program);
  registerAuthz(program);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  registerAuthzServe(program); // after every group: joins `authz` if registered, else creates it
  return program;
}

/**
 * Runs the CLI on `argv` (as process.argv) and returns the exit code; never calls process.exit.
 * Reasons for failure go to stderr as one line.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help or the version asked for: 0. Help shown because a command group got no subcommand
      // (commander prints the usage on stderr and reports a non-zero code): bad input.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
      return EXIT_BAD_INPUT; // commander already printed the one-line reason
    }
    if (err instanceof CliExit) {
      process.stderr.write(`quorumkit: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`quorumkit: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    return 70;
  }
}
