// Proactive resharing and custodian rotation (default mode) over real HTTP on loopback: after
// /reshare the scoring model's secret weights still give the right scores and every custodian's
// shares changed; old and new shares never combine to the secret while K new ones do; rotation
// retires custodian 2 and onboards one at x = 4, evaluations run on the new set, the retired one
// holds nothing, and every body the coordinator routed holds sealed boxes only — no share, in any
// encoding; unsigned, wrongly signed or wrong-role calls are refused with no state change.
// Shares are read from the custodians' SQLite files, read-only, by the test alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Decode, toHex } from '../../../src/core/bytes.js';
import { canonicalizePython } from '../../../src/core/canonical-python.js';
import { FIELD_ELEMENT_BYTES } from '../../../src/field/constants.js';
import { reconstructMany, unpackElements } from '../../../src/field/index.js';
import { callService } from '../../../src/http/client.js';
import { signRequest } from '../../../src/http/signed-request.js';
import { Identity } from '../../../src/pq/identity.js';
import { ML_KEM_768_CIPHERTEXT_BYTES } from '../../../src/mpc/channel/kem.js';
import { compileDsl } from '../../../src/mpc/dsl/compile.js';
import { buildPackage, packageToJson } from '../../../src/mpc/package.js';
import { authorizeMembers } from '../../../src/mpc/membership.js';
import { startCluster, type Cluster } from '../_cluster.js';
import { nodeTransport } from '../../../src/http/node-transport.js';
import type { HttpTransport } from '../../../src/http/client.js';

const SCORING = 'input x1\ninput x2\ninput x3\nsecret w1\nsecret w2\nsecret w3\nconst b = 7\ndot s = x1 w1 x2 w2 x3 w3\nadd score = s b\noutput score\n';
const WEIGHTS = { w1: 3n, w2: 5n, w3: 11n };
const SECRET = [3n, 5n, 11n];
const score = (x1: bigint, x2: bigint, x3: bigint): bigint => 3n * x1 + 5n * x2 + 11n * x3 + 7n;

interface Held { x: bigint; y: Uint8Array }

/** A custodian's stored shares of a program, read from its database file (read-only), or undefined. */
function storedShares(cluster: Cluster, index: number, programId: string): Held | undefined {
  const db = new DatabaseSync(join(cluster.custodianDir(index), 'custodian.db'), { readOnly: true });
  try {
    const r = db.prepare('SELECT x, shares FROM secret_shares WHERE program_id = ?').get(programId) as { x: string; shares: Uint8Array } | undefined;
    return r && { x: BigInt(r.x), y: new Uint8Array(r.shares) };
  } finally {
    db.close();
  }
}

