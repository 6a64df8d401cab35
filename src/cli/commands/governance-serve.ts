// `quorumkit governance serve`: runs one governance node's HTTP API on loopback (default) from its
// data dir (SQLite store + audit transparency log), until SIGTERM/SIGINT (graceful shutdown).
// stdout: the node's URL once listening; stderr: JSON log lines.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { isQuorumkitError } from '../../core/errors.js';
import { callService, serveApp } from '../../http/index.js';
import { GovernanceService, VotePolicy, createGovernanceApp, parseGenesis, parsePeers, type GenesisFile, type Peer } from '../../governance/server/index.js';
import { badInput } from '../errors.js';
import { passwordFromEnv, readJsonFile } from '../io.js';
import type { Identity } from '../../pq/identity.js';
import { loadIdentity } from './_key.js';
import { maxBodyBytesFlag, serveFlags } from './mpc.js';

interface ServeOptions {
  readonly dataDir: string;
  readonly key: string;
  readonly port: string;
  readonly host: string;
  readonly peers?: string;
  readonly votePolicy?: string;
  readonly genesis?: string;
  readonly passwordEnv?: string;
  readonly maxBodyBytes?: string;
}

/** Parses a value with `parse`, turning a typed error into exit 2 naming the file. */
export async function parseFile<T>(path: string, what: string, parse: (json: unknown) => T | Promise<T>): Promise<T> {
  const json = readJsonFile(path, what);
  try {
    return await parse(json);
  } catch (e) {
    if (isQuorumkitError(e) || e instanceof TypeError || e instanceof RangeError) throw badInput(`${what} ${path}: ${e.message}`);
    throw e;
  }
}

/** Publishes a finalized result to a peer, learning its did first when peers.json gave none. */
async function publishTo(p: Peer, final: unknown, identity: Identity): Promise<void> {
  const audience = p.did ?? (await callService<{ did: string }>(p.url, '/v1/node')).did;
  await callService(p.url, '/v1/results', { body: final, signer: identity, audience });
}

/** Refuses a data dir that is not a directory, or that holds no node when no genesis is given (exit 2). */
function checkDataDir(dir: string, hasGenesis: boolean): void {
  if (dir === ':memory:') return;
  let isDir: boolean | undefined;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = undefined; // missing: created on first start
  }
  if (isDir === false) throw badInput(`data dir ${dir} exists and is not a directory`);
  if (!hasGenesis && !existsSync(join(dir, 'governance.db'))) throw badInput(`data dir ${dir} holds no node yet: pass --genesis genesis.json on first start`);
}

function stderrLine(entry: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}

async function serve(opts: ServeOptions): Promise<void> {
  if (!/^\d{1,5}$/.test(opts.port) || Number(opts.port) > 65535) throw badInput(`--port expects 0..65535, got ${JSON.stringify(opts.port)}`);
  const maxBodyBytes = maxBodyBytesFlag(opts.maxBodyBytes);
  const password = passwordFromEnv(opts.passwordEnv);
  const identity = await loadIdentity(readJsonFile(opts.key, 'key file'), opts.key, password);
  const genesis: GenesisFile | undefined = opts.genesis === undefined ? undefined : (await parseFile(opts.genesis, 'genesis file', parseGenesis)).genesis;
  const votePolicy = opts.votePolicy === undefined ? undefined : await parseFile(opts.votePolicy, 'vote policy', VotePolicy.parse);
  const peers: Peer[] = opts.peers === undefined ? [] : await parseFile(opts.peers, 'peers file', parsePeers);
  checkDataDir(opts.dataDir, genesis !== undefined);
  let svc: GovernanceService;
  try {
    svc = await GovernanceService.open({
      identity, name: identity.name, dataDir: opts.dataDir, peers, ...(genesis ? { genesis } : {}), ...(votePolicy ? { votePolicy } : {}),
      onSyncError: (e) => stderrLine({ level: 'warn', msg: `peer sync failed: ${(e as Error).message}` }),
    });
  } catch (e) {
    // A data dir that is a file or held by another process, another node's dir, a newer schema, …
    if (isQuorumkitError(e)) throw badInput(e.message);
    const code = (e as NodeJS.ErrnoException)?.code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw badInput(`cannot open data dir ${opts.dataDir}: ${code}`);
    throw e;
  }
  if (!svc.isMember(identity.did)) stderrLine({ level: 'warn', msg: `${identity.did} is not a member of the current registry: this node will not vote` });
  const app = createGovernanceApp(svc, {
    log: stderrLine,
    ...(maxBodyBytes ? { maxBodyBytes } : {}),
    onFinalized: (final) => {
      for (const p of peers) {
        publishTo(p, final, identity).catch((e: Error) => stderrLine({ level: 'warn', msg: `publishing to ${p.url} failed: ${e.message}` }));
      }
    },
  });
  let server;
  try {
    server = await serveApp(app, { port: Number(opts.port), hostname: opts.host });
  } catch (e) {
    await svc.close();
    if (isQuorumkitError(e)) throw badInput(e.message);
    throw e;
  }
  stderrLine({ level: 'info', msg: 'governance node listening', url: server.url, did: svc.did, registryVersion: svc.nodeInfo().registryVersion, openRounds: svc.proposals({ status: 'open' }).length });
  process.stdout.write(`${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      stderrLine({ level: 'info', msg: `${signal}: shutting down` });
      server.close(2000).then(() => svc.close()).then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** Registers `governance serve` on the `governance` command. */
export function registerGovernanceServe(governance: Command): void {
  serveFlags(governance.command('serve'), { dataDir: 'node state: governance.db (SQLite) and log.db (transparency log)', key: "the node's key file", maxBodyBytes: '4 MiB' })
    .description('run a governance node (HTTP API) from its data dir; prints its URL on stdout')
    .option('--peers <file>', 'peers.json: nodes to publish this node\'s results to and to catch up from')
    .option('--vote-policy <file>', 'policy.json deciding this node\'s votes (default: queue every vote for a human)')
    .option('--genesis <file>', 'genesis.json (required on first start)')
    .action(serve);
}
