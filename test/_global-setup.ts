// Builds dist/ (WASM + bundles) once before the suite when it is stale, so CLI and bundle tests
// run against what `npm run build` produces. `npm test` has already built it in `pretest`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (!existsSync(`${root}/build.mjs`)) return;
  execFileSync(process.execPath, ['build.mjs', '--if-stale'], { cwd: root, stdio: 'inherit' });
}