function rowsFor(cluster: Cluster, index: number, programId: string): Record<string, number> {
  const db = new DatabaseSync(join(cluster.custodianDir(index), 'custodian.db'), { readOnly: true });
  try {
    const out: Record<string, number> = {};
    for (const t of ['programs', 'secret_shares', 'approvals', 'triple_lots']) out[t] = Number((db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE program_id = ?`).get(programId) as { n: number }).n);
    return out;
  } finally {
    db.close();
  }
}

const combine = (...held: Held[]): bigint[] => unpackElements(reconstructMany(held));

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    return (e as { status: number }).status;
  }
}

/** The coordinator's transport, recording every body (request and answer) of a resharing call while `recording` is set. */
const traffic = { recording: false, bodies: [] as string[] };
const inner = nodeTransport();
const recordingTransport: HttpTransport = async (url, req) => {
  const res = await inner(url, req);
  if (traffic.recording && /\/(reshare_|approve|deal|install_beaver)/.test(url.pathname)) {
    traffic.bodies.push(req.body === undefined ? '' : new TextDecoder().decode(req.body), res.text);
  }
  return res;
};

function recordCoordinatorTraffic(): { bodies: string[]; stop: () => void } {
  traffic.bodies = [];
  traffic.recording = true;
  return { bodies: traffic.bodies, stop: () => { traffic.recording = false; } };
}

/** Every encoding of every element of `held` that must not appear in what the coordinator saw. */
function forbiddenForms(held: readonly Held[]): { text: string[]; bytes: Uint8Array[] } {
  const text: string[] = [];
  const bytes: Uint8Array[] = [];
  for (const h of held) {
    for (let i = 0; i < h.y.length; i += FIELD_ELEMENT_BYTES) {
      const el = h.y.subarray(i, i + FIELD_ELEMENT_BYTES);
      const v = unpackElements(el)[0]!;
      text.push(v.toString(), v.toString(16), toHex(el), Buffer.from(el).toString('base64').slice(0, 20));
      bytes.push(el.slice());
    }
    text.push(Buffer.from(h.y).toString('base64'));
  }
  return { text, bytes };
}

function containsBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('proactive resharing and rotation (default mode)', () => {
  let cluster: Cluster;
  let dir: string;
  let programId: string;
  let caller: Identity;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qk-reshare-'));
    cluster = await startCluster({ dataDir: dir, transport: recordingTransport });
    caller = await Identity.create('caller');
    const client = await cluster.client();
    ({ programId } = await client.install({ source: SCORING, secrets: WEIGHTS, policy: { budget_per_identity: 1000, max_evals_per_minute: 1000 }, beaverPoolSize: 20, allowExtraction: true }));
  });
  afterAll(async () => {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const coordinatorCall = <T>(path: string, body: unknown, signer: Identity = cluster.owner): Promise<T> =>
    callService<T>(cluster.coordinator.server.url, path, { body, signer, audience: cluster.coordinator.svc.did });
  const asCoordinator = <T>(index: number, path: string, body: unknown, method = 'POST'): Promise<T> => {
    const c = cluster.custodians[index]!;
    return callService<T>(c.server.url, path, { method, ...(body === undefined ? {} : { body }), signer: cluster.coordinator.identity, audience: c.svc.did });
  };
  const evalScores = async (): Promise<bigint[]> => {
    const client = await cluster.client(caller);
    const out = await client.eval(programId, [{ x1: 1n, x2: 2n, x3: 4n }, { x1: 10n, x2: 0n, x3: 3n }]);
    return out.map((o) => o['score']!);
  };

  let beforeReshare: Held[] = [];
  let afterReshare: Held[] = [];

  it('/reshare refreshes every custodian\'s shares; evaluations with the secret weights stay right', async () => {
    expect(await evalScores()).toEqual([score(1n, 2n, 4n), score(10n, 0n, 3n)]);
    beforeReshare = [0, 1, 2].map((i) => storedShares(cluster, i, programId)!);
    expect(combine(beforeReshare[0]!, beforeReshare[1]!)).toEqual(SECRET);
    const r = await coordinatorCall<{ status: string; program_id: string; participants: number; stale: number[] }>('/reshare', { program_id: programId });
    expect(r).toMatchObject({ status: 'reshared', program_id: programId, participants: 3, stale: [] });
    afterReshare = [0, 1, 2].map((i) => storedShares(cluster, i, programId)!);
    for (let i = 0; i < 3; i++) {
      expect(afterReshare[i]!.x).toBe(beforeReshare[i]!.x);
      expect(toHex(afterReshare[i]!.y)).not.toBe(toHex(beforeReshare[i]!.y));
    }
    expect(await evalScores()).toEqual([score(1n, 2n, 4n), score(10n, 0n, 3n)]);
    const audit = await callService<{ entries: { event: string }[]; chain_valid: boolean }>(cluster.coordinator.server.url, '/audit');
    expect(audit.chain_valid).toBe(true);
    expect(audit.entries.map((e) => e.event)).toContain('reshare');
  });

  it('old and new shares never combine to the secret; K new shares do', () => {
    const [o0, o1, o2] = beforeReshare as [Held, Held, Held];
    const [n0, n1, n2] = afterReshare as [Held, Held, Held];
    expect(combine(n0, n1)).toEqual(SECRET);
    expect(combine(n1, n2)).toEqual(SECRET);
    expect(combine(n0, n2)).toEqual(SECRET);
    for (const [a, b] of [[o0, n1], [n0, o1], [o1, n2], [n1, o2], [o0, n2], [n0, o2]] as [Held, Held][]) {
      const got = combine(a, b);
      for (let j = 0; j < SECRET.length; j++) expect(got[j]).not.toBe(SECRET[j]);
    }
  });

  it('a replayed /reshare_apply of an applied round is refused (409) and changes nothing', async () => {
    const round = await coordinatorCall<{ round_id: string }>('/reshare', { program_id: programId });
    const held = storedShares(cluster, 0, programId)!;
    const replay = asCoordinator(0, '/reshare_apply', { program_id: programId, round_id: round.round_id, sub_shares: [] });
    expect(await statusOf(replay)).toBe(409);
    expect(toHex(storedShares(cluster, 0, programId)!.y)).toBe(toHex(held.y));
    afterReshare = [0, 1, 2].map((i) => storedShares(cluster, i, programId)!);
    expect(await evalScores()).toEqual([score(1n, 2n, 4n), score(10n, 0n, 3n)]);
  });

  it('unsigned, wrongly signed and wrong-role resharing calls are refused (401/403) with no state change', async () => {
    const c0 = cluster.custodians[0]!;
    const before = toHex(storedShares(cluster, 0, programId)!.y);
    const body = canonicalizePython({ program_id: programId, round_id: 'ab'.repeat(16), k: 2, targets: [await c0.svc.keyCard()] });
    const unsigned = await fetch(`${c0.server.url}/reshare_generate`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).error.code).toBeTypeOf('string');
    // signed by the coordinator over another body
    const headers = await signRequest(cluster.coordinator.identity, { method: 'POST', path: '/reshare_generate', body: new TextEncoder().encode(body.replace('"k":2', '"k":3')), audience: c0.svc.did });
    const forged = await fetch(`${c0.server.url}/reshare_generate`, { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
    expect(forged.status).toBe(401);
    // signed by the owner, who is not the coordinator
    const wrongRole = callService(c0.server.url, '/reshare_generate', { bodyText: body, signer: cluster.owner, audience: c0.svc.did });
    expect(await statusOf(wrongRole)).toBe(403);
    const retire = callService(c0.server.url, `/reshare_retire/${programId}`, { method: 'DELETE', signer: cluster.owner, audience: c0.svc.did });
    expect(await statusOf(retire)).toBe(403);
    const unsignedRetire = await fetch(`${c0.server.url}/reshare_retire/${programId}`, { method: 'DELETE' });
    expect(unsignedRetire.status).toBe(401);
    // the coordinator's /reshare and /rotate: owners only
    expect((await fetch(`${cluster.coordinator.server.url}/reshare`, { method: 'POST', body: JSON.stringify({ program_id: programId }), headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect(await statusOf(coordinatorCall('/reshare', { program_id: programId }, caller))).toBe(403);
    expect(await statusOf(coordinatorCall('/rotate', { program_id: programId, retire_indices: [2], onboard_urls: [] }, caller))).toBe(403);
    expect(toHex(storedShares(cluster, 0, programId)!.y)).toBe(before);
    expect(rowsFor(cluster, 0, programId)).toMatchObject({ programs: 1, secret_shares: 1, approvals: 1 });
    const db = new DatabaseSync(join(cluster.custodianDir(0), 'custodian.db'), { readOnly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM reshare_rounds WHERE round_id = ?').get('ab'.repeat(16)) as { n: number }).n).toBe(0);
    db.close();
  });

  it('unknown program 404, not active 400, a retirement below K 400', async () => {
    expect(await statusOf(coordinatorCall('/reshare', { program_id: 'f'.repeat(64) }))).toBe(404);
    expect(await statusOf(coordinatorCall('/rotate', { program_id: 'f'.repeat(64), retire_indices: [], onboard_urls: [] }))).toBe(404);
    const pending = buildPackage(compileDsl('input x\nconst c = 1\nadd y = x c\noutput y\n'));
    await callService(cluster.coordinator.server.url, '/install', { bodyText: canonicalizePython({ program_package: packageToJson(pending) }), signer: cluster.owner, audience: cluster.coordinator.svc.did });
    expect(await statusOf(coordinatorCall('/reshare', { program_id: pending.programId }))).toBe(400);
    expect(await statusOf(coordinatorCall('/rotate', { program_id: pending.programId, retire_indices: [], onboard_urls: [] }))).toBe(400);
    expect(await statusOf(coordinatorCall('/rotate', { program_id: programId, retire_indices: [1, 2], onboard_urls: [] }))).toBe(400);
    expect([0, 1, 2].map((i) => toHex(storedShares(cluster, i, programId)!.y))).toEqual(afterReshare.map((h) => toHex(h.y)));
  });

  it('new custodians need an owner-signed membership authorisation: the coordinator refuses a rotation without one (403), and a survivor seals no partial to a custodian it does not admit (403, its mask kept)', async () => {
    const added = await cluster.addCustodian({ index: 3, x: 4n });
    const card = await added.svc.keyCard();
    const sharesBefore = [0, 1, 2].map((i) => toHex(storedShares(cluster, i, programId)!.y));
    const rotate = (authorization?: unknown) => coordinatorCall('/rotate', { program_id: programId, retire_indices: [2], onboard_urls: [added.server.url], ...(authorization === undefined ? {} : { authorization }) });
    const attempts = [
      ['none', undefined],
      ['signed by a non-owner', await authorizeMembers(caller, programId, [{ did: added.svc.did, x: 4n }])],
      ['for another did', await authorizeMembers(cluster.owner, programId, [{ did: caller.did, x: 4n }])],
      ['for another abscissa', await authorizeMembers(cluster.owner, programId, [{ did: added.svc.did, x: 5n }])],
      ['for another program', await authorizeMembers(cluster.owner, 'e'.repeat(64), [{ did: added.svc.did, x: 4n }])],
      ['expired', await authorizeMembers(cluster.owner, programId, [{ did: added.svc.did, x: 4n }], { ttlSeconds: 1, nowMs: Date.now() - 10_000 })],
    ] as const;
    for (const [what, authorization] of attempts) {
      const e = await rotate(authorization).catch((x: unknown) => x);
      expect(e, what).toMatchObject({ status: 403, code: 'ERR_FORBIDDEN' });
    }
    expect([0, 1, 2].map((i) => toHex(storedShares(cluster, i, programId)!.y))).toEqual(sharesBefore);
    expect(rowsFor(cluster, 3, programId).secret_shares).toBe(0);
    // A coordinator that skips its own check meets the survivors': a round generated for x = 4, then a
    // partial asked for that target under an authorisation that admits someone else.
    const listed = await callService<{ custodians: { index: number; key_card: unknown }[] }>(cluster.coordinator.server.url, '/custodians');
    const targets = listed.custodians.filter((c) => c.index < 3).map((c) => c.key_card);
    const roundId = 'cd'.repeat(16);
    await asCoordinator(0, '/reshare_generate', { program_id: programId, round_id: roundId, k: 2, targets, onboard_x_coords: [4] });
    const partial = (authorization: unknown) => asCoordinator<{ partial: string }>(0, '/reshare_lagrange_partial', { program_id: programId, round_id: roundId, target_x: 4, participant_x_coords: [1, 2], recipient: card, authorization });
    expect(await partial(attempts[2][1]).catch((x: unknown) => x)).toMatchObject({ status: 403, code: 'ERR_FORBIDDEN' });
    expect(await partial(attempts[1][1]).catch((x: unknown) => x)).toMatchObject({ status: 403 });
    // the mask is still there: the admitted recipient gets its (one) partial
    expect((await partial(await authorizeMembers(cluster.owner, programId, [{ did: added.svc.did, x: 4n }]))).partial.length).toBeGreaterThan(0);
    expect([0, 1, 2].map((i) => toHex(storedShares(cluster, i, programId)!.y))).toEqual(sharesBefore);
  });

  it('rotation: retire custodian 2, onboard one at x = 4; the new set evaluates and reconstructs, the retired holds nothing, the coordinator routed only sealed boxes', async () => {
    const retiredShare = storedShares(cluster, 2, programId)!;
    const added = cluster.custodians[3]!;
    const traffic = recordCoordinatorTraffic();
    let r: { status: string; retired: number[]; onboarded: number; new_x_coords: number[]; members: { index: number; x: number }[]; stale: number[]; retire_failed: number[]; beaver_pool: number };
    try {
      // the owner's client admits the new custodian (its key card's did and x) and asks for the rotation
      r = await (await cluster.client()).rotate(programId, { retire: [2], onboardUrls: [added.server.url], trustedNewCustodians: [added.svc.did] }) as typeof r;
    } finally {
      traffic.stop();
    }
    expect(r).toMatchObject({ status: 'rotated', retired: [2], onboarded: 1, new_x_coords: [4], stale: [], retire_failed: [] });
    expect(r.members).toEqual([{ index: 0, x: 1 }, { index: 1, x: 2 }, { index: 3, x: 4 }]);
    expect(r.beaver_pool).toBeGreaterThan(0);

    // the retired custodian's DELETE ran: nothing left for the program
    expect(rowsFor(cluster, 2, programId)).toEqual({ programs: 0, secret_shares: 0, approvals: 0, triple_lots: 0 });
    expect(await statusOf(callService(cluster.custodians[2]!.server.url, `/beaver_pool/${programId}`))).toBe(404);

    const s0 = storedShares(cluster, 0, programId)!;
    const s1 = storedShares(cluster, 1, programId)!;
    const s4 = storedShares(cluster, 3, programId)!;
    expect(s4.x).toBe(4n);
    expect(combine(s0, s4)).toEqual(SECRET);
    expect(combine(s1, s4)).toEqual(SECRET);
    expect(combine(s0, s1)).toEqual(SECRET);
    // shares from before the rotation (the retired custodian's last one included) do not combine with the new
    for (const [a, b] of [[retiredShare, s0], [retiredShare, s4], [afterReshare[0]!, s4], [afterReshare[1]!, s0]] as [Held, Held][]) {
      const got = combine(a, b);
      for (let j = 0; j < SECRET.length; j++) expect(got[j]).not.toBe(SECRET[j]);
    }

    // evaluations run on the new set (custodian 3 takes part)
    expect(await evalScores()).toEqual([score(1n, 2n, 4n), score(10n, 0n, 3n)]);
    const audit = await callService<{ entries: { event: string; data: Record<string, unknown> }[]; chain_valid: boolean }>(cluster.coordinator.server.url, '/audit');
    expect(audit.chain_valid).toBe(true);
    expect(audit.entries.some((e) => e.event === 'rotate')).toBe(true);
    expect(audit.entries.filter((e) => e.event === 'eval_ok').at(-1)!.data['custodians']).toEqual([0, 1, 3]);

    // what the coordinator saw: sealed boxes only — no share (old, new or the new custodian's) in any form
    expect(traffic.bodies.length).toBeGreaterThan(0);
    const forbidden = forbiddenForms([...beforeReshare, ...afterReshare, retiredShare, s0, s1, s4]);
    const boxes: Uint8Array[] = [];
    for (const text of traffic.bodies) {
      for (const f of forbidden.text) expect(text.includes(f)).toBe(false);
      for (const m of text.matchAll(/"(?:box|partial|[0-9]+)":"([A-Za-z0-9+/]+={0,2})"/g)) boxes.push(base64Decode(m[1]!));
    }
    expect(boxes.length).toBeGreaterThanOrEqual(2 * 2 + 2); // two survivors deal two sub-shares each; two partials
    for (const b of boxes) {
      expect(b.length).toBeGreaterThanOrEqual(ML_KEM_768_CIPHERTEXT_BYTES + 12 + 16 + 3 * FIELD_ELEMENT_BYTES);
      for (const f of forbidden.bytes) expect(containsBytes(b, f)).toBe(false);
    }
  });

  it('the new custodian set is durable: after a coordinator restart evaluations still run on 0, 1, 3', async () => {
    await cluster.restartCoordinator();
    expect(await evalScores()).toEqual([score(1n, 2n, 4n), score(10n, 0n, 3n)]);
    const audit = await callService<{ entries: { event: string; data: Record<string, unknown> }[] }>(cluster.coordinator.server.url, '/audit');
    expect(audit.entries.filter((e) => e.event === 'eval_ok').at(-1)!.data['custodians']).toEqual([0, 1, 3]);
    const listed = await callService<{ custodians: { index: number; x: string }[] }>(cluster.coordinator.server.url, '/custodians');
    expect(listed.custodians.map((c) => [c.index, c.x])).toEqual([[0, '1'], [1, '2'], [2, '3'], [3, '4']]);
  });

  it('resharing the rotated set works; onboarding a custodian already in the set is refused (400)', async () => {
    const r = await (await cluster.client()).reshare(programId);
    expect(r).toMatchObject({ status: 'reshared', participants: 3, stale: [] });
    const s0 = storedShares(cluster, 0, programId)!;
    const s4 = storedShares(cluster, 3, programId)!;
    expect(combine(s0, s4)).toEqual(SECRET);
    expect(await statusOf(coordinatorCall('/rotate', { program_id: programId, retire_indices: [], onboard_urls: [cluster.custodians[3]!.server.url] }))).toBe(400);
    expect(await evalScores()).toEqual([score(1n, 2n, 4n), score(10n, 0n, 3n)]);
  });
});
