import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { isQuorumkitError, type QuorumkitErrorCode } from '../../src/core/errors.js';
import type { PqErrorCode } from '../../src/pq/errors.js';
import { toHex } from '../../src/core/bytes.js';
import { Identity } from '../../src/pq/identity.js';
import { didFromPublicKey, isPqaidDid } from '../../src/pq/did.js';
import { getProvider } from '../../src/pq/registry.js';
import { verifySignature } from '../../src/pq/ml-dsa.js';

const code = (c: QuorumkitErrorCode | PqErrorCode) => (e: unknown) => isQuorumkitError(e, c);
const msg = new TextEncoder().encode('identity test message');
const PASSWORD = 'pq identity password';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qk-identity-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Identity', () => {
  it('create: did, alg, level, provider; sign/verify with and without context', async () => {
    for (const level of [44, 65, 87] as const) {
      const id = await Identity.create(`node-${level}`, { level });
      expect(id.alg).toBe(`ML-DSA-${level}`);
      expect(id.level).toBe(level);
      expect(id.provider).toBe('auto');
      expect(isPqaidDid(id.did)).toBe(true);
      expect(id.did).toBe(didFromPublicKey(id.publicKey));
      const sig = await id.sign(msg);
      expect(await id.verify(sig, msg)).toBe(true);
      expect(await verifySignature(id.alg, sig, msg, id.publicKey)).toBe(true);
      const context = new TextEncoder().encode('ctx');
      const sig2 = await id.sign(msg, { context });
      expect(await id.verify(sig2, msg, { context })).toBe(true);
      expect(await id.verify(sig2, msg)).toBe(false);
    }
  });

  it('defaults to ML-DSA-65; a seed gives a reproducible identity', async () => {
    const seed = new Uint8Array(32).fill(3);
    const a = await Identity.create('a', { seed });
    const b = await Identity.create('b', { seed, provider: 'node' });
    expect(a.level).toBe(65);
    expect(a.did).toBe(b.did);
    expect(b.provider).toBe('node');
    await expect(Identity.create('c', { seed, provider: 'liboqs' })).rejects.toSatisfy(code('ERR_UNSUPPORTED'));
  });

  it('publicKey is a copy: mutating it changes nothing', async () => {
    const id = await Identity.create('copy');
    const pk = id.publicKey;
    pk.fill(0);
    expect(didFromPublicKey(id.publicKey)).toBe(id.did);
  });

  it('rejects bad names', async () => {
    await expect(Identity.create('')).rejects.toThrow(RangeError);
    await expect(Identity.create('x'.repeat(129))).rejects.toThrow(RangeError);
    await expect(Identity.create(7 as unknown as string)).rejects.toThrow(TypeError);
    expect((await Identity.create('x'.repeat(128))).name.length).toBe(128);
  });

  it('never exposes the secret key through JSON.stringify, util.inspect or own properties', async () => {
    const id = await Identity.create('secretive');
    const file = await id.toKeyFile({ insecurePlaintext: true });
    const skB64 = file.secretKey!;
    const skHex = toHex(Buffer.from(skB64, 'base64').subarray(1000, 1032)); // inside s1
    const json = JSON.stringify(id);
    expect(JSON.parse(json)).toEqual({ name: 'secretive', did: id.did, alg: 'ML-DSA-65', publicKey: file.publicKey });
    for (const view of [json, inspect(id), inspect(id, { showHidden: true, depth: 10 }), JSON.stringify(Object.getOwnPropertyDescriptors(id))]) {
      expect(view).not.toContain(skB64.slice(1400, 1460));
      expect(view.toLowerCase()).not.toContain(skHex);
    }
    expect(Object.keys(id)).not.toContain('secretKey');
    expect(Object.isFrozen(id)).toBe(true);
  });

  it('key file round trip (encrypted and plaintext) keeps the identity', async () => {
    const id = await Identity.create('roundtrip', { level: 44 });
    const enc = await id.toKeyFile({ password: PASSWORD, scryptLogN: 15 });
    const back = await Identity.fromKeyFileJson(JSON.stringify(enc), PASSWORD);
    expect([back.name, back.did, back.alg]).toEqual([id.name, id.did, id.alg]);
    expect(await id.verify(await back.sign(msg), msg)).toBe(true);
    const plain = await Identity.fromKeyFileJson(await id.toKeyFile({ insecurePlaintext: true }), undefined, { provider: 'noble' });
    expect(plain.provider).toBe('noble');
    expect(await back.verify(await plain.sign(msg, { deterministic: true }), msg)).toBe(true);
    await expect(Identity.fromKeyFileJson(enc, 'nope')).rejects.toSatisfy(code('ERR_KEY_PASSWORD'));
  });

  it('fromKeyPair checks that the pair belongs together', async () => {
    const a = await getProvider('noble').keygen(65, new Uint8Array(32).fill(4));
    const b = await getProvider('noble').keygen(65, new Uint8Array(32).fill(5));
    const id = await Identity.fromKeyPair('imported', 65, a);
    expect(id.did).toBe(didFromPublicKey(a.publicKey));
    await expect(Identity.fromKeyPair('mixed', 65, { publicKey: a.publicKey, secretKey: b.secretKey })).rejects.toSatisfy(code('ERR_KEY_FILE'));
    await expect(Identity.fromKeyPair('short', 65, { publicKey: a.publicKey.subarray(1), secretKey: a.secretKey })).rejects.toSatisfy(code('ERR_KEY_INVALID'));
  });
});

