// `quorumkit mpc custodian|coordinator|dealer|identity`: the threshold-MPC services as processes.
// Each keeps its keys and state in its data dir (created on first start): identity.json (ML-DSA),
// for a custodian channel-key.json (ML-KEM-768), the service's SQLite store and log.db. A service
// prints its URL on stdout once listening, logs JSON lines on stderr, and shuts down on
// SIGTERM/SIGINT. Bad flags, a held data dir or a newer database: exit 2 with one line.

import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { isQuorumkitError } from '../../core/errors.js';
import { serveApp, type RunningServer } from '../../http/index.js';
import { isPqaidDid } from '../../pq/did.js';
import {
  CoordinatorService, CustodianService, DealerService, createCoordinatorApp, createCustodianApp, createDealerApp, loadChannelKey, loadServiceIdentity,
} from '../../mpc/server/index.js';
import { legacyCoordinator, legacyCustodian, legacyOptions } from './mpc-legacy.js';
import { badInput } from '../errors.js';
import { registerMpcCompile } from './mpc-compile.js';
import { passwordFromEnv } from '../io.js';

/** Flags every MPC service takes. */
export interface Common {
  readonly port: string;
  readonly host: string;
  readonly dataDir: string;
  readonly passwordEnv?: string;
  readonly legacy?: boolean;
  readonly hmacKeys?: string;
}

/** One JSON log line on stderr. */
export const stderrLine = (entry: Record<string, unknown>): void => { process.stderr.write(`${JSON.stringify(entry)}\n`); };

