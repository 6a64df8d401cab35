// `quorumkit attest serve` as a real process: a bad regions config, an unknown evidence source, a
// bad callers file or a bad port is exit 2 with one line; a good one prints its URL, serves
// /v1/service and a signed POST /v1/reports, and shuts down on SIGTERM (exit 0) keeping its log.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callService } from '../../../src/http/index.js';
import { Identity } from '../../../src/pq/identity.js';
import { hashBytes, parseReport } from '../../../src/attestation/index.js';
import { runCli } from '../../cli/_run.js';
import { exited, serving as serve, type Serving } from '../../cli/_serve.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-attest-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = join(dir, 'svc.key.json');
const config = join(dir, 'regions.json');
const weights = join(dir, 'w.bin');
const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

beforeAll(() => {
  const r = runCli(['keys', 'new', '--name', 'attest', '--out', key, '--alg', 'ML-DSA-44', '--insecure-plaintext']);
  expect(r.code, r.stderr).toBe(0);
  writeFileSync(weights, new Uint8Array(4096).fill(3));
  writeFileSync(config, JSON.stringify({ workload_id: 'model', regions: [{ file: weights, expected_hash: hashBytes(new Uint8Array(4096).fill(3)) }] }));
});

describe('quorumkit attest serve', () => {
  it.each([
    ['a config with an unknown field', () => ['--regions', file('c1.json', '{"regions":[{"file":"/x","hash":"a"}]}')], /regions config .*: regions config: regions\[0\] has an unknown field "hash"/],
    ['a config with no regions', () => ['--regions', file('c2.json', '{"regions":[]}')], /"regions" expected an array of 1\.\.256 sources/],
    ['a config that is not JSON', () => ['--regions', file('c3.json', '{"regions":')], /not valid JSON/],
    ['a missing config', () => ['--regions', join(dir, 'none.json')], /regions config not found/],
    ['an unknown evidence source', () => ['--regions', config, '--evidence-source', 'sev-guest'], /--evidence-source expects one of none, snp-ioctl, tsm-snp, tsm-tdx/],
    ['snp-ioctl with the native addon absent', () => ['--regions', config, '--evidence-source', 'snp-ioctl'], /--evidence-source snp-ioctl: native addon unavailable: /],
    ['a bad callers file', () => ['--regions', config, '--callers', file('callers.json', '["alice"]')], /callers file .*expected dids/],
    ['a bad port', () => ['--regions', config, '--port', '70000'], /--port expects 0\.\.65535/],
    ['a data dir that is a file', () => ['--regions', config, '--data-dir', weights], /is not a directory/],
  ])('%s is exit 2 with one line', (_what, args, pattern) => {
    const a = args();
    const r = runCli(['attest', 'serve', '--key', key, ...(a.includes('--data-dir') ? [] : ['--data-dir', join(dir, 'data')]), ...a], { QUORUMKIT_NATIVE_ADDON: 'off' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });

  it('serves, issues a signed report, and stops on SIGTERM', async () => {
    const { child, url, stderr } = await serving(join(dir, 'data'));
    try {
      const info = await callService<{ did: string; regions: string[]; evidence: string; log_size: number }>(url, '/v1/service');
      expect(info).toMatchObject({ regions: [`file:${weights}`], evidence: 'none', log_size: 0 });
      const client = await Identity.create('tenant', { level: 44 });
      const out = await callService<{ report: unknown }>(url, '/v1/reports', { body: { nonce: 'ab'.repeat(16) }, signer: client, audience: info.did });
      expect(parseReport(out.report).claims[0]!.snapshot.content_hash).toBe(hashBytes(new Uint8Array(4096).fill(3)));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited(child), stderr()).toBe(0);
    expect(stderr()).toMatch(/SIGTERM: shutting down/);
  });

  it('an acknowledged report survives kill -9: after a restart it is served and the log holds it', async () => {
    const data = join(dir, 'data9');
    const a = await serving(data);
    const info = await callService<{ did: string }>(a.url, '/v1/service');
    const client = await Identity.create('tenant', { level: 44 });
    const out = await callService<{ report: { report_id: string } }>(a.url, '/v1/reports', { body: { nonce: 'cd'.repeat(16) }, signer: client, audience: info.did });
    a.child.kill('SIGKILL');
    await exited(a.child);
    const b = await serving(data);
    try {
      const got = await callService<{ report: { report_id: string } }>(b.url, `/v1/reports/${out.report.report_id}`);
      expect(got.report.report_id).toBe(out.report.report_id);
      expect(await callService(b.url, '/v1/service')).toMatchObject({ did: info.did, reports: 1, log_size: 1 });
    } finally {
      b.child.kill('SIGTERM');
      await exited(b.child);
    }
  });
});

/** Starts `attest serve` on `dataDir`; resolves once it prints its URL. */
function serving(dataDir: string): Promise<Serving> {
  return serve(['attest', 'serve', '--data-dir', dataDir, '--key', key, '--regions', config]);
}
