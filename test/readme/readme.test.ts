// The README stays true: every TypeScript block in it is a verbatim excerpt of a file in examples/
// (which the examples test runs), every shell block under "## CLI" runs as written (in a directory
// laid out like a checkout) and exits 0, and the CLI table names every option of every command.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { README, ROOT, blocks, checkoutLike, runBlock, section } from './_checkout.js';

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

  it('the CLI section\'s shell blocks run as written and exit 0', async () => {
    const sh = blocks('sh', section('CLI'));
    expect(sh.length).toBeGreaterThan(0);
    const checkout = checkoutLike();
    try {
      for (const block of sh) {
        const r = await runBlock(block, checkout.dir);
        expect(r.code, `${block}\n${r.stdout}\n${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(/"valid":true/);
      }
    } finally {
      checkout.remove();
    }
  });

  it('the CLI table names every command with every one of its options', () => {
    const rows = section('CLI').split('\n').filter((l) => l.startsWith('| `quorumkit '));
    const leaves = (c: Command, path: string[]): [string, Command][] =>
      c.commands.flatMap((s) => (s.commands.length > 0 ? leaves(s, [...path, s.name()]) : [[[...path, s.name()].join(' '), s] as [string, Command]]));
    const commands = leaves(buildProgram(), []);
    expect(commands.length).toBeGreaterThan(10);
    for (const [name, cmd] of commands) {
      const row = rows.find((r) => r.startsWith(`| \`quorumkit ${name} `) || r.startsWith(`| \`quorumkit ${name}\``));
      expect(row, `no README row for quorumkit ${name}`).toBeDefined();
      const usage = /^\| `([^`]*)`/.exec(row!)![1]!;
      for (const o of cmd.options) expect(usage, `quorumkit ${name}: ${o.long} undocumented`).toContain(o.long!);
    }
  });

  it('documents the two set-up commands', () => {
    expect(README).toContain('npm ci && npm run demo');
    expect(README).toContain('npm test');
  });
});
