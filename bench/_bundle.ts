// Bundles a bench-only entry from src/ with the esbuild options build.mjs uses for dist/ and imports
// it. The bundle is written under build/bench/ (inside the checkout, so its bare imports resolve to
// node_modules), named per process so concurrent runs never share a file, and removed once loaded.

import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `entry` (a path relative to the checkout) and returns the imported module. */
export async function importBundled<T>(entry: string): Promise<T> {
  const esbuild = await import('esbuild');
  const dir = join(ROOT, 'build', 'bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `bundle-${process.pid}-${Date.now()}.mjs`);
  await esbuild.build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    logLevel: 'silent',
  });
  try {
    return (await import(pathToFileURL(outfile).href)) as T;
  } finally {
    rmSync(outfile, { force: true });
  }
}
