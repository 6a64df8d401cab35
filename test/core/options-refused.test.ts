// Every public function that takes an options object refuses a key it does not document, with a
// TypeError naming the key, before doing any work (STYLE.md "options objects with unknown keys are
// refused"): a misspelt or unsupported option must never be silently ignored.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalize, canonicalizePython, canonicalPythonBytes, parseStrict } from '../../src/core/index.js';
import { addSignature, openEnvelope, signEnvelope, verifyEnvelope, type Envelope } from '../../src/envelope/index.js';
import * as field from '../../src/field/index.js';
import * as fieldRef from '../../src/field/reference.js';
import {
  createShake128, createShake256, RegionHasher, shake128, shake256, treeHashRegion, treeHashRegionSync,
} from '../../src/hash/index.js';
import { callService, createServiceApp, requireSignedRequest, serveApp, verifySignedRequest } from '../../src/http/index.js';
import { TransparencyLog, verifyCheckpoint } from '../../src/log/index.js';
import { encryptKeyFile, getProvider, Identity, mlDsa, verifySignature, type MlDsaKeyPair } from '../../src/pq/index.js';
import { init, initSync } from '../../src/wasm/index.js';

const BOGUS = { bogus: 1 } as never;
const refused = (key: string): RegExp => new RegExp(`^"[\\w.]+" has unknown key "${key}" \\(expected one of [\\w, ]+\\)$`);
const msg = new TextEncoder().encode('options refused');

let keys: MlDsaKeyPair;
let sig: Uint8Array;
let id: Identity;
let env: Envelope;
let dir: string;

