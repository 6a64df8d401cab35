// Fuzzing quorumkit/pq: key files (shape check, strict text parsing, authenticated decryption — a
// mutated encrypted file never opens, a mutated plaintext file opens only when the change is in
// the unverifiable K part of skEncode), the PKCS#8 / SPKI codecs of the node provider, and ML-DSA
// verification on every provider (random and mutated signatures, messages and keys: false, never
// a throw, never true for a forgery).
import { scryptAsync } from '@noble/hashes/scrypt.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../../src/core/bytes.js';
import { canonicalBytes } from '../../src/core/canonical-json.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import { didFromPublicKey, isPqaidDid } from '../../src/pq/did.js';
import { decryptKeyFile, encryptKeyFile, parseKeyFile, type KeyFile } from '../../src/pq/key-file.js';
import { levelFromAlg, mlDsa } from '../../src/pq/ml-dsa.js';
import { getProvider, PROVIDER_ORDER } from '../../src/pq/registry.js';
import { expandedFromPkcs8, pkcs8FromExpanded, pkcs8FromSeed, publicKeyFromSpki, spkiFromPublicKey } from '../../src/pq/providers/_pkcs8.js';
import type { MlDsaLevel, ProviderName } from '../../src/pq/provider.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, jsonText, jsonValue, mutateBytes, mutateString, mutateValue, randomBytes, sameBytes, sameJson, trickyString } from './_inputs.js';

const T = fuzzTimeout(2000, 10);
const PASSWORD = 'fuzz password';
const MSG = new TextEncoder().encode('quorumkit fuzz message');

let keys: { publicKey: Uint8Array; secretKey: Uint8Array };
let plain: KeyFile;
let sealed: KeyFile; // scrypt N = 2^10 (the smallest a key file may ask for), built here so decryption is cheap
let sealedText: string;
let sig: Uint8Array;
const available: ProviderName[] = [];

/** Seals `keys` like encryptKeyFile does, with a cheap scrypt cost (encryptKeyFile writes 2^15..2^18). */
async function sealCheaply(name: string, publicKey: Uint8Array, secretKey: Uint8Array): Promise<KeyFile> {
  const head = { type: 'quorumkit-key', version: 1, name, alg: 'ML-DSA-44', did: didFromPublicKey(publicKey), publicKey: base64Encode(publicKey) } as const;
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const raw = await scryptAsync(new TextEncoder().encode(PASSWORD), salt, { N: 1024, r: 8, p: 1, dkLen: 32 });
  const key = await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, ['encrypt']);
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: canonicalBytes(head) as Uint8Array<ArrayBuffer>, tagLength: 128 }, key, secretKey as Uint8Array<ArrayBuffer>);
  return { ...head, encryption: { kdf: { name: 'scrypt', N: 1024, r: 8, p: 1, salt: base64Encode(salt) }, cipher: { name: 'AES-256-GCM', iv: base64Encode(iv) }, ciphertext: base64Encode(new Uint8Array(ct)) } };
}

beforeAll(async () => {
  keys = await getProvider('noble').keygen(44, new Uint8Array(32).fill(5));
  plain = await encryptKeyFile({ name: 'fuzz', level: 44, ...keys }, { insecurePlaintext: true });
  sealed = await sealCheaply('fuzz', keys.publicKey, keys.secretKey);
  sealedText = JSON.stringify(sealed, null, 2);
  sig = await mlDsa(44).sign(MSG, keys.secretKey);
  for (const name of PROVIDER_ORDER) if (await getProvider(name).isAvailable()) available.push(name);
});

/** Bytes of skEncode that a consistency check cannot see: K (32..63) only seeds signing masks. */
function onlyKChanged(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && (i < 32 || i >= 64)) return false;
  return true;
}

