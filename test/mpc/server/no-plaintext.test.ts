// After a full demo run (the MPC act of `quorumkit demo` on a process cluster) plus evaluations with
// distinctive 120-bit inputs and secret weights, no file of the coordinator or the dealer — SQLite
// databases, WAL files, transparency logs, key files, and the services' stderr logs — holds an input,
// an output, a secret weight or a Beaver-triple value in the clear, and no custodian file holds an
// input or a secret weight (only shares). Each value is searched in decimal, hex (big- and
// little-endian), its packed 16-byte form and the base64 of that. (The demo's own small values, like
// 3 or 100, cannot be searched meaningfully; the distinctive ones stand for them.)
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Encode, toHex } from '../../../src/core/bytes.js';
import { P } from '../../../src/field/constants.js';
import { packElements, reconstructMany } from '../../../src/field/index.js';
import { runMpcAct, SCORING_SOURCE } from '../../../src/cli/commands/mpc-demo.js';
import { MpcClient } from '../../../src/mpc/client/index.js';
import { startProcessCluster, type ProcessCluster } from '../_processes.js';

const rand120 = (): bigint => {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(15));
  return (BigInt(`0x${toHex(b)}`) | (1n << 119n)) % P;
};

/** Every searchable form of a field element. */
function forms(v: bigint): { name: string; bytes: Uint8Array }[] {
  const enc = new TextEncoder();
  const packed = packElements([v]);
  const be = v.toString(16);
  return [
    { name: 'decimal', bytes: enc.encode(v.toString()) },
    { name: 'hex', bytes: enc.encode(be) },
    { name: 'hex-le', bytes: enc.encode(toHex(packed).replace(/(00)+$/, '')) },
    { name: 'packed', bytes: packed.subarray(0, 15) },
    { name: 'base64', bytes: enc.encode(base64Encode(packed).slice(0, 20)) },
  ];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('no plaintext input, output, secret or triple at rest', () => {
  let c: ProcessCluster;
  const secretValues: bigint[] = [];
  const inputValues: bigint[] = [];
  const outputValues: bigint[] = [];
  const tripleValues: bigint[] = [];

  beforeAll(async () => {
    c = await startProcessCluster();
    await runMpcAct(() => undefined, (ok, what) => { if (!ok) throw new Error(what); }, c);
    await c.start('custodian-1'); // the act killed it
    const owner = await MpcClient.connect({ coordinatorUrl: c.coordinatorUrl, signer: c.owner, trustedCustodians: c.custodianDids });
    const w = [rand120(), rand120(), rand120()];
    secretValues.push(...w);
    const { programId } = await owner.install({ source: SCORING_SOURCE, secrets: { w_income: w[0]!, w_tenure: w[1]!, w_on_time: w[2]! }, policy: { budget_per_identity: 3, max_evals_per_minute: 60 } });
    const sets = [0, 1].map(() => ({ income: rand120(), tenure: rand120(), on_time: rand120() }));
    for (const s of sets) inputValues.push(s.income, s.tenure, s.on_time);
    const out = await owner.eval(programId, sets);
    outputValues.push(...out.map((o) => o['score']!));
    // Rebuild the plaintext a, b, c of one triple lot from two custodians' shares (test-only read).
    const lots = [0, 1].map((i) => {
      const db = new DatabaseSync(join(c.dir, `custodian-${i}`, 'custodian.db'), { readOnly: true });
      const row = db.prepare('SELECT a, b, c FROM triple_lots ORDER BY rowid LIMIT 1').get() as { a: Uint8Array; b: Uint8Array; c: Uint8Array };
      db.close();
      return row;
    });
    for (const part of ['a', 'b', 'c'] as const) {
      const values = reconstructMany([{ x: 1n, y: lots[0]![part].subarray(0, 64) }, { x: 2n, y: lots[1]![part].subarray(0, 64) }]);
      for (let i = 0; i < 4; i++) tripleValues.push(BigInt(`0x${toHex(values.subarray(i * 16, i * 16 + 16).reverse())}`));
    }
    for (const name of [...c.procs.keys()]) {
      const stderr = c.procs.get(name)!.stderr;
      await c.kill(name, 'SIGTERM');
      writeFileSync(join(c.dir, name, 'stderr.log'), stderr + c.procs.get(name)!.stderr);
    }
  }, 180_000);
  afterAll(async () => { await c?.close(); });

  function search(dirs: string[], values: bigint[], what: string): string[] {
    const hits: string[] = [];
    const files = dirs.flatMap((d) => filesUnder(join(c.dir, d)));
    for (const f of files) {
      const bytes = new Uint8Array(readFileSync(f));
      for (const v of values) for (const form of forms(v)) if (indexOf(bytes, form.bytes) >= 0) hits.push(`${what} in ${f} (${form.name})`);
    }
    return hits;
  }

  it('the search finds what is there (a control), and the triple values were rebuilt', () => {
    mkdirSync(join(c.dir, 'control'));
    writeFileSync(join(c.dir, 'control', 'x.bin'), packElements([secretValues[0]!]));
    writeFileSync(join(c.dir, 'control', 'y.txt'), `{"w":${inputValues[1]!}}`);
    expect(search(['control'], [secretValues[0]!, inputValues[1]!], 'control').length).toBe(2); // the packed form of the first, the decimal of the second
    for (const d of ['coordinator', 'dealer', 'custodian-0']) expect(filesUnder(join(c.dir, d)).some((f) => f.endsWith('.db-wal') || f.endsWith('.db'))).toBe(true);
    expect(tripleValues).toHaveLength(12);
    for (let i = 0; i < 4; i++) expect((tripleValues[i]! * tripleValues[4 + i]!) % P).toBe(tripleValues[8 + i]);
  });

  it('coordinator and dealer files hold no input, output, secret weight or triple value', () => {
    const all = [...inputValues.map((v) => ['input', v] as const), ...outputValues.map((v) => ['output', v] as const), ...secretValues.map((v) => ['secret weight', v] as const), ...tripleValues.map((v) => ['triple value', v] as const)];
    const hits = all.flatMap(([what, v]) => search(['coordinator', 'dealer'], [v], what));
    expect(hits).toEqual([]);
  });

  it('custodian files hold no input or secret weight, only shares', () => {
    const hits = [...search(['custodian-0', 'custodian-1', 'custodian-2'], inputValues, 'input'), ...search(['custodian-0', 'custodian-1', 'custodian-2'], secretValues, 'secret weight')];
    expect(hits).toEqual([]);
  });
});
