// The keys of an MPC service, kept in its data dir and created on first start: `identity.json` —
// its ML-DSA identity as a quorumkit key file (scrypt + AES-GCM with a password, else plaintext,
// file mode 0600) — and, for a custodian, `channel-key.json`, its ML-KEM-768 channel key (mode 0600).
// A restart finds the same keys, so the service keeps its did and its key card. Node-only.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base64Decode, base64Encode } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { parseStrict } from '../../core/parse-strict.js';
import { Identity } from '../../pq/identity.js';
import { generateKemKeyPair, ML_KEM_768_PUBLIC_KEY_BYTES, ML_KEM_768_SECRET_KEY_BYTES, type KemKeyPair } from '../channel/kem.js';

/** The identity in `dataDir`, created (with `name`) when absent. */
export async function loadServiceIdentity(dataDir: string, name: string, password?: string): Promise<Identity> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'identity.json');
  if (existsSync(path)) return Identity.fromKeyFile(path, password);
  const id = await Identity.create(name);
  await id.saveKeyFile(path, password === undefined ? { insecurePlaintext: true } : { password });
  return id;
}

/** The channel key in `dataDir`, created when absent. */
export async function loadChannelKey(dataDir: string): Promise<KemKeyPair> {
  const path = join(dataDir, 'channel-key.json');
  if (!existsSync(path)) {
    const kp = await generateKemKeyPair();
    writeFileSync(path, JSON.stringify({ kem: 'ML-KEM-768', publicKey: base64Encode(kp.publicKey), secretKey: base64Encode(kp.secretKey) }), { mode: 0o600, flag: 'wx' });
    return kp;
  }
  const v = parseStrict(readFileSync(path, 'utf8')) as { kem?: unknown; publicKey?: unknown; secretKey?: unknown };
  if (v?.kem !== 'ML-KEM-768' || typeof v.publicKey !== 'string' || typeof v.secretKey !== 'string') throw new InvalidArgumentError(`${path} is not an ML-KEM-768 channel key`);
  const kp = { publicKey: base64Decode(v.publicKey), secretKey: base64Decode(v.secretKey) };
  if (kp.publicKey.length !== ML_KEM_768_PUBLIC_KEY_BYTES || kp.secretKey.length !== ML_KEM_768_SECRET_KEY_BYTES) throw new InvalidArgumentError(`${path} holds keys of the wrong size`);
  return kp;
}