describe('key files under fuzzing', () => {
  it('the unmutated files open (the properties below can fail)', async () => {
    expect((await decryptKeyFile(sealedText, PASSWORD)).secretKey).toEqual(keys.secretKey);
    expect((await decryptKeyFile(plain)).secretKey).toEqual(keys.secretKey);
  });

  it('parseKeyFile returns a file or ERR_KEY_FILE / ERR_UNKNOWN_ALG for any text or value', () => {
    const inputs = fc.oneof(jsonText, anyValue, jsonValue({ hostile: true }), mutateString(sealedText), mutateValue(sealed), mutateValue(plain));
    fuzzSync('parseKeyFile(any)', inputs, (v) => {
      try {
        parseKeyFile(v);
      } catch (e) {
        expect(isQuorumkitError(e, 'ERR_KEY_FILE') || isQuorumkitError(e, 'ERR_UNKNOWN_ALG'), String(e)).toBe(true);
        throw e;
      }
    });
  });

  it('a mutated encrypted file never opens (authenticated header and ciphertext), and fails typed', async () => {
    const inputs = fc.oneof(mutateValue(sealed), mutateString(sealedText));
    await fuzzAsync('decryptKeyFile(mutated encrypted file)', inputs, async (f, tally) => {
      if (typeof f !== 'string' && sameJson(f, sealed)) return void tally.note('unchanged');
      const m = await decryptKeyFile(f, PASSWORD);
      // Opening is only right when the mutation kept every byte that matters (e.g. whitespace).
      expect(sameJson(parseKeyFile(f), sealed), 'a changed key file opened').toBe(true);
      expect(m.secretKey).toEqual(keys.secretKey);
      tally.note('opened (layout-only change)');
    }, fuzzRuns(1000));
  }, T);

  it('a mutated plaintext file opens only when nothing checkable changed (K of skEncode), else fails typed', async () => {
    const sk = fc.oneof(mutateBytes(keys.secretKey).map((b) => ({ ...plain, secretKey: base64Encode(b) })), mutateValue(plain));
    await fuzzAsync('decryptKeyFile(mutated plaintext file)', sk, async (f, tally) => {
      if (sameJson(f, plain)) return void tally.note('unchanged');
      const m = await decryptKeyFile(f);
      expect(m.publicKey).toEqual(keys.publicKey);
      expect(onlyKChanged(m.secretKey, keys.secretKey), 'a secret key with a changed checkable part was accepted').toBe(true);
      tally.note('opened with only K changed (undetectable by design, README)');
    }, fuzzRuns(1000));
  }, T);

  it('a wrong or odd password never opens the file and fails typed', async () => {
    await fuzzAsync('decryptKeyFile(sealed, any password)', fc.oneof(trickyString, anyValue), async (pw, tally) => {
      if (pw === PASSWORD || (typeof pw === 'string' && pw.normalize('NFC') === PASSWORD)) return void tally.note('the password');
      await decryptKeyFile(sealed, pw as string);
      expect.unreachable('opened with a wrong password');
    }, fuzzRuns(500));
  }, T);
});

describe('PKCS#8 / SPKI codecs under fuzzing', () => {
  it('expandedFromPkcs8 / publicKeyFromSpki return bytes, a marker or null for any DER, never throwing', () => {
    const level = fc.constantFrom<MlDsaLevel>(44, 65, 87);
    const der = fc.oneof(randomBytes, mutateBytes(pkcs8FromExpanded(44, new Uint8Array(2560).fill(3))), mutateBytes(pkcs8FromSeed(44, new Uint8Array(32))), mutateBytes(spkiFromPublicKey(44, new Uint8Array(1312))));
    fuzzSync('expandedFromPkcs8 / publicKeyFromSpki(der)', fc.tuple(level, der), ([lv, d]) => {
      const sk = expandedFromPkcs8(lv, d);
      expect(sk === null || sk === 'seed-only' || sk.length === [2560, 4032, 4896][[44, 65, 87].indexOf(lv)]).toBe(true);
      const pk = publicKeyFromSpki(lv, d);
      expect(pk === null || pk.length === [1312, 1952, 2592][[44, 65, 87].indexOf(lv)]).toBe(true);
    });
  });
});