beforeAll(async () => {
  const dsa = mlDsa(65, { provider: 'noble' });
  keys = await dsa.keygen();
  sig = await dsa.sign(msg, keys.secretKey);
  id = await Identity.create('opts', { provider: 'noble' });
  env = await signEnvelope({ a: 1 }, 'note', [id]);
  dir = mkdtempSync(path.join(tmpdir(), 'qk-options-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Call = () => unknown;

/** [public function, a call of it whose options hold one unknown key, that key when not "bogus"]. */
const CALLS: readonly (readonly [string, Call, string?])[] = [
  // core
  ['canonicalize', () => canonicalize({}, BOGUS)],
  ['canonicalBytes', () => canonicalBytes({}, BOGUS)],
  ['canonicalizePython', () => canonicalizePython({}, BOGUS)],
  ['canonicalPythonBytes', () => canonicalPythonBytes({}, BOGUS)],
  ['parseStrict', () => parseStrict('{}', BOGUS)],
  // pq
  ['mlDsa', () => mlDsa(65, BOGUS)],
  ['mlDsa().sign', () => mlDsa(65).sign(msg, keys.secretKey, BOGUS)],
  ['mlDsa().verify', () => mlDsa(65).verify(sig, msg, keys.publicKey, BOGUS)],
  ['verifySignature', () => verifySignature('ML-DSA-65', sig, msg, keys.publicKey, BOGUS)],
  ['provider.sign', () => getProvider('noble').sign(65, msg, keys.secretKey, BOGUS)],
  ['provider.verify', () => getProvider('noble').verify(65, sig, msg, keys.publicKey, BOGUS)],
  ['provider.signInternal', () => getProvider('noble').signInternal!(65, msg, keys.secretKey, BOGUS)],
  ['provider.verifyInternal', () => getProvider('noble').verifyInternal!(65, sig, msg, keys.publicKey, BOGUS)],
  ['provider.hashSign', () => getProvider('noble').hashSign!(65, 'SHA2-256', msg, keys.secretKey, BOGUS)],
  ['provider.hashVerify', () => getProvider('noble').hashVerify!(65, 'SHA2-256', sig, msg, keys.publicKey, BOGUS)],
  ['Identity.create', () => Identity.create('x', BOGUS)],
  ['Identity.fromKeyPair', () => Identity.fromKeyPair('x', 65, keys, BOGUS)],
  ['Identity.fromKeyFileJson', () => Identity.fromKeyFileJson('{}', undefined, BOGUS)],
  ['Identity.fromKeyFile', () => Identity.fromKeyFile(path.join(dir, 'none.json'), undefined, BOGUS)],
  ['identity.sign', () => id.sign(msg, BOGUS)],
  ['identity.verify', () => id.verify(sig, msg, BOGUS)],
  ['identity.toKeyFile', () => id.toKeyFile({ password: 'pw', bogus: 1 } as never)],
  ['identity.saveKeyFile', () => id.saveKeyFile(path.join(dir, 'refused.json'), { password: 'pw', overwrite: true, bogus: 1 } as never)],
  ['encryptKeyFile', () => encryptKeyFile({ name: 'x', level: 65, ...keys }, { insecurePlaintext: true, bogus: 1 } as never)],
  // envelope
  ['signEnvelope', () => signEnvelope({}, 'note', [id], BOGUS)],
  ['addSignature', () => addSignature(env, id, BOGUS)],
  ['verifyEnvelope', () => verifyEnvelope(env, BOGUS)],
  ['openEnvelope', () => openEnvelope(env, BOGUS)],
  // log
  ['verifyCheckpoint', () => verifyCheckpoint(env, BOGUS)],
  ['TransparencyLog.open', () => TransparencyLog.open(':memory:', { origin: 'x', bogus: 1 } as never)],
  ['TransparencyLog.appendMany', () => TransparencyLog.open(':memory:', { origin: 'x' }).appendMany([msg], BOGUS)],
  // http signed requests
  ['verifySignedRequest', () => verifySignedRequest({ method: 'GET', path: '/', body: msg, headers: () => undefined }, BOGUS)],
  ['requireSignedRequest', () => requireSignedRequest(BOGUS)],
  // field, on both backends
  ...[['field', field], ['field/reference', fieldRef]].flatMap(([name, f]) => {
    const api = f as typeof field;
    return [
      [`${name} split`, () => api.split(5n, { k: 2, n: 3, bogus: 1 } as never)],
      [`${name} reconstruct`, () => api.reconstruct(api.split(5n, { k: 2, n: 3 }), BOGUS)],
      [`${name} splitMany`, () => api.splitMany(new Uint8Array(16), { k: 2, n: 3, bogus: 1 } as never)],
      [`${name} reconstructMany`, () => api.reconstructMany(api.splitMany(new Uint8Array(16), { k: 2, n: 3 }), BOGUS)],
      [`${name} splitBytes`, () => api.splitBytes(new Uint8Array(4), { k: 2, n: 3, bogus: 1 } as never)],
      [`${name} combineBytes`, () => api.combineBytes(api.splitBytes(new Uint8Array(4), { k: 2, n: 3 }), BOGUS)],
    ] as const;
  }),
  // hash
  ['shake128', () => shake128(msg, BOGUS)],
  ['shake256', () => shake256(msg, BOGUS)],
  ['createShake128', () => createShake128(BOGUS)],
  ['createShake256', () => createShake256(BOGUS)],
  ['treeHashRegionSync', () => treeHashRegionSync(msg, BOGUS)],
  ['treeHashRegionSync (an async-only option)', () => treeHashRegionSync(msg, { parallel: false } as never), 'parallel'],
  ['treeHashRegion', () => treeHashRegion(msg, BOGUS)],
  ['new RegionHasher', () => new RegionHasher(new Uint8Array(8), BOGUS)],
  ['RegionHasher.create', () => RegionHasher.create(new Uint8Array(8), BOGUS)],
  // http
  ['createServiceApp', () => createServiceApp({ service: 'x', bogus: 1 } as never)],
  ['callService', () => callService('http://127.0.0.1:9', '/x', BOGUS)],
  ['serveApp', () => serveApp(createServiceApp({ service: 'x' }), BOGUS)],
  // wasm
  ['initSync', () => initSync(BOGUS)],
  ['init', () => init(BOGUS)],
];

async function refusal(call: Call): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('options objects with unknown keys are refused', () => {
  const rows = CALLS.map(([name, call, key]) => ({ name, call, key: key ?? 'bogus' }));
  it.each(rows)('$name refuses an unknown key with a TypeError naming it', async ({ call, key }) => {
    const err = await refusal(call);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(refused(key));
  });

  it('mlDsa().sign refuses rnd, which only a provider\'s sign (for conformance tests) accepts', async () => {
    const dsa = mlDsa(65);
    await expect(dsa.sign(msg, keys.secretKey, { rnd: new Uint8Array(32) } as never)).rejects.toThrow(
      new TypeError('"options" has unknown key "rnd" (expected one of context, deterministic)'),
    );
    const rnd = new Uint8Array(32).fill(7);
    const a = await getProvider('noble').sign(65, msg, keys.secretKey, { rnd });
    expect(a).toEqual(await getProvider('noble').sign(65, msg, keys.secretKey, { rnd }));
  });

  it('a refused option leaves no trace: no key file is written, no request is sent', async () => {
    const file = path.join(dir, 'not-written.json');
    await expect(id.saveKeyFile(file, { password: 'pw', bogus: 1 } as never)).rejects.toThrow(TypeError);
    expect(existsSync(file)).toBe(false);
    // port 9 (discard) on loopback: a request would fail with ERR_IO, the refusal comes first
    await expect(callService('http://127.0.0.1:9', '/x', { timeout: 5 } as never)).rejects.toThrow(TypeError);
  });

  it('a key-file protection with both a password and insecurePlaintext is refused, not written in plaintext', async () => {
    await expect(encryptKeyFile({ name: 'x', level: 65, ...keys }, { password: 'pw', insecurePlaintext: true } as never)).rejects.toThrow(
      new TypeError('"protection" expected { password } or { insecurePlaintext: true }, not both'),
    );
  });
});
