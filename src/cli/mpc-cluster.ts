// An MPC cluster of real processes started through the CLI (`quorumkit mpc …`), each with its data
// dir under one temp dir and a fixed loopback port (so a restarted service keeps its URL): N
// custodians, a dealer, a coordinator — or, `legacy`, QuorumVM-compatible custodians and a
// coordinator (no dealer, unsigned). Services can be SIGKILLed and restarted on the same data dir.
// Each service's stderr (one JSON line per request) is kept in memory for error messages. The
// launcher of `quorumkit demo` and the tests (benches run plain Node against the built package and
// keep their own, bench/_mpc-cluster.ts). Node-only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Identity } from '../pq/identity.js';

/** A free loopback port (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** One running service process. */
export interface Proc {
  child: ChildProcess;
  /** What it wrote on stderr. */
  stderr: string;
}

/** A cluster of MPC service processes. */
export interface ProcessCluster {
  readonly dir: string;
  readonly owner: Identity;
  readonly coordinatorUrl: string;
  /** The dealer's URL (undefined for a legacy cluster). */
  readonly dealerUrl: string | undefined;
  readonly custodianUrls: readonly string[];
  readonly custodianDids: readonly string[];
  readonly procs: Map<string, Proc>;
  readonly dids: Readonly<Record<string, string>>;
  /** Starts (or restarts) a service by name: `custodian-<i>`, `dealer`, `coordinator`. */
  start(name: string): Promise<void>;
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Stops every service (SIGTERM, SIGKILL after `graceMs`) and removes the data dirs. */
  close(graceMs?: number): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Options of {@link startProcessCluster}. */
export interface ProcessClusterOptions {
  readonly n?: number;
  readonly k?: number;
  /** Extra CLI flags per service name. */
  readonly extra?: Record<string, string[]>;
  /** The CLI entry (default: the built dist/cli/main.js). */
  readonly cli?: string;
  /** QuorumVM-compatible services (`--legacy`): custodians and a coordinator, no dealer, no identities. */
  readonly legacy?: boolean;
}

/** Starts N custodians, the dealer and the coordinator (or the legacy services) as CLI processes. */
export async function startProcessCluster(opts: ProcessClusterOptions = {}): Promise<ProcessCluster> {
  const n = opts.n ?? 3;
  const k = opts.k ?? 2;
  const legacy = opts.legacy === true;
  // Bundled, this module lives in dist/cli/ or dist/chunks/: either way the CLI is ../cli/main.js.
  const CLI = opts.cli ?? fileURLToPath(new URL('../cli/main.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'qk-mpc-procs-'));
  const did = (name: string): Promise<string> => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'mpc', 'identity', '--data-dir', join(dir, name), '--name', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`mpc identity ${name}: ${err}`))));
  });
  const owner = await Identity.create('owner');
  const custodianNames = Array.from({ length: n }, (_, i) => `custodian-${i}`);
  const [coordinatorDid, dealerDid, ...custodianDids] = legacy ? ['', '', ...custodianNames.map(() => '')] : await Promise.all(['coordinator', 'dealer', ...custodianNames].map(did)) as [string, string, ...string[]];
  const ports = await Promise.all(Array.from({ length: n + 2 }, () => freePort()));
  const custodianUrls = ports.slice(0, n).map((p) => `http://127.0.0.1:${p}`);
  const dealerUrl = legacy ? undefined : `http://127.0.0.1:${ports[n]}`;
  const coordinatorUrl = `http://127.0.0.1:${ports[n + 1]}`;
  const args: Record<string, string[]> = legacy
    ? { coordinator: ['mpc', 'coordinator', '--legacy', '--port', String(ports[n + 1]), '--custodians', custodianUrls.join(','), '--threshold', String(k)] }
    : {
      dealer: ['mpc', 'dealer', '--port', String(ports[n]), '--custodians', custodianUrls.join(','), '--threshold', String(k), '--coordinator', coordinatorDid],
      coordinator: ['mpc', 'coordinator', '--port', String(ports[n + 1]), '--custodians', custodianUrls.join(','), '--threshold', String(k), '--dealer', `${dealerUrl}=${dealerDid}`, '--owner', owner.did],
    };
  for (let i = 0; i < n; i++) {
    args[`custodian-${i}`] = legacy
      ? ['mpc', 'custodian', '--legacy', '--index', String(i), '--port', String(ports[i])]
      : ['mpc', 'custodian', '--index', String(i), '--port', String(ports[i]), '--coordinator', coordinatorDid, '--dealer', dealerDid, '--owner', owner.did];
  }
  const procs = new Map<string, Proc>();
  const start = (name: string): Promise<void> => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args[name]!, '--data-dir', join(dir, name), ...(opts.extra?.[name] ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    const p: Proc = { child, stderr: '' };
    procs.set(name, p);
    child.stderr!.on('data', (d: Buffer) => { p.stderr += d.toString(); });
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (!out.includes('\n')) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume(); // nothing more is printed on stdout; never let it block
      resolve();
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before listening: ${p.stderr}`)));
  });
  const kill = async (name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const p = procs.get(name);
    if (!p) return;
    p.child.kill(signal);
    await exited(p.child);
  };
  const stop = async (name: string, graceMs: number): Promise<void> => {
    const p = procs.get(name);
    if (!p) return;
    const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
    await kill(name, 'SIGTERM');
    clearTimeout(timer);
  };
  const close = async (graceMs = 10_000): Promise<void> => {
    await Promise.all([...procs.keys()].map((name) => stop(name, graceMs)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(custodianNames.map(start));
    await Promise.all([...(legacy ? [] : [start('dealer')]), start('coordinator')]);
  } catch (e) {
    await close(2_000);
    throw e;
  }
  return {
    dir, owner, coordinatorUrl, dealerUrl, custodianUrls, custodianDids, procs, start, kill, close,
    dids: legacy ? {} : { coordinator: coordinatorDid, dealer: dealerDid, ...Object.fromEntries(custodianDids.map((d, i) => [`custodian-${i}`, d])) },
  };
}