describe('ML-DSA verification under fuzzing', () => {
  it('every provider answers false (never throws, never true) for a mutated signature, message or key', async () => {
    const forged = fc.oneof(
      mutateBytes(sig).map((s) => ({ s, m: MSG, pk: keys.publicKey })),
      mutateBytes(MSG).map((m) => ({ s: sig, m, pk: keys.publicKey })),
      mutateBytes(keys.publicKey).filter((p) => p.length === 1312).map((pk) => ({ s: sig, m: MSG, pk })),
      fc.tuple(randomBytes, fc.uint8Array({ minLength: 2420, maxLength: 2420 })).map(([m, s]) => ({ s, m, pk: keys.publicKey })),
    );

    await fuzzAsync(`provider.verify(mutated) on ${available.join(', ')}`, fc.tuple(fc.constantFrom(...(available.length ? available : (['noble'] as ProviderName[]))), forged), async ([name, c], tally) => {
      const same = sameBytes(c.s, sig) && sameBytes(c.m, MSG) && sameBytes(c.pk, keys.publicKey);
      const ok = await getProvider(name).verify(44, c.s, c.m, c.pk);
      expect(ok).toBe(same);
      if (same) tally.note('unchanged');
    }, fuzzRuns(1500));
  }, T);

  it('mlDsa(...).verify gives a boolean or a typed error for any arguments', async () => {
    const args = fc.tuple(fc.oneof(fc.constant(sig), randomBytes, anyValue), fc.oneof(fc.constant(MSG), anyValue), fc.oneof(fc.constant(keys?.publicKey), randomBytes, anyValue), fc.oneof(fc.constant(undefined), fc.record({ context: fc.oneof(randomBytes, anyValue) }), anyValue));
    await fuzzAsync('mlDsa(44).verify(any)', args, async ([s, m, pk, opts]) => {
      expect(typeof (await mlDsa(44).verify(s as Uint8Array, m as Uint8Array, (pk ?? keys.publicKey) as Uint8Array, opts as never))).toBe('boolean');
    }, fuzzRuns(1000));
  }, T);

  it('mlDsa / getProvider / levelFromAlg refuse any bad level, provider or alg with a typed error', () => {
    fuzzSync('mlDsa(level, options) / getProvider / levelFromAlg(any)', fc.tuple(fc.oneof(fc.constantFrom(44, 65, 87), anyValue), fc.oneof(fc.record({ provider: fc.oneof(fc.constantFrom('auto', 'noble', 'node', 'liboqs'), anyValue) }), anyValue), fc.oneof(fc.constantFrom('ML-DSA-44', 'ml-dsa-44'), trickyString, anyValue)), ([level, options, alg]) => {
      mlDsa(level as MlDsaLevel, options as never);
      getProvider((options as { provider?: ProviderName } | null)?.provider ?? (alg as ProviderName));
      levelFromAlg(alg as string);
    });
  });

  it('isPqaidDid and didFromPublicKey answer for any value', () => {
    fuzzSync('isPqaidDid / didFromPublicKey(any)', fc.oneof(anyValue, randomBytes, fc.constant(didFromPublicKey(new Uint8Array(3))).chain(mutateString)), (v) => {
      expect(typeof isPqaidDid(v)).toBe('boolean');
      expect(isPqaidDid(didFromPublicKey(v as Uint8Array))).toBe(true);
    });
  });
});

it('the cheap test key file has the format encryptKeyFile writes (same fields, a real 44 key)', () => {
  expect(Object.keys(sealed).sort()).toEqual(Object.keys(plain).filter((k) => k !== 'secretKey').sort());
  expect(base64Decode(sealed.encryption!.ciphertext).length).toBe(2560 + 16);
});
