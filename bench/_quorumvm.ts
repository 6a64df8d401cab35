// QuorumVM itself as the baseline of bench/mpc.ts, in the same run: its coordinator and 3
// custodians (K = 2) from a checkout of its source (QK_QUORUMVM_DIR, default /tmp/quorumvm: `git
// clone` of github.com/saezbaldo/quorumvm), each a uvicorn process on loopback launched by
// bench/_quorumvm_launch.py with the system python3 (Debian's fastapi, uvicorn, httpx, pydantic).
// The package is built by quorumkit (its program id equals QuorumVM's: the vectors prove it), the
// custodians approve with QuorumVM's HMAC keys, and evaluations are QuorumVM's POST /eval (its
// Beaver path with P2P ε, δ), timed one by one from this process over keep-alive HTTP/1.1 — the
// same client transport the quorumkit rows use. When QuorumVM cannot start, `startQuorumVm`
// says why and the caller falls back to the figures recorded in the issue.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callService, nodeTransport, ServiceCallError } from 'quorumkit/http';

const LAUNCH = join(dirname(fileURLToPath(import.meta.url)), '_quorumvm_launch.py');
/** The system interpreter (Debian's packages live there, not in a pyenv). */
const PYTHON = process.env.QK_BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** A running QuorumVM cluster. */
export interface QuorumVm {
  readonly coordinatorUrl: string;
  readonly custodianUrls: readonly string[];
  /** Process ids of the coordinator and the custodians. */
  readonly pids: readonly (number | undefined)[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const transport = nodeTransport();

async function waitListening(url: string, child: ChildProcess, err: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}): ${err().trim().split('\n').slice(-3).join(' | ')}`);
    try {
      await callService(url, '/health', { timeoutMs: 1000, transport });
      return;
    } catch (e) {
      if (e instanceof ServiceCallError) return; // it answers (a 404 too): listening
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not start listening`);
}

/**
 * Starts QuorumVM's coordinator and 3 custodians; resolves once all answer.
 * @throws Error (one line) when the source, python or its packages are missing.
 */
export async function startQuorumVm(dir = process.env.QK_QUORUMVM_DIR ?? '/tmp/quorumvm'): Promise<QuorumVm> {
  if (!existsSync(join(dir, 'quorumvm', 'coordinator', 'app.py'))) throw new Error(`no QuorumVM source at ${dir} (git clone https://github.com/saezbaldo/quorumvm ${dir})`);
  const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
  const custodianUrls = ports.slice(0, 3).map((p) => `http://127.0.0.1:${p}`);
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 5000).unref();
    })));
  };
  const launch = async (args: string[], url: string): Promise<void> => {
    const child = spawn(PYTHON, [LAUNCH, ...args], { env: { ...process.env, QK_QUORUMVM_DIR: dir, PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => { err = (err + d.toString('utf8')).slice(-4000); });
    await waitListening(url, child, () => err);
  };
  try {
    await Promise.all(custodianUrls.map((u, i) => launch(['custodian', String(ports[i]), custodianUrls.join(','), String(i)], u)));
    const coordinatorUrl = `http://127.0.0.1:${ports[3]}`;
    await launch(['coordinator', String(ports[3]), custodianUrls.join(',')], coordinatorUrl);
    return { coordinatorUrl, custodianUrls, pids: children.map((c) => c.pid), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Installs a package (QuorumVM's JSON text) with a Beaver pool of `pool` evaluations, relays the
 * custodians' HMAC approvals and returns its program id once ACTIVE.
 */
export async function installOnQuorumVm(q: QuorumVm, packageText: string, programId: string, pool: number): Promise<void> {
  await Promise.all(q.custodianUrls.map((u, i) => callService(u, '/install', { bodyText: `{"program_package":${packageText},"share_x":${i + 1},"share_y":"0"}`, timeoutMs: 30_000, transport })));
  await callService(q.coordinatorUrl, '/install', { bodyText: `{"program_package":${packageText},"beaver_pool_size":${pool}}`, timeoutMs: 600_000, transport });
  let status = 'PENDING';
  for (let i = 0; i < q.custodianUrls.length; i++) {
    const a = await callService<{ signature: string }>(q.custodianUrls[i]!, '/approve', { body: { program_id: programId }, transport });
    status = (await callService<{ status: string }>(q.coordinatorUrl, '/approve', { body: { program_id: programId, custodian_index: i, signature: a.signature }, transport })).status;
  }
  if (status !== 'ACTIVE') throw new Error(`QuorumVM did not activate the program (${status})`);
}

/** One QuorumVM evaluation: POST /eval, returns its `result`. */
export async function evalOnQuorumVm(q: QuorumVm, programId: string, identity: string, inputs: Record<string, bigint>): Promise<bigint> {
  const text = Object.entries(inputs).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',');
  const r = await callService<{ result: bigint | number }>(q.coordinatorUrl, '/eval', { bodyText: `{"identity_id":${JSON.stringify(identity)},"program_id":"${programId}","inputs":{${text}}}`, bigints: true, timeoutMs: 30_000, transport });
  return BigInt(r.result);
}
