// A `--legacy` MPC cluster for tests, on real HTTP over loopback in this process: N legacy
// custodians and a legacy coordinator (data in :memory:, or in given dirs to test restarts), plus
// QuorumVM-style helpers: unsigned JSON posts whose bodies keep exact integer literals, and
// QuorumVM's sample program packaged as its clients send it.
import { canonicalizePython } from '../../../src/core/canonical-python.js';
import { parseStrict } from '../../../src/core/parse-strict.js';
import { split } from '../../../src/field/index.js';
import { serveApp, type RunningServer } from '../../../src/http/index.js';
import { buildPackage, compileDsl, packageToJson, type PolicyManifest } from '../../../src/mpc/compiler.js';
import { LegacyCoordinatorService } from '../../../src/mpc/server/legacy-coordinator-service.js';
import { createLegacyCoordinatorApp } from '../../../src/mpc/server/legacy-coordinator-app.js';
import { LegacyCustodianService } from '../../../src/mpc/server/legacy-custodian-service.js';
import { createLegacyCustodianApp } from '../../../src/mpc/server/legacy-custodian-app.js';
import { Identity } from '../../../src/pq/identity.js';

/** QuorumVM's SAMPLE_SRC: f(x) = (x + 7)². */
export const SAMPLE_SRC = 'input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n';

/** An HTTP answer: status and the body parsed with exact integers. */
export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly text: string;
}

/** Sends `body` (a value written with exact integer literals, or raw text) to `url + path`. */
export async function send(url: string, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<Answer> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = typeof body === 'string' ? body : canonicalizePython(body);
  if (body !== undefined) init.headers = { 'content-type': 'application/json' };
  const res = await fetch(`${url}${path}`, init);
  const text = await res.text();
  return { status: res.status, text, body: text === '' ? null : parseStrict(text, { bigints: true }) };
}

/** A QuorumVM-shaped package of `src` (ProgramPackage.model_dump()). */
export function legacyPackage(src: string, policy: Partial<PolicyManifest> = {}): { programId: string; json: unknown } {
  const pkg = buildPackage(compileDsl(src), { policy });
  return { programId: pkg.programId, json: packageToJson(pkg) };
}

export interface LegacyCluster {
  readonly k: number;
  readonly coordinator: { svc: LegacyCoordinatorService; server: RunningServer; url: string };
  readonly custodians: { svc: LegacyCustodianService; server: RunningServer; url: string }[];
  /** Installs on every custodian (share of S_v = 42) and the coordinator, then `approvals` approvals (default K). */
  installAndActivate(src: string, policy?: Partial<PolicyManifest>, opts?: { approvals?: number; install?: Record<string, unknown> }): Promise<{ programId: string; json: unknown }>;
  close(): Promise<void>;
}

/** Starts a legacy cluster: `n` custodians (default 3), threshold `k` (default 2). */
export async function startLegacyCluster(opts: { n?: number; k?: number; dirs?: { coordinator: string; custodians: string[] } } = {}): Promise<LegacyCluster> {
  const n = opts.n ?? 3;
  const k = opts.k ?? 2;
  const identity = await Identity.create('legacy-test');
  const custodians: LegacyCluster['custodians'] = [];
  for (let i = 0; i < n; i++) {
    const svc = await LegacyCustodianService.open({ dataDir: opts.dirs?.custodians[i] ?? ':memory:', identity, index: i, threshold: k, hmacKeys: ['custodian-key-alpha', 'custodian-key-beta', 'custodian-key-gamma', 'custodian-key-delta', 'custodian-key-epsilon'] });
    const server = await serveApp(createLegacyCustodianApp(svc));
    custodians.push({ svc, server, url: server.url });
  }
  const svc = await LegacyCoordinatorService.open({
    dataDir: opts.dirs?.coordinator ?? ':memory:', identity, custodians: custodians.map((c) => ({ url: c.url })), threshold: k, callTimeoutMs: 3000,
    hmacKeys: ['custodian-key-alpha', 'custodian-key-beta', 'custodian-key-gamma', 'custodian-key-delta', 'custodian-key-epsilon'],
  });
  const server = await serveApp(createLegacyCoordinatorApp(svc));
  const coordinator = { svc, server, url: server.url };
  return {
    k, coordinator, custodians,
    async installAndActivate(src, policy = {}, o = {}) {
      const pkg = legacyPackage(src, policy);
      const shares = split(42n, { k, n });
      for (const [i, c] of custodians.entries()) {
        const r = await send(c.url, '/install', { program_package: pkg.json, share_x: shares[i]!.x.toString(), share_y: shares[i]!.y.toString() });
        if (r.status !== 200) throw new Error(`custodian install: ${r.text}`);
      }
      const r = await send(coordinator.url, '/install', { program_package: pkg.json, ...o.install });
      if (r.status !== 200) throw new Error(`coordinator install: ${r.text}`);
      for (let i = 0; i < (o.approvals ?? k); i++) {
        const a = await send(custodians[i]!.url, '/approve', { program_id: pkg.programId });
        await send(coordinator.url, '/approve', { program_id: pkg.programId, custodian_index: a.body.custodian_index, signature: a.body.signature });
      }
      return pkg;
    },
    async close() {
      await coordinator.server.close();
      await coordinator.svc.close();
      for (const c of custodians) {
        await c.server.close();
        await c.svc.close();
      }
    },
  };
}
