// `quorumkit bench [suite]`: runs a benchmark suite from bench/ (a checkout with dev dependencies).

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { badInput, CliExit } from '../errors.js';

/** The bench/ folder of the package this CLI belongs to. */
function benchDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench');
}

/** Suite names: bench/<suite>.ts files. */
export function listSuites(dir = benchDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Registers `bench` on `program`. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run a benchmark suite (bench/<suite>.ts); writes bench/results/<suite>.json')
    .argument('[suite]', 'suite name; all suites when omitted')
    .action((suite: string | undefined) => {
      const dir = benchDir();
      const suites = listSuites(dir);
      if (suites.length === 0) throw badInput(`no benchmark suites found in ${dir} (benchmarks run from a source checkout after npm ci)`);
      if (suite !== undefined && !suites.includes(suite)) throw badInput(`unknown suite ${JSON.stringify(suite)} (have: ${suites.join(', ')})`);
      for (const s of suite === undefined ? suites : [suite]) {
        const r = spawnSync(process.execPath, [join(dir, `${s}.ts`)], { stdio: 'inherit' });
        if (r.status !== 0) throw new CliExit(r.status ?? 1, `bench suite ${s} failed`);
      }
    });
}
