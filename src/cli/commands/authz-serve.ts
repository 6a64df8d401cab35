// `quorumkit authz serve --data-dir D --key K [--port 0] [--host 127.0.0.1] [--society S] [--law seed-stub|LAW.json]
// [--trusted-issuer DID…] [--trusted-root DID…] [--witness DID…] [--operator DID…]
// [--witness-timeout SECONDS] [--max-skew SECONDS] [--attestation-role ROLE=SECONDS…] [--password-env VAR]
// [--max-body-bytes N]`: runs the
// authorization service (src/authz/server; docs/authz.md "Service") from its data dir (authz.db +
// log.db) until SIGTERM/SIGINT, under the seed's stub law (or a law document) and the stub trust.
// stdout: its URL once listening; stderr: JSON log lines. Bad flags, a held data dir or a newer database: exit 2 with one line.

import type { Command } from 'commander';
import { AuthzService, createAuthzApp } from '../../authz/server/index.js';
import { nodeTdxEngine } from '../../tee/node/tdx-engine.js';
import { badInput } from '../errors.js';
import { passwordFromEnv, readJsonFile } from '../io.js';
import { loadIdentity } from './_key.js';
import { lawFlag } from './authz-scenarios.js';
import { checkDir, listen, maxBodyBytesFlag, opening, port, run, serveFlags, stderrLine } from './mpc.js';

interface AuthzServeFlags {
  readonly dataDir: string;
  readonly key: string;
  readonly port: string;
  readonly host: string;
  readonly society: string;
  readonly law: string;
  readonly trustedIssuer?: string[];
  readonly trustedRoot?: string[];
  readonly witness?: string[];
  readonly operator?: string[];
  readonly witnessTimeout?: string;
  readonly maxSkew?: string;
  readonly attestationRole?: string[];
  readonly passwordEnv?: string;
  readonly maxBodyBytes?: string;
}

const PQAID = /^did:pqaid:[0-9a-f]{64}$/;

function dids(flag: string, list: readonly string[] | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  for (const d of list) if (!PQAID.test(d)) throw badInput(`${flag} expects a did:pqaid:<64 hex>, got ${JSON.stringify(d.slice(0, 80))}`);
  return [...list];
}

function seconds(flag: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= max)) throw badInput(`${flag} expects whole seconds 1..${max}, got ${JSON.stringify(text)}`);
  return n;
}

/** `--attestation-role ROLE=SECONDS …`: roles that require a verified attestation report at most SECONDS old. */
function attestationRoles(list: readonly string[] | undefined): Record<string, number> | undefined {
  if (list === undefined) return undefined;
  const roles: Record<string, number> = {};
  for (const item of list) {
    const m = /^([\x21-\x3c\x3e-\x7e]{1,256})=(\d{1,9})$/.exec(item);
    if (m === null) throw badInput(`--attestation-role expects ROLE=SECONDS, got ${JSON.stringify(item.slice(0, 80))}`);
    roles[m[1]!] = seconds('--attestation-role', m[2], 30 * 86_400)!;
  }
  return roles;
}

async function serve(o: AuthzServeFlags): Promise<void> {
  port(o.port); // checked before anything is opened
  const maxBodyBytes = maxBodyBytesFlag(o.maxBodyBytes);
  if (!/^[\x21-\x7e]{1,256}$/.test(o.society)) throw badInput('--society expects 1..256 printable ASCII characters');
  const trustedIssuers = dids('--trusted-issuer', o.trustedIssuer);
  const trustedRoots = dids('--trusted-root', o.trustedRoot);
  const witnesses = dids('--witness', o.witness);
  const operators = dids('--operator', o.operator);
  const law = lawFlag(o.law);
  const witnessTimeoutSeconds = seconds('--witness-timeout', o.witnessTimeout, 30 * 86_400);
  const maxSkewSeconds = seconds('--max-skew', o.maxSkew, 86_400);
  const roles = attestationRoles(o.attestationRole);
  const identity = await loadIdentity(readJsonFile(o.key, 'key file'), o.key, passwordFromEnv(o.passwordEnv));
  if (o.dataDir !== ':memory:') checkDir(o.dataDir);
  const svc = await opening(`cannot open data dir ${o.dataDir}`, () => AuthzService.open(o.dataDir, identity, {
    society: o.society, law, onError: (e) => stderrLine({ level: 'warn', msg: `witness deadline sweep failed: ${(e as Error).message}` }),
    ...(trustedIssuers ? { trustedIssuers } : {}), ...(trustedRoots ? { trustedRoots } : {}), ...(witnesses ? { witnesses } : {}), ...(operators ? { operators } : {}),
    ...(witnessTimeoutSeconds ? { witnessTimeoutSeconds } : {}), ...(maxSkewSeconds ? { maxSkewSeconds } : {}),
    // genuine evidence only: AMD's and Intel's pinned roots; TDX quotes checked with node:crypto
    ...(roles ? { attestation: { roles, verify: { tdxEngine: nodeTdxEngine() } } } : {}),
  }));
  const app = createAuthzApp(svc, { log: stderrLine, ...(maxBodyBytes ? { maxBodyBytes } : {}) });
  const server = await listen(app, { port: o.port, host: o.host, dataDir: o.dataDir }, () => svc.close());
  await run(server, () => svc.close(), { msg: 'authorization service listening', ...svc.info() });
}

/**
 * Registers `authz serve` on the `authz` command group, creating the group when no other command
 * has (so it composes with the group's other subcommands, whichever registers first).
 */
export function registerAuthzServe(program: Command): void {
  const authz = program.commands.find((c) => c.name() === 'authz') ?? program.command('authz').description('authorization for agent actions').exitOverride();
  serveFlags(authz.command('serve'), { dataDir: 'service state: authz.db (SQLite) and log.db (transparency log)', key: "the service's key file (signs receipts and log checkpoints)", maxBodyBytes: '256 KiB' })
    .description('run the authorization service (HTTP API: decide signed requests, delegation chains, witnesses, receipts; transparency log); prints its URL')
    .option('--society <id>', 'the society whose requests are decided', 'society:default')
    .option('--law <law>', 'seed-stub (the reference engine\'s stub law, default) or a law document LAW.json (quorumkit/authz-law/v1)', 'seed-stub')
    .option('--trusted-issuer <did...>', 'issuers of LCT credentials (POST /v1/lct-credentials)')
    .option('--trusted-root <did...>', 'clients whose delegation chains are accepted (default: any validly signed root)')
    .option('--witness <did...>', 'witnesses whose attestations count')
    .option('--operator <did...>', 'dids that may revoke any delegation')
    .option('--witness-timeout <seconds>', 'how long a deferred request waits for witnesses (default 3600)')
    .option('--max-skew <seconds>', 'request freshness window (default 300)')
    .option('--attestation-role <role=seconds...>', 'roles that require a verified memory attestation report (POST /v1/attestations) at most that many seconds old')
    .action(serve)
    .exitOverride();
}
