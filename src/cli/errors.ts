// CLI exit codes (README "CLI"): 0 success / valid, 1 verification failed, 2 bad input.

/** Exit code for bad input: missing file, malformed JSON, wrong password, unknown option or alg. */
export const EXIT_BAD_INPUT = 2;
/** Exit code for a verification that ran and failed. */
export const EXIT_INVALID = 1;

/** Thrown inside commands to end the process with a one-line reason and an exit code. */
export class CliExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliExit';
    this.exitCode = exitCode;
  }
}

/** A bad-input exit (code 2) with `message` as the one-line reason. */
export function badInput(message: string, cause?: unknown): CliExit {
  return new CliExit(EXIT_BAD_INPUT, message, cause === undefined ? undefined : { cause });
}
