// The CLI checks the Node version before it loads anything that needs Node ≥ 22.13 (node:sqlite):
// run by an older Node it exits 2 with one line saying what to run instead, never a stack trace.
// Uses the system Node when it is older than 22 (the machines here ship Node 20); skipped with one
// line when none is found.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from './_run.js';

const CANDIDATES = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node'];

function majorOf(node: string): number {
  const r = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim().split('.')[0]) : NaN;
}

const oldNode = CANDIDATES.find((n) => existsSync(n) && majorOf(n) < 22);
if (oldNode === undefined) console.log(`node-version: skipped — no Node older than 22 at ${CANDIDATES.join(', ')}`);

describe.skipIf(oldNode === undefined)('quorumkit on a Node older than 22.13', () => {
  it.each([[['keys', 'show', 'alice.key.json']], [['governance', 'serve', '--data-dir', 'd', '--key', 'k']], [['--version']]])(
    '%j: exit 2, one line naming the Node needed and what to run instead, no stack trace',
    (args) => {
      const r = spawnSync(oldNode!, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/Node\.js ≥ 22\.13/);
      expect(lines[0]).toMatch(/npm run qk --/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stdout).toBe('');
    },
  );
});
