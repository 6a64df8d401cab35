// `quorumkit attest serve --data-dir D --key K --regions CONFIG [--port 0] [--host 127.0.0.1]
// [--evidence-source none|snp-ioctl|tsm-snp|tsm-tdx] [--callers FILE] [--password-env VAR] [--max-body-bytes N]`: runs the
// attestation service (src/attestation/server) from its data dir (attest.db + log.db) until
// SIGTERM/SIGINT. stdout: its URL once listening; stderr: JSON log lines. Bad flags, a bad config,
// a held data dir or a newer database: exit 2 with one line.

import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { AttestService, createAttestApp, parseAttestConfig } from '../../attestation/server/index.js';
import { passwordFromEnv, readJsonFile } from '../io.js';
import { loadIdentity } from './_key.js';
import { DID_PATTERN } from './_tee-input.js';
import { evidenceSourceFlag } from './_evidence-source.js';
import { parseFile } from './governance-serve.js';
import { checkDir, listen, maxBodyBytesFlag, opening, port, run, serveFlags, stderrLine } from './mpc.js';

interface AttestServeFlags {
  readonly dataDir: string;
  readonly key: string;
  readonly regions: string;
  readonly port: string;
  readonly host: string;
  readonly evidenceSource: string;
  readonly callers?: string;
  readonly passwordEnv?: string;
  readonly maxBodyBytes?: string;
}

/** A callers file: a JSON array of dids (or `{ "callers": [...] }`). */
function parseCallers(json: unknown): Set<string> {
  const list = Array.isArray(json) ? json : (json as { callers?: unknown } | null)?.callers;
  if (!Array.isArray(list) || list.length === 0 || list.length > 10_000) throw new InvalidArgumentError('expected a JSON array of 1..10000 dids');
  for (const d of list) if (typeof d !== 'string' || !DID_PATTERN.test(d)) throw new InvalidArgumentError(`expected dids, got ${JSON.stringify(String(d).slice(0, 80))}`);
  return new Set(list as string[]);
}

async function serve(o: AttestServeFlags): Promise<void> {
  port(o.port); // checked before anything is opened
  const maxBodyBytes = maxBodyBytesFlag(o.maxBodyBytes);
  const evidenceSource = evidenceSourceFlag(o.evidenceSource);
  const config = await parseFile(o.regions, 'regions config', parseAttestConfig);
  const callers = o.callers === undefined ? undefined : await parseFile(o.callers, 'callers file', parseCallers);
  const identity = await loadIdentity(readJsonFile(o.key, 'key file'), o.key, passwordFromEnv(o.passwordEnv));
  if (o.dataDir !== ':memory:') checkDir(o.dataDir);
  const svc = await opening(`cannot open data dir ${o.dataDir}`, () => AttestService.open({ dataDir: o.dataDir, identity, config, ...(evidenceSource ? { evidenceSource } : {}), ...(callers ? { callers } : {}) }));
  const app = createAttestApp(svc, { log: stderrLine, ...(maxBodyBytes ? { maxBodyBytes } : {}) });
  const server = await listen(app, { port: o.port, host: o.host, dataDir: o.dataDir }, () => svc.close());
  await run(server, () => svc.close(), { msg: 'attestation service listening', ...svc.info() });
}

/** Registers `attest serve` on the `attest` group. */
export function registerAttestServe(attest: Command): void {
  serveFlags(attest.command('serve'), { dataDir: 'service state: attest.db (SQLite) and log.db (transparency log)', key: "the service's key file (signs reports and log checkpoints)", maxBodyBytes: '1 MiB' })
    .description('run the attestation service (HTTP API: issue signed region reports, verify reports and evidence; transparency log); prints its URL')
    .requiredOption('--regions <file>', 'regions config (JSON): files and processes to attest, expected hashes (docs/attestation-service.md)')
    .option('--evidence-source <name>', 'TEE evidence the reports are bound to: none, snp-ioctl (native addon), tsm-snp, tsm-tdx (configfs-tsm)', 'none')
    .option('--callers <file>', 'JSON array of dids allowed to call the signed routes (default: any signed caller)')
    .action(serve);
}
