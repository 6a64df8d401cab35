// The MPC cluster of bench/mpc.ts as real processes, started through the CLI exactly as an operator
// would (src/cli/commands/mpc.ts): `mpc identity` creates each service's identity in its data dir
// and prints its did, then 3 custodians, the dealer and the coordinator (K = 2) are spawned with
// `node dist/cli/main.js mpc …`, every one on an ephemeral loopback port (its URL is the first line
// it prints). Data dirs live on disk under one temporary folder (node:sqlite WAL, fdatasync before
// every answer), the services' logs in its logs/ folder. With `profileDir`, every service runs
// under `node --cpu-prof` and writes `<service>.cpuprofile` there when stopped (SIGTERM: the CLI
// closes its service and exits). Benches run as plain Node on their .ts files against the built
// package, so this cannot share src/cli/mpc-cluster.ts (the launcher of the demo and the tests).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** One running service process. */
export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly did: string;
  readonly child: ChildProcess;
}

/** The running cluster. */
export interface MpcCluster {
  readonly dir: string;
  readonly custodians: readonly ServiceProcess[];
  readonly dealer: ServiceProcess;
  readonly coordinator: ServiceProcess;
  /** Stops every process (SIGTERM, then SIGKILL after a grace period) and removes the data dirs. */
  stop(): Promise<void>;
}

/** Runs `node dist/cli/main.js mpc identity --data-dir D --name N` and returns the did it prints. */
function identity(dataDir: string, name: string): string {
  const r = spawnSync(process.execPath, [CLI, 'mpc', 'identity', '--data-dir', dataDir, '--name', name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mpc identity failed for ${name}: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Spawns `mpc <role> …` and waits for the URL line on its stdout. The service's stderr (one JSON
 * log line per request) goes straight to `<logDir>/<name>.log`, not through a pipe to this process:
 * a pipe would wake the bench for every line, which on a 2-core machine takes the CPU from the
 * services being measured.
 */
function start(name: string, args: readonly string[], did: string, profileDir: string | undefined, logDir: string): Promise<ServiceProcess> {
  const prof = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', join(profileDir, `.${name}`)];
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...prof, CLI, 'mpc', ...args], { stdio: ['ignore', 'pipe', fd] });
  closeSync(fd);
  const tail = (): string => {
    try { return readFileSync(logFile, 'utf8').slice(-4000); } catch { return ''; }
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      child.stdout!.resume(); // nothing more is printed on stdout; never let it block
      resolve({ name, url: out.slice(0, nl).trim(), did, child });
    };
    const onExit = (code: number | null): void => reject(new Error(`${name} exited (${code}) before listening: ${tail()}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stopProcess(p: ServiceProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
    p.child.once('exit', () => { clearTimeout(timer); resolve(); });
    p.child.kill('SIGTERM');
  });
}

/**
 * Starts 3 custodians, a dealer and a coordinator (threshold `k`) trusting `ownerDid` as the model
 * owner; resolves once all listen.
 */
export async function startMpcCluster(o: { ownerDid: string; n?: number; k?: number; profileDir?: string }): Promise<MpcCluster> {
  const n = o.n ?? 3;
  const k = o.k ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'qk-bench-mpc-'));
  const d = (s: string): string => join(dir, s);
  mkdirSync(d('logs'));
  const coordDid = identity(d('coordinator'), 'coordinator');
  const dealerDid = identity(d('dealer'), 'dealer');
  const custodians: ServiceProcess[] = [];
  const all: ServiceProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(all.map(stopProcess));
    if (o.profileDir !== undefined) collectProfiles(o.profileDir, all.map((p) => p.name));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < n; i++) {
      const name = `custodian-${i}`;
      const did = identity(d(name), name);
      const p = await start(name, ['custodian', '--index', String(i), '--port', '0', '--data-dir', d(name), '--coordinator', coordDid, '--dealer', dealerDid, '--owner', o.ownerDid], did, o.profileDir, d('logs'));
      custodians.push(p);
      all.push(p);
    }
    const urls = custodians.map((c) => c.url).join(',');
    const dealer = await start('dealer', ['dealer', '--port', '0', '--data-dir', d('dealer'), '--custodians', urls, '--threshold', String(k), '--coordinator', coordDid], dealerDid, o.profileDir, d('logs'));
    all.push(dealer);
    const coordinator = await start('coordinator', ['coordinator', '--port', '0', '--data-dir', d('coordinator'), '--custodians', urls, '--threshold', String(k), '--dealer', `${dealer.url}=${dealerDid}`, '--owner', o.ownerDid], coordDid, o.profileDir, d('logs'));
    all.push(coordinator);
    return { dir, custodians, dealer, coordinator, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Moves each service's V8 profile from its own folder to `<profileDir>/<service>.cpuprofile`. */
function collectProfiles(profileDir: string, names: readonly string[]): void {
  mkdirSync(profileDir, { recursive: true });
  for (const name of names) {
    const sub = join(profileDir, `.${name}`);
    let files: string[] = [];
    try { files = readdirSync(sub).filter((f) => f.endsWith('.cpuprofile')); } catch { continue; }
    if (files[0] !== undefined) renameSync(join(sub, files[0]), join(profileDir, `${name}.cpuprofile`));
    rmSync(sub, { recursive: true, force: true });
  }
}