/** Reads --port. */
export function port(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw badInput(`--port expects 0..65535, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** Reads an integer flag in [min, max]. */
export function count(flag: string, text: string, min: number, max: number): number {
  if (!/^\d{1,6}$/.test(text) || Number(text) < min || Number(text) > max) throw badInput(`${flag} expects an integer ${min}..${max}, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** A comma-separated list of dids (`--x did,did`); empty when absent. */
function dids(flag: string, text: string | undefined): Set<string> {
  const list = (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const d of list) if (!isPqaidDid(d)) throw badInput(`${flag} expects did:pqaid:… values, got ${JSON.stringify(d)}`);
  return new Set(list);
}

/** Reads a comma-separated list of http(s) URLs. */
export function urls(flag: string, text: string): { url: string }[] {
  const list = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0) throw badInput(`${flag} expects a comma-separated list of URLs`);
  for (const u of list) {
    let ok = false;
    try { ok = ['http:', 'https:'].includes(new URL(u).protocol); } catch { ok = false; }
    if (!ok) throw badInput(`${flag}: not an http(s) URL: ${JSON.stringify(u)}`);
  }
  return list.map((url) => ({ url }));
}

/** Refuses a data dir path that is not a directory. */
export function checkDir(dir: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw badInput(`data dir ${dir} exists and is not a directory`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** Opens a service, mapping typed failures (held dir, newer schema, bad key file) to exit 2. */
export async function opening<T>(what: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (e) {
    if (isQuorumkitError(e) || e instanceof RangeError || e instanceof TypeError) throw badInput(`${what}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException)?.code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw badInput(`${what}: ${code}`);
    throw e;
  }
}

/** Serves until SIGTERM/SIGINT, then closes the server and the service. */
export async function run(server: RunningServer, close: () => Promise<void>, info: Record<string, unknown>): Promise<void> {
  stderrLine({ level: 'info', ...info, url: server.url });
  process.stdout.write(`${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      stderrLine({ level: 'info', msg: `${signal}: shutting down` });
      server.close(2000).then(close).then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/**
 * Adds the flags every service's `serve` command takes — `--data-dir`, `--key`, `--port` (0),
 * `--host` (127.0.0.1), `--password-env`, `--max-body-bytes` — to `cmd`; returns it for the service's own flags.
 */
export function serveFlags(cmd: Command, help: { dataDir: string; key: string; maxBodyBytes: string }): Command {
  return cmd
    .requiredOption('--data-dir <dir>', help.dataDir)
    .requiredOption('--key <file>', help.key)
    .option('--port <port>', 'TCP port (0 = ephemeral)', '0')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--password-env <var>', 'environment variable holding the key-file password')
    .option('--max-body-bytes <n>', `largest request body (default ${help.maxBodyBytes})`);
}

/** Reads --max-body-bytes (undefined when absent). */
export function maxBodyBytesFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1024) throw badInput('--max-body-bytes expects an integer >= 1024');
  return n;
}

/** Listens on --host:--port, closing the service when that fails. */
export async function listen(app: Parameters<typeof serveApp>[0], o: Common, close: () => Promise<void>): Promise<RunningServer> {
  try {
    return await serveApp(app, { port: port(o.port), hostname: o.host });
  } catch (e) {
    await close();
    if (isQuorumkitError(e)) throw badInput(e.message);
    throw e;
  }
}

interface CustodianFlags extends Common {
  readonly index: string;
  readonly x?: string;
  readonly coordinator?: string;
  readonly dealer?: string;
  readonly owner?: string;
}

async function custodian(o: CustodianFlags): Promise<void> {
  if (o.legacy === true) {
    if (o.x !== undefined) throw badInput('--x is not available with --legacy (QuorumVM custodians sit at index + 1)');
    return legacyCustodian(o);
  }
  const index = count('--index', o.index, 0, 1023);
  const x = BigInt(o.x === undefined ? index + 1 : count('--x', o.x, 1, 999_999));
  port(o.port);
  checkDir(o.dataDir);
  const trust = { coordinators: dids('--coordinator', o.coordinator), dealers: dids('--dealer', o.dealer), owners: dids('--owner', o.owner) };
  const password = passwordFromEnv(o.passwordEnv);
  const svc = await opening(`cannot open custodian data dir ${o.dataDir}`, async () => {
    const identity = await loadServiceIdentity(o.dataDir, `custodian-${index}`, password);
    return CustodianService.open({ dataDir: o.dataDir, identity, kem: await loadChannelKey(o.dataDir), index, x, trust });
  });
  const server = await listen(createCustodianApp(svc, { log: stderrLine }), o, () => svc.close());
  await run(server, () => svc.close(), { msg: 'MPC custodian listening', index, did: svc.did });
}

interface CoordinatorFlags extends Common {
  readonly custodians: string;
  readonly threshold: string;
  readonly dealer?: string;
  readonly owner?: string;
  readonly callTimeoutMs: string;
}

function dealerFlag(text: string | undefined): { url: string; did: string } | undefined {
  if (text === undefined) return undefined;
  const at = text.lastIndexOf('=');
  const [url, did] = at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
  if (!isPqaidDid(did)) throw badInput('--dealer expects URL=did:pqaid:… (the dealer\'s URL and did)');
  return { url: urls('--dealer', url)[0]!.url, did };
}

async function coordinator(o: CoordinatorFlags): Promise<void> {
  if (o.legacy === true) return legacyCoordinator(o);
  port(o.port);
  const custodians = urls('--custodians', o.custodians);
  const threshold = count('--threshold', o.threshold, 1, custodians.length);
  const callTimeoutMs = count('--call-timeout-ms', o.callTimeoutMs, 100, 600_000);
  const dealer = dealerFlag(o.dealer);
  const owners = dids('--owner', o.owner);
  checkDir(o.dataDir);
  const password = passwordFromEnv(o.passwordEnv);
  const svc = await opening(`cannot open coordinator data dir ${o.dataDir}`, async () => CoordinatorService.open({
    dataDir: o.dataDir, identity: await loadServiceIdentity(o.dataDir, 'coordinator', password), custodians, threshold, callTimeoutMs,
    ...(dealer ? { dealer } : {}), ...(owners.size > 0 ? { owners } : {}),
  }));
  const server = await listen(createCoordinatorApp(svc, { log: stderrLine }), o, () => svc.close());
  await run(server, () => svc.close(), { msg: 'MPC coordinator listening', did: svc.did, threshold, custodians: custodians.length });
}

interface DealerFlags extends Common {
  readonly custodians: string;
  readonly threshold: string;
  readonly coordinator?: string;
}

async function dealer(o: DealerFlags): Promise<void> {
  port(o.port);
  const custodians = urls('--custodians', o.custodians);
  const threshold = count('--threshold', o.threshold, 1, custodians.length);
  const coordinators = dids('--coordinator', o.coordinator);
  if (coordinators.size === 0) throw badInput('--coordinator expects the did of the coordinator allowed to request triples');
  checkDir(o.dataDir);
  const password = passwordFromEnv(o.passwordEnv);
  const svc = await opening(`cannot open dealer data dir ${o.dataDir}`, async () => DealerService.open({
    dataDir: o.dataDir, identity: await loadServiceIdentity(o.dataDir, 'dealer', password), custodians, threshold, coordinators,
  }));
  const server = await listen(createDealerApp(svc, { log: stderrLine }), o, () => svc.close());
  await run(server, () => svc.close(), { msg: 'MPC dealer listening', did: svc.did });
}

async function identity(o: { dataDir: string; name: string; passwordEnv?: string }): Promise<void> {
  checkDir(o.dataDir);
  const id = await opening(`cannot open data dir ${o.dataDir}`, () => loadServiceIdentity(o.dataDir, o.name, passwordFromEnv(o.passwordEnv)));
  process.stdout.write(`${id.did}\n`);
}

function common(c: Command): Command {
  return c
    .requiredOption('--data-dir <dir>', 'state and keys (created on first start)')
    .option('--port <port>', 'TCP port (0 = ephemeral)', '0')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--password-env <var>', 'environment variable holding the identity key-file password');
}

/** Registers `quorumkit mpc …`. */
export function registerMpc(program: Command): void {
  const mpc = program.command('mpc').description('threshold MPC: custodians, coordinator and dealer services');
  common(mpc.command('custodian').description('run a custodian (holds shares; evaluates on them); prints its URL'))
    .requiredOption('--index <i>', '0-based custodian index (Shamir abscissa i + 1 unless --x)')
    .option('--x <abscissa>', 'Shamir abscissa 1..999999 (default index + 1; fixed for a data dir)')
    .option('--coordinator <dids>', 'coordinator did(s) allowed to run evaluations, comma-separated')
    .option('--dealer <dids>', 'dealer did(s) allowed to deliver triples, comma-separated')
    .option('--owner <dids>', 'model-owner did(s) allowed to install programs, comma-separated')
    .option('--threshold <k>', 'legacy mode: K for the custodians\' P2P openings', '2')
    .action(custodian);
  common(mpc.command('coordinator').description('run the coordinator (policy, activation, evaluation rounds); prints its URL'))
    .requiredOption('--custodians <urls>', 'custodian URLs in index order, comma-separated')
    .requiredOption('--threshold <k>', 'K: approvals to activate and custodians an evaluation needs')
    .option('--dealer <url=did>', 'the dealer that delivers triples: its URL and did')
    .option('--owner <dids>', 'dids allowed to install programs (default: any signed caller)')
    .option('--call-timeout-ms <ms>', 'per-call timeout to a custodian', '5000')
    .action(coordinator);
  for (const name of ['custodian', 'coordinator']) legacyOptions(mpc.commands.find((c) => c.name() === name)!);
  common(mpc.command('dealer').description('run the dealer (generates and delivers Beaver triples); prints its URL'))
    .requiredOption('--custodians <urls>', 'custodian URLs in index order, comma-separated')
    .requiredOption('--threshold <k>', 'K')
    .requiredOption('--coordinator <dids>', 'coordinator did(s) allowed to request triples')
    .action(dealer);
  mpc.command('identity').description("print the did of a service's data dir (creating its identity if absent)")
    .requiredOption('--data-dir <dir>', 'the service data dir')
    .option('--name <name>', 'name for a new identity', 'mpc-service')
    .option('--password-env <var>', 'environment variable holding the key-file password')
    .action(identity);
  registerMpcCompile(mpc);
}
