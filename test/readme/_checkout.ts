// Runs README shell blocks as they stand, in a temporary directory laid out like a checkout
// (package.json, build.mjs, dist/ and node_modules/ linked to this one), so `npm run -s qk -- …`
// resolves exactly as it does for a reader. Each block runs under `bash -c 'set -euo pipefail'`
// in its own process group, which is killed afterwards, so a background `serve` never outlives it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The fenced blocks of `lang` in `text`. */
export function blocks(lang: string, text = README): string[] {
  const re = new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g');
  return [...text.matchAll(re)].map((m) => m[1]!);
}

/** The README section under `## heading`, up to the next `## `. */
export function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** A fresh directory that looks like this checkout to npm and to the CLI. */
export function checkoutLike(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'qk-readme-'));
  for (const f of ['package.json', 'build.mjs', 'dist', 'node_modules']) symlinkSync(join(ROOT, f), join(dir, f));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a block did. */
export interface BlockRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `block` with bash in `cwd` (strict mode), killing its whole process group when it ends or times out. */
export function runBlock(block: string, cwd: string, timeoutMs = 120_000): Promise<BlockRun> {
  const child = spawn('bash', ['-c', `set -euo pipefail\n${block}`], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killGroup = (): void => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* the group is gone */
    }
  };
  const timer = setTimeout(() => {
    stderr += `\n(timed out after ${timeoutMs} ms)`;
    killGroup();
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, stdout, stderr });
    });
  });
}
