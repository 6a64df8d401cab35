// Runs a `quorumkit … serve` command of the built CLI (dist/cli/main.js) as a real child process:
// resolves once it prints its URL on stdout; collects its stderr. For restart, kill -9 and
// concurrency tests over real sockets.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './_run.js';

/** A serving child process. */
export interface Serving {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it wrote on stderr so far. */
  readonly stderr: () => string;
}

/** Starts `quorumkit ...args`; resolves with its URL once printed, rejects when it exits first. */
export async function serving(args: readonly string[]): Promise<Serving> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!.trim());
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return { child, url, stderr: () => err };
}

/** Resolves with the child's exit code (null when a signal ended it) once it has exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (c) => resolve(c))));
}
