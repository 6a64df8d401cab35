// `quorumkit mpc compile`: QuorumVM's package JSON for a program (the sample's program id is
// QuorumVM's), its analysis on stderr, and malformed programs or policies as exit 2 with one line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStrict } from '../../../src/core/parse-strict.js';
import { runCli } from '../../cli/_run.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-mpc-compile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };

describe('quorumkit mpc compile', () => {
  it('prints the package; the sample is QuorumVM\'s program d2a06e47…', () => {
    const r = runCli(['mpc', 'compile', '--in', file('sample.dsl', 'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n')]);
    expect(r.code, r.stderr).toBe(0);
    const pkg = parseStrict(r.stdout, { bigints: true }) as { program_id: string; ir: { nodes: unknown[] } };
    expect(pkg.program_id).toBe('d2a06e47d97652a7961f2c85610a743ee26f012b0b6e22ba08a4e88049f015d9');
    expect(parseStrict(r.stderr)).toEqual({ program_id: pkg.program_id, nodes: 4, secure_multiplications: 1, multiplicative_depth: 1, extraction_bound: null });
  });

  it('reports the extraction bound of a program with secrets, and takes a policy file', () => {
    const src = file('score.dsl', 'input a\ninput b\nsecret w1\nsecret w2\ndot s = a w1 b w2\noutput s\n');
    const r = runCli(['mpc', 'compile', '--in', src, '--policy', file('p.json', '{"budget_per_identity":2}')]);
    expect(r.code, r.stderr).toBe(0);
    expect((parseStrict(r.stderr) as { extraction_bound: string }).extraction_bound).toBe('3');
    expect((parseStrict(r.stdout) as { policy_manifest: unknown }).policy_manifest).toEqual({ cost_per_eval: 1, budget_per_identity: 2, max_evals_per_minute: 10 });
  });

  it.each([
    ['input x\nadd y = x q\noutput y\n', /line 2, column 11: undefined identifier 'q'/],
    ['input x\ninput x\noutput x\n', /line 2.*duplicate identifier 'x'/],
    ['input x\nfrobnicate y = x\noutput x\n', /line 2.*unknown keyword/],
    ['input x\n', /no output/i],
  ])('a malformed program is exit 2 with one line: %j', (src, pattern) => {
    const r = runCli(['mpc', 'compile', '--in', file('bad.dsl', src)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });

  it('a bad policy file or a missing program is exit 2', () => {
    const src = file('ok.dsl', 'input x\noutput x\n');
    for (const args of [['--policy', file('bad.json', '{"budget_per_identity":-1}')], ['--policy', file('dup.json', '{"a":1,"a":2}')]]) {
      const r = runCli(['mpc', 'compile', '--in', src, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(runCli(['mpc', 'compile', '--in', join(dir, 'nope.dsl')]).code).toBe(2);
  });
});
