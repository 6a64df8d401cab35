// `quorumkit governance serve` as real processes on loopback: a data dir that is a file, or one
// already held by another serve process, is bad input (exit 2, one line) and the running node
// keeps serving; a signed request is bound to the node it was signed for (refused by any other)
// and its nonce is remembered across a SIGKILL and restart, so a replay is refused (401); and a
// proposal whose time window is impossible (created after it expires, a lifetime beyond
// MAX_PROPOSAL_TTL_SECONDS, an unparsable expiry) is refused with 400 and stored nowhere.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src/core/canonical-json.js';
import { utf8Encode } from '../../../src/core/bytes.js';
import { signEnvelope } from '../../../src/envelope/sign.js';
import { callService, signRequest } from '../../../src/http/index.js';
import { Identity } from '../../../src/pq/identity.js';
import { GovernanceNode, GovernanceProposal, MAX_PROPOSAL_TTL_SECONDS } from '../../../src/governance/index.js';
import { CLI, runCli } from '../../cli/_run.js';
import { tempDir } from './_nodes.js';

interface Serve {
  readonly child: ChildProcess;
  readonly url: string;
  readonly did: string;
  stderr: string;
}

let dir: string;
let genesis: string;
const keys: Record<string, string> = {};
const ids: Record<string, Identity> = {};
const children: ChildProcess[] = [];

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Starts `governance serve` for `name`; resolves with its URL once it prints it, or with its exit. */
function serve(name: string, dataDir: string, extra: string[] = []): Promise<Serve | { code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'governance', 'serve', '--data-dir', dataDir, '--key', keys[name]!, '--genesis', genesis, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('\n')) {
        const s: Serve = { child, url: stdout.split('\n')[0]!.trim(), did: ids[name]!.did, stderr };
        child.stderr!.on('data', (d: Buffer) => ((s as { stderr: string }).stderr += d.toString()));
        resolve(s);
      }
    });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

async function serving(name: string, dataDir: string, extra: string[] = []): Promise<Serve> {
  const s = await serve(name, dataDir, extra);
  if (!('url' in s)) throw new Error(`serve ${name} exited ${s.code}: ${s.stderr}`);
  return s;
}

