// Locates the conformance vectors folder (DESIGN.md, Testing): $QUORUMKIT_VECTORS, else
// <repo>/../shared/data. Vectors are never copied into the repository; when the default folder is
// absent, vector suites are skipped with exactly one console line each — but a folder named by
// QUORUMKIT_VECTORS, or any run under CI, must exist: there a missing folder fails the suite.

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/** The repository root (the parent of test/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Absolute path of the vectors folder, or null when it does not exist. */
export function vectorsDir(): string | null {
  const env = process.env['QUORUMKIT_VECTORS'];
  const dir = env !== undefined && env !== '' ? path.resolve(env) : path.resolve(repoRoot, '../shared/data');
  try {
    return statSync(dir).isDirectory() ? dir : null;
  } catch {
    return null;
  }
}

/** Absolute path of `rel` inside the vectors folder. Throws when the folder is absent. */
export function vectorPath(rel: string): string {
  const dir = vectorsDir();
  if (dir === null) throw new Error('vectors folder not found (set QUORUMKIT_VECTORS)');
  return path.join(dir, rel);
}

/** True when `rel` exists inside the vectors folder. */
export function hasVector(rel: string): boolean {
  const dir = vectorsDir();
  return dir !== null && existsSync(path.join(dir, rel));
}

/** Raw text (UTF-8) of a vectors file. */
export function readVectorText(rel: string): string {
  return readFileSync(vectorPath(rel), 'utf8');
}

/** Raw bytes of a vectors file. */
export function readVectorBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(vectorPath(rel)));
}

/** A vectors file parsed with JSON.parse (use parseStrict on readVectorText when exactness matters). */
export function readVectorJson<T = unknown>(rel: string): T {
  return JSON.parse(readVectorText(rel)) as T;
}

/** Where the vectors were asked for but are missing (QUORUMKIT_VECTORS named, or CI), else null. */
function requiredButMissing(): string | null {
  const explicit = (process.env['QUORUMKIT_VECTORS'] ?? '') !== '';
  if (!explicit && !process.env['CI']) return null;
  return explicit ? `QUORUMKIT_VECTORS=${process.env['QUORUMKIT_VECTORS']}` : '../shared/data (CI)';
}

const SKIPPED = 'skipped — vectors folder not found (set QUORUMKIT_VECTORS)';

/**
 * `describe(title, …)` when the vectors folder exists, else a skipped suite and one console line:
 * `[vectors] <title>: skipped — vectors folder not found (set QUORUMKIT_VECTORS)`.
 * `fn` receives the folder's absolute path. A folder that was asked for (QUORUMKIT_VECTORS, or CI,
 * which always has ../shared) must not turn into a silent skip: there the suite fails.
 */
export function describeVectors(title: string, fn: (dir: string) => void): void {
  const dir = vectorsDir();
  if (dir !== null) {
    describe(title, () => fn(dir));
    return;
  }
  const where = requiredButMissing();
  if (where !== null) {
    describe(title, () => {
      it('finds the vectors folder', () => {
        throw new Error(`vectors folder not found at ${where}`);
      });
    });
    return;
  }
  console.log(`[vectors] ${title}: ${SKIPPED}`);
  describe.skip(title, () => {
    it('vectors folder not found', () => {});
  });
}

/**
 * One test case that needs the vectors, inside a suite that does not: `it(title, fn, timeout)` when the
 * folder exists; else, as {@link describeVectors}, a failure where the folder was asked for, or a skipped
 * case and one console line.
 */
export function itVectors(title: string, fn: (dir: string) => unknown, timeout?: number): void {
  const dir = vectorsDir();
  if (dir !== null) {
    it(title, () => fn(dir), timeout);
    return;
  }
  const where = requiredButMissing();
  if (where !== null) {
    it(title, () => {
      throw new Error(`vectors folder not found at ${where}`);
    });
    return;
  }
  console.log(`[vectors] ${title}: ${SKIPPED}`);
  it.skip(title, () => {});
}
