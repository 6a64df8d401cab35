// Every example in examples/ (and so every README code block copied from them) runs and exits 0.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const examples = readdirSync(join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .sort();

describe('examples', () => {
  it('finds examples', () => expect(examples.length).toBeGreaterThan(0));
  for (const ex of examples) {
    it(`examples/${ex} runs`, () => {
      const r = spawnSync(process.execPath, [join(ROOT, 'examples', ex)], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/true/);
    });
  }
});