function expectOneLine(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(async () => {
  dir = tempDir('cli-serve');
  for (const name of ['alice', 'bob']) {
    keys[name] = join(dir, `${name}.key.json`);
    const r = runCli(['keys', 'new', '--name', name, '--out', keys[name]!, '--alg', 'ML-DSA-44', '--insecure-plaintext']);
    expect(r.code, r.stderr).toBe(0);
    ids[name] = await Identity.fromKeyFile(keys[name]!);
  }
  genesis = join(dir, 'genesis.json');
  const g = runCli(['governance', 'genesis', '--member', keys['alice']!, '--member', keys['bob']!, '--out', genesis]);
  expect(g.code, g.stderr).toBe(0);
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A proposal by alice, signed, as a `POST /v1/proposals` body. */
async function proposalBody(subject: string): Promise<Uint8Array> {
  const p = GovernanceProposal.create('authorize-model', subject, `authorize ${subject}`, ids['alice']!.did);
  await new GovernanceNode({ identity: ids['alice']!, name: 'alice' }).signProposal(p);
  return utf8Encode(canonicalize({ proposal: p.envelope }));
}

/** Sends `body` to `url` with the given (captured) signed-request headers. */
async function send(url: string, headers: Record<string, string>, body: Uint8Array): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/v1/proposals`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body as Uint8Array<ArrayBuffer> });
  return { status: res.status, json: await res.json() };
}

describe('quorumkit governance serve (processes on loopback)', () => {
  it('a --data-dir that is an existing file: exit 2 with one line, with or without --genesis', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    expectOneLine((await serve('alice', file)) as { code: number; stderr: string }, /not a directory/);
    expectOneLine((await serve('alice', file, ['--port', '0'])) as { code: number; stderr: string }, /not a directory/);
    const noGenesis = spawn(process.execPath, [CLI, 'governance', 'serve', '--data-dir', file, '--key', keys['alice']!], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    noGenesis.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expectOneLine({ code: (await exited(noGenesis)).code, stderr }, /not a directory/);
  });

  it('a second serve on a data dir another serve holds: exit 2 with one line; the first keeps serving', async () => {
    const data = join(dir, 'held');
    const first = await serving('alice', data);
    const second = await serve('alice', data);
    expect('url' in second, 'the second serve started').toBe(false);
    expectOneLine(second as { code: number; stderr: string }, /in use by another process/);
    expect((await callService<{ did: string }>(first.url, '/v1/node')).did).toBe(ids['alice']!.did);
    first.child.kill('SIGTERM');
    expect((await exited(first.child)).code).toBe(0);
  });

  it('a signed request is refused by a node it was not signed for, and its replay is refused even after a SIGKILL and restart', async () => {
    const aDir = join(dir, 'replay-a');
    let a = await serving('alice', aDir);
    const b = await serving('bob', join(dir, 'replay-b'));
    const body = await proposalBody('did:pqaid:replayed');
    const headers = await signRequest(ids['alice']!, { method: 'POST', path: '/v1/proposals', body, audience: a.did });

    const atB = await send(b.url, headers, body);
    expect(atB.status, JSON.stringify(atB.json)).toBe(401);
    expect((await callService<{ proposals: unknown[] }>(b.url, '/v1/proposals')).proposals).toEqual([]);
    const atA = await send(a.url, headers, body);
    expect(atA.status, JSON.stringify(atA.json)).toBe(201);
    expect((await send(a.url, headers, body)).status).toBe(401);

    a.child.kill('SIGKILL');
    expect((await exited(a.child)).signal).toBe('SIGKILL');
    a = await serving('alice', aDir, ['--port', new URL(a.url).port]);
    const replayed = await send(a.url, headers, body);
    expect(replayed.status, JSON.stringify(replayed.json)).toBe(401);
    expect(replayed.json.error.code).toBe('ERR_UNAUTHENTICATED');
    // A fresh signature for the same body is accepted (the proposal is already stored: 200).
    const fresh = await signRequest(ids['alice']!, { method: 'POST', path: '/v1/proposals', body, audience: a.did });
    expect((await send(a.url, fresh, body)).status).toBe(200);
  });

  it('a proposal created after it expires, living longer than the maximum, or with an unparsable expiry: 400, stored nowhere', async () => {
    const node = await serving('alice', join(dir, 'window'));
    const valid = GovernanceProposal.create('authorize-model', 'did:pqaid:window', 'window', ids['alice']!.did);
    await new GovernanceNode({ identity: ids['alice']!, name: 'alice' }).signProposal(valid);
    const now = Date.now();
    const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const windows: Record<string, { createdAt: string; expiresAt: string }> = {
      'created after expiry': { createdAt: iso(now + 60_000), expiresAt: iso(now + 30_000) },
      'lifetime beyond the maximum': { createdAt: iso(now), expiresAt: iso(now + (MAX_PROPOSAL_TTL_SECONDS + 60) * 1000) },
      'unparsable expiry': { createdAt: iso(now), expiresAt: 'next tuesday' },
    };
    for (const [what, window] of Object.entries(windows)) {
      const body = { ...valid.body(), proposalId: `urn:quorumkit:proposal:window-${what.replaceAll(' ', '-')}`, ...window };
      const envelope = await signEnvelope(body, valid.envelope!.payloadType, [ids['alice']!]);
      const bytes = utf8Encode(canonicalize({ proposal: envelope }));
      const headers = await signRequest(ids['alice']!, { method: 'POST', path: '/v1/proposals', body: bytes, audience: node.did });
      const r = await send(node.url, headers, bytes);
      expect(r.status, `${what}: ${JSON.stringify(r.json)}`).toBe(400);
      expect(r.json.error.code, what).toBe('ERR_INVALID_PROPOSAL');
    }
    expect((await callService<{ proposals: unknown[] }>(node.url, '/v1/proposals')).proposals).toEqual([]);
    node.child.kill('SIGTERM');
    expect((await exited(node.child)).code).toBe(0);
  });
});