describe('Identity key files on disk', () => {
  it('save (mode 0600) and load; refuses to overwrite unless asked', async () => {
    const id = await Identity.create('disk');
    const file = path.join(dir, 'disk.key.json');
    await id.saveKeyFile(file, { password: PASSWORD, scryptLogN: 15 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const back = await Identity.fromKeyFile(file, PASSWORD);
    expect(back.did).toBe(id.did);
    await expect(id.saveKeyFile(file, { password: PASSWORD, scryptLogN: 15 })).rejects.toSatisfy(code('ERR_IO'));
    await id.saveKeyFile(file, { insecurePlaintext: true, overwrite: true });
    expect((await Identity.fromKeyFile(file)).did).toBe(id.did);
  });

  it('missing, unreadable or malformed files give ERR_IO / ERR_KEY_FILE without leaking the password', async () => {
    const missing = path.join(dir, 'missing.json');
    const err = await Identity.fromKeyFile(missing, 'SECRET-PASSWORD-123').catch((e: unknown) => e);
    expect(isQuorumkitError(err, 'ERR_IO')).toBe(true);
    expect((err as Error).message).toContain('missing.json');
    expect((err as Error).message).not.toContain('SECRET-PASSWORD-123');
    await expect(Identity.fromKeyFile(dir)).rejects.toSatisfy(code('ERR_IO'));
    const junk = path.join(dir, 'junk.json');
    writeFileSync(junk, '{"type":"quorumkit-key"');
    await expect(Identity.fromKeyFile(junk)).rejects.toSatisfy(code('ERR_KEY_FILE'));
    await expect(Identity.fromKeyFile('')).rejects.toThrow(TypeError);
  });

  it('without node:fs the file methods throw ERR_IO; the *Json ones still work', async () => {
    const id = await Identity.create('nofs');
    const proc = globalThis.process as { getBuiltinModule?: (m: string) => unknown };
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = (m: string) => (m === 'node:fs' ? undefined : saved!.call(process, m));
    try {
      await expect(id.saveKeyFile(path.join(dir, 'x.json'), { insecurePlaintext: true })).rejects.toSatisfy(code('ERR_IO'));
      await expect(Identity.fromKeyFile(path.join(dir, 'x.json'))).rejects.toSatisfy(code('ERR_IO'));
      expect((await Identity.fromKeyFileJson(await id.toKeyFile({ insecurePlaintext: true }))).did).toBe(id.did);
    } finally {
      proc.getBuiltinModule = saved;
    }
  });
});
