import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base64Decode, base64Encode } from '../../src/core/bytes.js';
import { isQuorumkitError, type QuorumkitErrorCode } from '../../src/core/errors.js';
import type { PqErrorCode } from '../../src/pq/errors.js';
import {
  decryptKeyFile, encryptKeyFile, MAX_SCRYPT_LOG_N, MAX_SCRYPT_P, MAX_SCRYPT_R, parseKeyFile, type KeyFile, type KeyMaterial,
} from '../../src/pq/key-file.js';
import { didFromPublicKey } from '../../src/pq/did.js';
import { getProvider } from '../../src/pq/registry.js';

const code = (c: QuorumkitErrorCode | PqErrorCode) => (e: unknown) => isQuorumkitError(e, c);
const PASSWORD = 'correct horse battery staple';
const FAST = { password: PASSWORD, scryptLogN: 15 } as const;

let alice: KeyMaterial;
let bob: KeyMaterial;
let sealed: KeyFile;
let plain: KeyFile;

const clone = (f: KeyFile): Record<string, any> => JSON.parse(JSON.stringify(f));

beforeAll(async () => {
  const a = await getProvider('noble').keygen(65, new Uint8Array(32).fill(1));
  const b = await getProvider('noble').keygen(65, new Uint8Array(32).fill(2));
  alice = { name: 'alice', level: 65, ...a };
  bob = { name: 'bob', level: 65, ...b };
  sealed = await encryptKeyFile(alice, FAST);
  plain = await encryptKeyFile(alice, { insecurePlaintext: true });
});

describe('key file format', () => {
  it('writes the documented shape', () => {
    expect(Object.keys(sealed).sort()).toEqual(['alg', 'did', 'encryption', 'name', 'publicKey', 'type', 'version']);
    expect(sealed).toMatchObject({ type: 'quorumkit-key', version: 1, name: 'alice', alg: 'ML-DSA-65', did: didFromPublicKey(alice.publicKey) });
    expect(sealed.encryption!.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 15, r: 8, p: 1 });
    expect(base64Decode(sealed.encryption!.kdf.salt).length).toBe(16);
    expect(sealed.encryption!.cipher.name).toBe('AES-256-GCM');
    expect(base64Decode(sealed.encryption!.cipher.iv).length).toBe(12);
    expect(base64Decode(sealed.encryption!.ciphertext).length).toBe(4032 + 16);
    expect(JSON.stringify(sealed)).not.toContain(base64Encode(alice.secretKey.subarray(1200, 1230))); // inside s1 (ρ is public)
    expect(plain.encryption).toBeNull();
    expect(plain.secretKey).toBe(base64Encode(alice.secretKey));
  });

  it('uses scrypt N = 2^17 by default (and it stays well under a second)', async () => {
    const t = performance.now();
    const f = await encryptKeyFile(alice, { password: PASSWORD });
    const ms = performance.now() - t;
    expect(f.encryption!.kdf.N).toBe(2 ** 17);
    expect((await decryptKeyFile(f, PASSWORD)).secretKey).toEqual(alice.secretKey);
    console.log(`[key-file] scrypt N=2^17 encrypt ${ms.toFixed(0)} ms`);
  });

  it('round-trips encrypted (object and JSON text) and plaintext files', async () => {
    for (const input of [sealed, JSON.stringify(sealed)]) {
      const m = await decryptKeyFile(input, PASSWORD);
      expect(m).toEqual(alice);
    }
    expect(await decryptKeyFile(JSON.stringify(plain))).toEqual(alice);
    expect(await decryptKeyFile(plain, 'ignored for plaintext files')).toEqual(alice);
  });

  it('fresh salt and iv every time', async () => {
    const again = await encryptKeyFile(alice, FAST);
    expect(again.encryption!.kdf.salt).not.toBe(sealed.encryption!.kdf.salt);
    expect(again.encryption!.cipher.iv).not.toBe(sealed.encryption!.cipher.iv);
  });

  it('refuses bad arguments when writing', async () => {
    await expect(encryptKeyFile(alice, { password: '' })).rejects.toThrow(RangeError);
    await expect(encryptKeyFile(alice, { password: PASSWORD, scryptLogN: 12 })).rejects.toThrow(RangeError);
    await expect(encryptKeyFile(alice, { insecurePlaintext: false } as unknown as { insecurePlaintext: true })).rejects.toThrow(TypeError);
    await expect(encryptKeyFile({ ...alice, name: '' }, FAST)).rejects.toThrow(RangeError);
    await expect(encryptKeyFile({ ...alice, name: 'x'.repeat(129) }, FAST)).rejects.toThrow(RangeError);
    await expect(encryptKeyFile({ ...alice, secretKey: alice.secretKey.subarray(1) }, FAST)).rejects.toSatisfy(code('ERR_KEY_INVALID'));
  });
});

