// Sealed boxes (ML-KEM-768 + HKDF-SHA-256 + AES-256-GCM) and key cards: a box opens only with its
// key and its exact AAD; any altered byte, another key or another purpose fails closed with one
// message; key cards verify only when signed by the did they name (and a trusted one when pinned).
import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../src/core/bytes.js';
import { generateKemKeyPair, kem, ML_KEM_768_PUBLIC_KEY_BYTES } from '../../src/mpc/channel/kem.js';
import { openSealed, seal, SealOpenError } from '../../src/mpc/channel/seal.js';
import { signKeyCard, verifyKeyCard } from '../../src/mpc/channel/key-card.js';
import { boxAad } from '../../src/mpc/channel/aad.js';
import { Identity } from '../../src/pq/identity.js';

describe('sealed boxes', () => {
  it('derives the box key exactly as RFC 5869 HKDF-SHA-256 (a box built with WebCrypto HKDF opens, and the other way round)', async () => {
    const kp = await generateKemKeyPair();
    const aad = boxAad('eval-input', 'p1', 'did:pqaid:x', 'r1', '3');
    const msg = utf8Encode('shares');
    const subtle = globalThis.crypto.subtle;
    const webCryptoKey = async (ss: Uint8Array, ct: Uint8Array, usage: KeyUsage): Promise<CryptoKey> => subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: ct as Uint8Array<ArrayBuffer>, info: new Uint8Array([...utf8Encode('quorumkit/mpc/seal/v1'), 0, ...aad]) },
      await subtle.importKey('raw', ss as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveKey']), { name: 'AES-GCM', length: 256 }, false, [usage]);
    const { ciphertext: ct, sharedSecret } = (await kem()).encapsulate(kp.publicKey);
    const iv = new Uint8Array(12);
    const data = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad as Uint8Array<ArrayBuffer> }, await webCryptoKey(sharedSecret, ct, 'encrypt'), msg as Uint8Array<ArrayBuffer>));
    expect(await openSealed(kp.secretKey, new Uint8Array([...ct, ...iv, ...data]), aad)).toEqual(msg);
    const box = await seal(kp.publicKey, msg, aad);
    const ct2 = box.subarray(0, 1088);
    const ss2 = (await kem()).decapsulate(ct2, kp.secretKey);
    const plain = await subtle.decrypt({ name: 'AES-GCM', iv: box.subarray(1088, 1100) as Uint8Array<ArrayBuffer>, additionalData: aad as Uint8Array<ArrayBuffer> }, await webCryptoKey(ss2, ct2, 'decrypt'), box.subarray(1100) as Uint8Array<ArrayBuffer>);
    expect(new Uint8Array(plain)).toEqual(msg);
  });

  it('round-trips and binds the AAD', async () => {
    const kp = await generateKemKeyPair();
    expect(kp.publicKey.length).toBe(ML_KEM_768_PUBLIC_KEY_BYTES);
    const aad = boxAad('eval-input', 'p1', 'did:pqaid:x', 'r1', '3');
    const msg = globalThis.crypto.getRandomValues(new Uint8Array(4096));
    const box = await seal(kp.publicKey, msg, aad);
    expect(await openSealed(kp.secretKey, box, aad)).toEqual(msg);
    await expect(openSealed(kp.secretKey, box, boxAad('eval-input', 'p1', 'did:pqaid:x', 'r2', '3'))).rejects.toBeInstanceOf(SealOpenError);
    await expect(openSealed(kp.secretKey, box, boxAad('install-secrets', 'p1', 'did:pqaid:x'))).rejects.toBeInstanceOf(SealOpenError);
  });

  it('fails closed on another key, any flipped byte and truncation', async () => {
    const kp = await generateKemKeyPair();
    const other = await generateKemKeyPair();
    const aad = utf8Encode('a');
    const box = await seal(kp.publicKey, new Uint8Array([1, 2, 3]), aad);
    await expect(openSealed(other.secretKey, box, aad)).rejects.toThrow('sealed box could not be opened');
    for (const i of [0, 500, 1087, 1088, 1099, 1100, box.length - 1]) {
      const bad = box.slice();
      bad[i]! ^= 1;
      await expect(openSealed(kp.secretKey, bad, aad)).rejects.toBeInstanceOf(SealOpenError);
    }
    await expect(openSealed(kp.secretKey, box.subarray(0, 1100), aad)).rejects.toBeInstanceOf(SealOpenError);
    await expect(openSealed(kp.secretKey, new Uint8Array(0), aad)).rejects.toBeInstanceOf(SealOpenError);
  });

  it('refuses wrong key sizes and AAD parts holding U+0000', async () => {
    await expect(seal(new Uint8Array(10), new Uint8Array(1), new Uint8Array(0))).rejects.toThrow(RangeError);
    expect(() => boxAad('triples', 'p\u0000', 'd')).toThrow(RangeError);
  });
});

describe('key cards', () => {
  it('verifies a card signed by its custodian, and refuses an untrusted or forged one', async () => {
    const custodian = await Identity.create('c0');
    const mallory = await Identity.create('m');
    const { publicKey } = await generateKemKeyPair();
    const card = await signKeyCard(custodian, { index: 0, x: 1n, kemPublicKey: publicKey });
    const v = await verifyKeyCard(card, new Set([custodian.did]));
    expect(v).toMatchObject({ did: custodian.did, index: 0, x: 1n });
    expect(v.kemPublicKey).toEqual(publicKey);
    await expect(verifyKeyCard(card, new Set([mallory.did]))).rejects.toThrow('not a trusted custodian');
    const forged = await signKeyCard(mallory, { index: 0, x: 1n, kemPublicKey: publicKey });
    const relabelled = { ...forged, payload: card.payload };
    await expect(verifyKeyCard(relabelled)).rejects.toThrow('key card invalid');
    await expect(verifyKeyCard({ nope: 1 })).rejects.toThrow('key card invalid');
  });
});
