// The README stays true: every TypeScript block in it is a verbatim excerpt of a file in examples/
// (which the examples test runs), and every shell block under "## CLI" runs and exits 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function blocks(lang: string, text = README): string[] {
  const re = new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g');
  return [...text.matchAll(re)].map((m) => m[1]!);
}

function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

const examples = readdirSync(join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(ROOT, 'examples', f), 'utf8'));

describe('README', () => {
  it('every ts block is an excerpt of an example that the suite runs', () => {
    const ts = blocks('ts');
    expect(ts.length).toBeGreaterThan(0);
    for (const block of ts) {
      const lines = block.trim().split('\n');
      const found = examples.some((src) => {
        const srcLines = src.split('\n');
        return srcLines.some((_, i) => lines.every((l, j) => srcLines[i + j] === l));
      });
      expect(found, `README block not found verbatim in examples/:\n${block}`).toBe(true);
    }
  });

  it('the CLI section\'s shell blocks run and exit 0', () => {
    const sh = blocks('sh', section('CLI'));
    expect(sh.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'qk-readme-'));
    try {
      for (const block of sh) {
        const script = `set -euo pipefail\n${block.replaceAll('node dist/cli/main.js', `"${process.execPath}" "${ROOT}dist/cli/main.js"`)}`;
        const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
        expect(r.status, `${script}\n${r.stdout}\n${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(/"valid":true/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('documents the two set-up commands', () => {
    expect(README).toContain('npm ci && npm run demo');
    expect(README).toContain('npm test');
  });
});
