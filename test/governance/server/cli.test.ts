// `quorumkit governance …` as real processes (dist/cli/main.js) on loopback: genesis from key files,
// five `serve` nodes (weights 1/1/1/2/1), `propose` completing a round (exit 0 passed / 1 rejected),
// a vote queued for a human answered with `governance vote`, a node killed with SIGKILL mid-round and
// restarted from its data dir finishing the round, SIGTERM shutdown, and bad input → exit 2, one line.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callService } from '../../../src/http/index.js';
import { Identity } from '../../../src/pq/identity.js';
import { GovernanceNode, GovernanceProposal, MAX_PROPOSAL_TTL_SECONDS } from '../../../src/governance/index.js';
import { CLI, runCli } from '../../cli/_run.js';
import { NAMES, WEIGHTS, tempDir } from './_nodes.js';

interface Proc {
  readonly child: ChildProcess;
  readonly url: string;
  /** The node's did (the audience of requests signed for it). */
  readonly did: string;
  stderr: string;
}

let dir: string;
const keys: string[] = [];
const ids: Identity[] = [];
let genesis: string;
let policy: string;
const procs: Proc[] = [];

function startServe(i: number, port = 0, extra: string[] = []): Promise<Proc> {
  const args = [CLI, 'governance', 'serve', '--data-dir', join(dir, `node-${i}`), '--key', keys[i]!, '--port', String(port), '--genesis', genesis];
  if (i !== 4) args.push('--vote-policy', policy); // eve has no policy: every vote waits for a human
  const child = spawn(process.execPath, [...args, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const p = { child, url: '', did: ids[i]!.did, stderr: '' };
    child.stderr!.on('data', (d: Buffer) => (p.stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0]!;
      if (out.includes('\n') && p.url === '') {
        (p as { url: string }).url = line.trim();
        procs.push(p);
        resolve(p);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${p.stderr}`)));
  });
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function expectBadInput(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

let nodes: Proc[] = [];
let peers: string;

beforeAll(async () => {
  dir = tempDir('cli');
  for (const name of NAMES) {
    const k = join(dir, `${name}.key.json`);
    const r = runCli(['keys', 'new', '--name', name, '--out', k, '--alg', 'ML-DSA-44', '--insecure-plaintext']);
    expect(r.code, r.stderr).toBe(0);
    keys.push(k);
    ids.push(await Identity.fromKeyFile(k));
  }
  genesis = join(dir, 'genesis.json');
  const g = runCli(['governance', 'genesis', ...keys.flatMap((k, i) => ['--member', `${k}=${WEIGHTS[i]}`]), '--out', genesis]);
  expect(g.code, g.stderr).toBe(0);
  expect(JSON.parse(g.stdout).totalWeight).toBe(6);
  policy = join(dir, 'policy.json');
  writeFileSync(policy, JSON.stringify({
    type: 'quorumkit-vote-policy',
    version: 1,
    default: 'queue',
    rules: [
      { kind: ['authorize-model', 'authorize-agent'], subject: '*', decision: 'approve', rationale: 'cleared by policy' },
      { kind: 'revoke-model', decision: 'reject' },
    ],
  }));
  nodes = await Promise.all([0, 1, 2, 3, 4].map((i) => startServe(i)));
  peers = join(dir, 'peers.json');
  writeFileSync(peers, JSON.stringify({ peers: nodes.map((n, i) => ({ url: n.url, did: ids[i]!.did })) }));
});

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
});

describe('quorumkit governance (processes on loopback)', () => {
  it('propose: a 5-node round passes (exit 0) with a vote queued for a human answered by `governance vote`', async () => {
    const pending = run(['governance', 'propose', '--key', keys[0]!, '--peers', peers, '--kind', 'authorize-model', '--subject', 'did:pqaid:medical-ai-v2',
      '--title', 'Authorize medical-ai v2', '--param', 'environment=prod', '--param', 'maxRateQps=50', '--wait', '60']);
    const eve = nodes[4]!;
    let queued: { proposalId: string }[] = [];
    for (let i = 0; i < 200 && queued.length === 0; i++) {
      queued = (await callService<{ queued: { proposalId: string }[] }>(eve.url, '/v1/queue')).queued;
      if (queued.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(queued).toHaveLength(1);
    const listed = await run(['governance', 'queue', '--node', eve.url]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n').map((l) => JSON.parse(l))).toMatchObject([{ proposalId: queued[0]!.proposalId, kind: 'authorize-model', subjectId: 'did:pqaid:medical-ai-v2' }]);
    expect((await run(['governance', 'queue', '--node', eve.url, '--ids'])).stdout).toBe(`${queued[0]!.proposalId}\n`);
    const v = await run(['governance', 'vote', '--key', keys[4]!, '--node', eve.url, '--proposal', queued[0]!.proposalId, '--decision', 'approve', '--rationale', 'reviewed by a human']);
    expect(v.code, v.stderr).toBe(0);
    expect(JSON.parse(v.stdout).outcome).toBe('counted');
    const r = await pending;
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ decision: 'passed', votes: 5, missing: [] });
    expect(out.result).toMatchObject({ approveWeight: 6, totalWeight: 6, registryVersion: 0 });
    for (const n of nodes) {
      const auth = await callService<any>(n.url, `/v1/subjects/${encodeURIComponent('did:pqaid:medical-ai-v2')}/authorization`);
      expect(auth.authorized.model).toBe(true);
    }
    expect((await callService<any>(eve.url, '/v1/queue')).queued).toEqual([]);
  });

  it('propose: a rejected proposal exits 1 and prints the result', async () => {
    const r = await run(['governance', 'propose', '--key', keys[1]!, '--peers', peers, '--kind', 'revoke-model', '--subject', 'did:pqaid:medical-ai-v2', '--title', 'Revoke']);
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.decision).toBe('rejected');
    expect(out.missing).toEqual([nodes[4]!.url]); // eve's vote stayed queued (no --wait)
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/rejected/);
  });

  it('propose --verbose prints each progress line once while a round waits for humans until its expiry', async () => {
    // Every node queues a delegation for a human: the round stays unsettled until it expires.
    const r = await run(['governance', 'propose', '--key', keys[0]!, '--peers', peers, '--kind', 'delegation', '--subject', 'did:pqaid:verbose',
      '--title', 'Delegate', '--ttl', '3', '--wait', '1', '--verbose']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).reason).toMatch(/participation/);
    const lines = r.stderr.trim().split('\n');
    const repeated = lines.filter((l, i) => lines.indexOf(l) !== i);
    expect(repeated, r.stderr).toEqual([]);
    expect(lines.filter((l) => l.includes('vote queued for a human'))).toHaveLength(5);
    expect(lines.at(-1)).toMatch(/rejected/);
  });

  it('CLI contract: a genesis of total weight 0 and a --ttl beyond the maximum are bad input (exit 2, one line, nothing written or sent)', async () => {
    const out = join(dir, 'zero-genesis.json');
    expectBadInput(await run(['governance', 'genesis', '--member', `${keys[0]!}=0`, '--member', `${keys[1]!}=0`, '--out', out]), /total weight/);
    expect(existsSync(out)).toBe(false);
    const before = (await callService<{ proposals: unknown[] }>(nodes[0]!.url, '/v1/proposals')).proposals.length;
    const base = ['governance', 'propose', '--key', keys[0]!, '--peers', peers, '--kind', 'authorize-model', '--subject', 'did:pqaid:ttl', '--title', 't'];
    expectBadInput(await run([...base, '--ttl', String(MAX_PROPOSAL_TTL_SECONDS + 1)]), /--ttl .*2592000/);
    expectBadInput(await run([...base, '--ttl', '0']), /--ttl/);
    expect((await callService<{ proposals: unknown[] }>(nodes[0]!.url, '/v1/proposals')).proposals).toHaveLength(before);
  });

  it('a node killed with SIGKILL mid-round and restarted from its data dir finishes the round', async () => {
    const [alice, , , dave] = ids;
    const p = GovernanceProposal.create('authorize-agent', 'did:pqaid:agent-kill-9', 'Authorize agent', alice!.did);
    await new GovernanceNode({ identity: alice!, name: 'alice' }).signProposal(p);
    const id = encodeURIComponent(p.proposalId);
    for (const n of nodes) await callService(n.url, '/v1/proposals', { body: { proposal: p.envelope }, signer: alice!, audience: n.did });
    const votes = [];
    for (const i of [0, 1, 2]) votes.push((await callService<any>(nodes[i]!.url, `/v1/proposals/${id}/ballot`, { body: {}, signer: alice!, audience: nodes[i]!.did })).vote);
    const victim = nodes[3]!;
    for (const vote of votes) await callService(victim.url, `/v1/proposals/${id}/votes`, { body: { vote }, signer: alice!, audience: victim.did });
    expect((await callService<any>(victim.url, `/v1/proposals/${id}`)).tally.validVoteCount).toBe(3);

    victim.child.kill('SIGKILL');
    expect((await exited(victim.child)).signal).toBe('SIGKILL');
    const port = Number(new URL(victim.url).port);
    const restarted = await startServe(3, port);
    expect(restarted.url).toBe(victim.url);
    nodes[3] = restarted;
    const state = await callService<any>(restarted.url, `/v1/proposals/${id}`);
    expect(state.status).toBe('open');
    expect(state.tally.validVoteCount).toBe(3);
    const own = await callService<any>(restarted.url, `/v1/proposals/${id}/ballot`, { body: {}, signer: dave!, audience: restarted.did });
    expect(own.status).toBe('cast');
    const final = await callService<any>(restarted.url, `/v1/proposals/${id}/finalize`, { body: {}, signer: alice!, audience: restarted.did });
    const { ConsensusResult } = await import('../../../src/governance/index.js');
    const result = ConsensusResult.fromEnvelope(final.result);
    expect(result).toMatchObject({ decision: 'passed', approveWeight: 5, totalWeight: 6 });
    expect(final.votes).toHaveLength(4);
    for (const i of [0, 1, 2, 4]) await callService(nodes[i]!.url, '/v1/results', { body: final, signer: alice!, audience: nodes[i]!.did });
    for (const n of nodes) expect((await callService<any>(n.url, `/v1/proposals/${id}`)).status).toBe('passed');
    const cp = await callService<any>(restarted.url, '/v1/log/checkpoint');
    const { verifyCheckpoint } = await import('../../../src/log/index.js');
    expect((await verifyCheckpoint(cp.checkpoint, { trusted: [dave!.did] })).valid).toBe(true);
  });

  it('bad input: exit 2, one line, nothing written', async () => {
    const garbage = join(dir, 'garbage.json');
    writeFileSync(garbage, '{"peers": [1,,]}');
    const base = ['governance', 'propose', '--key', keys[0]!, '--peers', peers, '--subject', 's', '--title', 't'];
    expectBadInput(await run([...base, '--kind', 'launch-rockets']), /unknown proposal kind/);
    expectBadInput(await run([...base, '--kind', 'authorize-model', '--param', 'novalue']), /key=value/);
    expectBadInput(await run(['governance', 'propose', '--key', keys[0]!, '--peers', garbage, '--kind', 'authorize-model', '--subject', 's', '--title', 't']), /not valid JSON/);
    writeFileSync(garbage, '{"peers": [{"url": "ftp://x"}]}');
    expectBadInput(await run(['governance', 'propose', '--key', keys[0]!, '--peers', garbage, '--kind', 'authorize-model', '--subject', 's', '--title', 't']), /http/);
    expectBadInput(await run(['governance', 'vote', '--key', keys[0]!, '--node', nodes[0]!.url, '--proposal', 'x', '--decision', 'maybe']), /--decision/);
    expectBadInput(await run(['governance', 'vote', '--key', keys[0]!, '--node', nodes[0]!.url, '--proposal', 'urn:none', '--decision', 'approve']), /404/);
    expectBadInput(await run(['governance', 'queue', '--node', 'ftp://x']), /--node/);
    const outsider = join(dir, 'outsider.key.json');
    expect(runCli(['keys', 'new', '--name', 'mallory', '--out', outsider, '--alg', 'ML-DSA-44', '--insecure-plaintext']).code).toBe(0);
    expectBadInput(await run(['governance', 'propose', '--key', outsider, '--peers', peers, '--kind', 'authorize-model', '--subject', 's', '--title', 't']), /403|not a registry member|ERR_FORBIDDEN/);
    const fresh = join(dir, 'never-created');
    expectBadInput(await run(['governance', 'serve', '--data-dir', fresh, '--key', keys[0]!, '--genesis', garbage]), /invalid genesis/);
    expectBadInput(await run(['governance', 'serve', '--data-dir', fresh, '--key', keys[0]!]), /--genesis/);
    expectBadInput(await run(['governance', 'serve', '--data-dir', fresh, '--key', keys[0]!, '--genesis', genesis, '--port', '99999']), /--port/);
    expectBadInput(await run(['governance', 'serve', '--data-dir', fresh, '--key', keys[0]!, '--genesis', genesis, '--vote-policy', garbage]), /vote policy/);
    const locked = join(dir, 'locked.key.json');
    expect(runCli(['keys', 'new', '--name', 'locked', '--out', locked, '--alg', 'ML-DSA-44', '--password-env', 'QK_GOV_PW'], { QK_GOV_PW: 'right password' }).code).toBe(0);
    const wrongPw = spawn(process.execPath, [CLI, 'governance', 'serve', '--data-dir', fresh, '--key', locked, '--genesis', genesis, '--password-env', 'QK_GOV_PW'], { env: { ...process.env, QK_GOV_PW: 'wrong password' } });
    let wrongErr = '';
    wrongPw.stderr.on('data', (d: Buffer) => (wrongErr += d.toString()));
    expectBadInput({ code: (await exited(wrongPw)).code, stderr: wrongErr }, /cannot open key file/);
    expect(existsSync(fresh)).toBe(false);
    const out = join(dir, 'never-genesis.json');
    expectBadInput(await run(['governance', 'genesis', '--member', join(dir, 'nope.json'), '--out', out]), /not found/);
    expectBadInput(await run(['governance', 'genesis', '--member', keys[0]!, '--member', keys[0]!, '--out', out]), /invalid genesis/);
    expect(existsSync(out)).toBe(false);
  });

  it('SIGTERM shuts a node down gracefully (exit 0)', async () => {
    const n = nodes[2]!;
    n.child.kill('SIGTERM');
    const r = await exited(n.child);
    expect(r.code, n.stderr).toBe(0);
    expect(n.stderr).toMatch(/SIGTERM: shutting down/);
  });
});
