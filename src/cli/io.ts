// File helpers for the CLI: strict JSON in, atomic writes out (temp file + rename), so a failed
// command never leaves a partial or truncated output file behind.

import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { parseStrict } from '../core/parse-strict.js';
import { badInput } from './errors.js';

/** Reads a UTF-8 file, or exits 2 with a one-line reason. */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw badInput(`${what} not found: ${path}`);
    if (code === 'EISDIR') throw badInput(`${what} is a directory: ${path}`);
    throw badInput(`cannot read ${what} ${path}: ${code ?? (err as Error).message}`);
  }
}

/** Reads and strictly parses a JSON file (duplicate keys rejected), or exits 2. */
export function readJsonFile(path: string, what: string): unknown {
  const text = readTextFile(path, what);
  try {
    return parseStrict(text);
  } catch (err) {
    throw badInput(`${what} ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Options for writeFileAtomic. */
export interface WriteOptions {
  readonly mode?: number;
  /** Refuse to replace an existing file (exit 2). */
  readonly noClobber?: boolean;
}

/** Writes `data` to `path` via a temp file and rename; exits 2 when it cannot. */
export function writeFileAtomic(path: string, data: string, options: WriteOptions = {}): void {
  if (options.noClobber && existsSync(path)) throw badInput(`refusing to overwrite existing file ${path}`);
  const dir = dirname(path);
  if (!existsSync(dir)) throw badInput(`output directory does not exist: ${dir}`);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data, { mode: options.mode ?? 0o644, flag: 'wx' });
    // No-clobber: link() fails with EEXIST if the name appeared after the check above, so a file
    // created concurrently is never replaced; otherwise rename() replaces atomically.
    if (options.noClobber) linkSync(tmp, path);
    else renameSync(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw badInput(`refusing to overwrite existing file ${path}`);
    throw badInput(`cannot write ${path}: ${code ?? (err as Error).message}`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Reads a password from the named environment variable, or exits 2. The value is never printed. */
export function passwordFromEnv(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw badInput(`--password-env expects a variable name, got ${JSON.stringify(name)}`);
  const value = process.env[name];
  if (value === undefined || value === '') throw badInput(`environment variable ${name} is not set or empty`);
  return value;
}