describe('key file failures', () => {
  it('wrong or missing password -> ERR_KEY_PASSWORD, without echoing the password', async () => {
    const err = await decryptKeyFile(sealed, 'hunter2-wrong').catch((e: unknown) => e);
    expect(isQuorumkitError(err, 'ERR_KEY_PASSWORD')).toBe(true);
    expect((err as Error).message).toBe('key file decryption failed: wrong password or corrupted file');
    expect(String((err as Error).message)).not.toContain('hunter2');
    await expect(decryptKeyFile(sealed)).rejects.toSatisfy(code('ERR_KEY_PASSWORD'));
  });

  it('tampered ciphertext, iv, salt or any bound header field fails', async () => {
    const flip = (b64: string): string => {
      const b = base64Decode(b64);
      b[b.length >> 1]! ^= 1;
      return base64Encode(b);
    };
    const cases: [string, (f: Record<string, any>) => void, QuorumkitErrorCode | PqErrorCode][] = [
      ['ciphertext', (f) => { f.encryption.ciphertext = flip(f.encryption.ciphertext); }, 'ERR_KEY_PASSWORD'],
      ['iv', (f) => { f.encryption.cipher.iv = flip(f.encryption.cipher.iv); }, 'ERR_KEY_PASSWORD'],
      ['salt', (f) => { f.encryption.kdf.salt = flip(f.encryption.kdf.salt); }, 'ERR_KEY_PASSWORD'],
      ['name (bound as GCM additional data)', (f) => { f.name = 'mallory'; }, 'ERR_KEY_PASSWORD'],
      ['publicKey + did swapped for another key', (f) => { f.publicKey = base64Encode(bob.publicKey); f.did = didFromPublicKey(bob.publicKey); }, 'ERR_KEY_PASSWORD'],
      ['did alone', (f) => { f.did = didFromPublicKey(bob.publicKey); }, 'ERR_KEY_FILE'],
      ['alg', (f) => { f.alg = 'ML-DSA-44'; }, 'ERR_KEY_FILE'],
      ['alg unknown', (f) => { f.alg = 'ML-DSA-99'; }, 'ERR_UNKNOWN_ALG'],
      ['version', (f) => { f.version = 2; }, 'ERR_KEY_FILE'],
      ['extra member', (f) => { f.note = 'hi'; }, 'ERR_KEY_FILE'],
      ['secretKey beside encryption', (f) => { f.secretKey = plain.secretKey; }, 'ERR_KEY_FILE'],
      ['N not a power of two', (f) => { f.encryption.kdf.N = 3000; }, 'ERR_KEY_FILE'],
      ['N huge', (f) => { f.encryption.kdf.N = 2 ** 24; }, 'ERR_KEY_FILE'],
      ['non-canonical base64', (f) => { f.encryption.kdf.salt = f.encryption.kdf.salt.replace(/=+$/, ''); }, 'ERR_KEY_FILE'],
    ];
    for (const [what, mutate, want] of cases) {
      const f = clone(sealed);
      mutate(f);
      await expect(decryptKeyFile(f, PASSWORD), what).rejects.toSatisfy(code(want));
    }
  });

  it('a plaintext file whose secret key does not belong to its public key -> ERR_KEY_FILE', async () => {
    const swapped = { ...clone(plain), secretKey: base64Encode(bob.secretKey) };
    await expect(decryptKeyFile(swapped)).rejects.toSatisfy(code('ERR_KEY_FILE'));
    // Corrupt each checkable part of skEncode = ρ ‖ K ‖ tr ‖ s1 ‖ s2 ‖ t0 (FIPS 204 Algorithm 24).
    // K (bytes 32..63) only seeds the per-signature mask: any K yields valid signatures, so a
    // changed K is undetectable and harmless — it is not tested here. t0 (from byte 1536) is
    // caught through node:crypto's import check, which this suite has (Node 24).
    for (const at of [5, 100, 200, 700, 1500, 2000, 3000, 4031]) {
      const sk = alice.secretKey.slice();
      sk[at]! ^= 0x01;
      await expect(decryptKeyFile({ ...clone(plain), secretKey: base64Encode(sk) }), `byte ${at}`).rejects.toSatisfy(code('ERR_KEY_FILE'));
    }
  });

  it('garbage JSON text and values -> ERR_KEY_FILE / ERR_UNKNOWN_ALG only (property)', async () => {
    const typed = (e: unknown) => isQuorumkitError(e, 'ERR_KEY_FILE') || isQuorumkitError(e, 'ERR_UNKNOWN_ALG') || isQuorumkitError(e, 'ERR_KEY_PASSWORD');
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.anything()), async (g) => {
      await expect(decryptKeyFile(g, PASSWORD)).rejects.toSatisfy(typed);
    }), { numRuns: 300 });
  });

  it('a valid file with one member replaced by random JSON -> a typed error only (property)', async () => {
    const paths = [['type'], ['version'], ['name'], ['alg'], ['did'], ['publicKey'], ['encryption'], ['encryption', 'kdf'], ['encryption', 'kdf', 'name'], ['encryption', 'kdf', 'N'], ['encryption', 'kdf', 'r'], ['encryption', 'kdf', 'p'], ['encryption', 'kdf', 'salt'], ['encryption', 'cipher'], ['encryption', 'cipher', 'name'], ['encryption', 'cipher', 'iv'], ['encryption', 'ciphertext']];
    const typed = (e: unknown) => ['ERR_KEY_FILE', 'ERR_UNKNOWN_ALG', 'ERR_KEY_PASSWORD'].some((c) => isQuorumkitError(e, c));
    await fc.assert(fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue(), async (path, value) => {
      const f = clone(sealed);
      let o = f;
      for (const k of path.slice(0, -1)) o = o[k];
      const last = path[path.length - 1]!;
      if (JSON.stringify(o[last]) === JSON.stringify(value)) return;
      o[last] = value;
      await expect(decryptKeyFile(f, PASSWORD)).rejects.toSatisfy(typed);
    }), { numRuns: 150 });
  });

  it('parseKeyFile checks shape without decrypting', () => {
    expect(parseKeyFile(JSON.stringify(sealed))).toEqual(sealed);
    expect(() => parseKeyFile('{')).toThrow(expect.toSatisfy(code('ERR_KEY_FILE')));
    expect(() => parseKeyFile('x'.repeat((1 << 20) + 1))).toThrow(expect.toSatisfy(code('ERR_KEY_FILE')));
    const noSk = clone(plain);
    delete noSk.secretKey;
    expect(() => parseKeyFile(noSk)).toThrow(expect.toSatisfy(code('ERR_KEY_FILE')));
  });

  it('refuses scrypt parameters beyond N = 2^18, r = 8, p = 1 before any KDF work (a 5.5 KB file asking for ~55 s)', async () => {
    expect([MAX_SCRYPT_LOG_N, MAX_SCRYPT_R, MAX_SCRYPT_P]).toEqual([18, 8, 1]);
    const costly = clone(sealed);
    costly.encryption.kdf = { ...costly.encryption.kdf, N: 2 ** 21, p: 16 };
    const text = JSON.stringify(costly, null, 2);
    expect(text.length).toBeGreaterThan(5000);
    const t0 = performance.now();
    expect(() => parseKeyFile(text)).toThrow(expect.toSatisfy(code('ERR_KEY_FILE')));
    await expect(decryptKeyFile(text, PASSWORD)).rejects.toSatisfy(code('ERR_KEY_FILE'));
    expect(performance.now() - t0).toBeLessThan(250);
    for (const kdf of [{ N: 2 ** 19 }, { r: 9 }, { p: 2 }, { N: 2 ** 18, r: 16 }, { N: 2 ** 9 }]) {
      const f = clone(sealed);
      f.encryption.kdf = { ...f.encryption.kdf, ...kdf };
      expect(() => parseKeyFile(f), JSON.stringify(kdf)).toThrow(expect.toSatisfy(code('ERR_KEY_FILE')));
    }
    // The caps are what encryptKeyFile writes at most: its strongest setting still opens.
    const f = clone(sealed);
    f.encryption.kdf = { ...f.encryption.kdf, N: 2 ** MAX_SCRYPT_LOG_N, r: MAX_SCRYPT_R, p: MAX_SCRYPT_P };
    expect(parseKeyFile(f).encryption!.kdf.N).toBe(2 ** 18);
  });

  it('parses key-file text strictly: duplicate members and lone surrogates are ERR_KEY_FILE', () => {
    const text = JSON.stringify(sealed);
    expect(() => parseKeyFile(text.replace('{', '{"name":"mallory",'))).toThrow(expect.toSatisfy(code('ERR_KEY_FILE')));
    expect(() => parseKeyFile(text.replace(`"name":"alice"`, String.raw`"name":"al\ud800ice"`))).toThrow(expect.toSatisfy(code('ERR_KEY_FILE')));
    const e = (() => { try { parseKeyFile(text.replace('{', '{"name":"mallory",')); } catch (err) { return err as Error; } return undefined; })();
    expect(isQuorumkitError(e?.cause, 'ERR_JSON_DUPLICATE_KEY')).toBe(true);
  });
});
