// `quorumkit mpc custodian --legacy` and `quorumkit mpc coordinator --legacy`: the MPC services in
// QuorumVM's API (unsigned requests, integer JSON, HMAC approvals, coordinator-dealt triples), so
// QuorumVM's own clients and cluster suite run unchanged against them. `--hmac-keys FILE` names a
// JSON list of the custodians' approval keys by index (default QuorumVM's, legacy-hmac.ts). The
// data dir keeps the service's identity (it signs the transparency log's checkpoints), its legacy
// store and log.db.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseStrict } from '../../core/parse-strict.js';
import { QUORUMVM_DEFAULT_HMAC_KEYS } from '../../mpc/legacy-hmac.js';
import { createLegacyCoordinatorApp, createLegacyCustodianApp, LegacyCoordinatorService, LegacyCustodianService, loadServiceIdentity } from '../../mpc/server/index.js';
import { badInput } from '../errors.js';
import { passwordFromEnv } from '../io.js';
import { checkDir, count, listen, opening, port, run, stderrLine, urls, type Common } from './mpc.js';

/** Adds `--legacy` and `--hmac-keys` to a service command. */
export function legacyOptions(c: Command): Command {
  return c
    .option('--legacy', "speak QuorumVM's API (unsigned, integer JSON, HMAC approvals, coordinator-dealt triples)")
    .option('--hmac-keys <file>', "legacy mode: JSON list of the custodians' HMAC approval keys, by index (default QuorumVM's)");
}

function hmacKeys(file: string | undefined): readonly string[] {
  if (file === undefined) return QUORUMVM_DEFAULT_HMAC_KEYS;
  let v: unknown;
  try {
    v = parseStrict(readFileSync(file, 'utf8'));
  } catch (e) {
    throw badInput(`--hmac-keys: cannot read ${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(v) || v.length === 0 || v.length > 1024 || !v.every((k) => typeof k === 'string' && k.length > 0 && k.length <= 1024)) {
    throw badInput(`--hmac-keys: ${file} must hold a JSON list of non-empty strings (one key per custodian index)`);
  }
  return v as string[];
}

/** `mpc custodian --legacy`. */
export async function legacyCustodian(o: Common & { readonly index: string; readonly threshold?: string }): Promise<void> {
  const index = count('--index', o.index, 0, 1023);
  const threshold = count('--threshold', o.threshold ?? '2', 1, 1024);
  port(o.port);
  checkDir(o.dataDir);
  const keys = hmacKeys(o.hmacKeys);
  if (index >= keys.length) throw badInput(`--index ${index}: no HMAC key for it (${keys.length} keys)`);
  const password = passwordFromEnv(o.passwordEnv);
  const svc = await opening(`cannot open custodian data dir ${o.dataDir}`, async () => LegacyCustodianService.open({
    dataDir: o.dataDir, identity: await loadServiceIdentity(o.dataDir, `legacy-custodian-${index}`, password), index, hmacKeys: keys, threshold,
  }));
  const server = await listen(createLegacyCustodianApp(svc, { log: stderrLine }), o, () => svc.close());
  await run(server, () => svc.close(), { msg: 'MPC custodian listening (legacy mode)', index });
}

/** `mpc coordinator --legacy`. */
export async function legacyCoordinator(o: Common & { readonly custodians: string; readonly threshold: string; readonly callTimeoutMs: string }): Promise<void> {
  port(o.port);
  const custodians = urls('--custodians', o.custodians);
  const threshold = count('--threshold', o.threshold, 1, custodians.length);
  const callTimeoutMs = count('--call-timeout-ms', o.callTimeoutMs, 100, 600_000);
  checkDir(o.dataDir);
  const keys = hmacKeys(o.hmacKeys);
  const password = passwordFromEnv(o.passwordEnv);
  const svc = await opening(`cannot open coordinator data dir ${o.dataDir}`, async () => LegacyCoordinatorService.open({
    dataDir: o.dataDir, identity: await loadServiceIdentity(o.dataDir, 'legacy-coordinator', password), custodians, threshold, hmacKeys: keys, callTimeoutMs,
  }));
  const server = await listen(createLegacyCoordinatorApp(svc, { log: stderrLine }), o, () => svc.close());
  await run(server, () => svc.close(), { msg: 'MPC coordinator listening (legacy mode)', threshold, custodians: custodians.length });
}
