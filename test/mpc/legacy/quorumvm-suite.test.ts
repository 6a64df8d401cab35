// QuorumVM's own distributed cluster suite (tests/test_whitepaper_cluster.py, 13 tests), run
// UNCHANGED from a QuorumVM checkout against quorumkit's `--legacy` services started as real
// processes from the CLI (dist/cli/main.js). Nothing of QuorumVM is copied into this repository.
//
//   QUORUMVM_DIR=/path/to/quorumvm npx vitest run test/mpc/legacy/quorumvm-suite.test.ts
//
// (a checkout: `git clone <quorumvm repo> /tmp/quorumvm`). Skipped with one line when QUORUMVM_DIR
// is unset, or when no python3 can import httpx and pydantic (Debian: `apt-get install -y
// python3-httpx python3-pydantic`; QUORUMVM_PYTHON names another interpreter).
//
// How it is run:
// - The services listen on ephemeral ports; the suite reads their URLs from QUORUMVM_COORDINATOR_URL
//   and QUORUMVM_CUSTODIAN_{0,1,2}_URL. Its readiness probe asks GET /health only of URLs that
//   contain "custodian" (its Kubernetes service names) and GET /audit of the others, so each
//   custodian URL carries the user-info `custodian-i@` (http://custodian-0@127.0.0.1:PORT): httpx
//   connects to 127.0.0.1 and sends a Basic credential, which the services ignore.
// - QuorumVM's compiler needs pydantic v2 (model_dump, model_post_init); Debian has 1.10 and this
//   machine reaches no PyPI. The directory pydantic-shim/ beside this file (quorumkit's own code)
//   goes first on PYTHONPATH: a `pydantic` package that loads the installed one and, on v1, adds
//   those two methods. With pydantic v2 it changes nothing.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startLegacyProcesses } from './_processes.js';

const SHIM = fileURLToPath(new URL('./pydantic-shim', import.meta.url));
const DIR = process.env['QUORUMVM_DIR'];

function findPython(dir: string): string | null {
  const candidates = [process.env['QUORUMVM_PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => typeof p === 'string' && p !== '');
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import httpx, pydantic, quorumvm.compiler.package'], { env: { ...process.env, PYTHONPATH: `${SHIM}:${dir}` }, encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

const why = DIR === undefined || DIR === ''
  ? 'QUORUMVM_DIR is unset'
  : !existsSync(join(DIR, 'tests', 'test_whitepaper_cluster.py'))
    ? `${DIR} has no tests/test_whitepaper_cluster.py`
    : null;
const python = why === null ? findPython(DIR!) : null;
const skip = why ?? (python === null ? 'no python3 that imports httpx and pydantic (apt-get install -y python3-httpx python3-pydantic)' : null);
if (skip !== null) console.log(`quorumvm-suite: skipped — ${skip}`);

describe.skipIf(skip !== null)("QuorumVM's cluster suite against quorumkit --legacy", () => {
  it('passes 13/13 of tests/test_whitepaper_cluster.py, unchanged', async () => {
    const svc = await startLegacyProcesses(3, 2);
    try {
      const env: Record<string, string> = {
        ...process.env as Record<string, string>,
        PYTHONPATH: `${SHIM}:${DIR}`,
        PYTHONUNBUFFERED: '1',
        QUORUMVM_COORDINATOR_URL: svc.coordinatorUrl,
      };
      svc.custodianUrls.forEach((u, i) => { env[`QUORUMVM_CUSTODIAN_${i}_URL`] = u.replace('http://', `http://custodian-${i}@`); });
      const child = spawn(python!, ['-m', 'tests.test_whitepaper_cluster'], { cwd: DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      const summary = out.match(/RESULTS: (\d+)\/(\d+) passed/);
      console.log(`quorumvm-suite: ${summary?.[0] ?? 'no RESULTS line'}`);
      if (code !== 0) console.log(out);
      expect(summary?.[0]).toBe('RESULTS: 13/13 passed');
      expect(code).toBe(0);
    } finally {
      await svc.stop();
    }
  });
});
