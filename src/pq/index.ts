// quorumkit/pq — ML-DSA (FIPS 204) providers, did:pqaid identities and key files. Re-exports only.

export {
  ProviderUnavailableError, UnknownAlgError, KeyInvalidError, KeyFileError, KeyPasswordError, SignatureInvalidError, type PqErrorCode,
} from './errors.js';
export type { MlDsaLevel, MlDsaAlg, ProviderName, ProviderSupports, MlDsaKeyPair, MlDsaContextOptions, MlDsaSignOptions } from './provider.js';
export type { SignatureProvider, MlDsaPreHashAlg, ProviderSignOptions, ProviderInternalOptions } from './signature-provider.js';
export {
  PUBLIC_KEY_BYTES, SECRET_KEY_BYTES, SIGNATURE_BYTES, SEED_BYTES, RND_BYTES, MU_BYTES, MAX_CONTEXT_BYTES, ML_DSA_LEVELS,
  algFromLevel, levelFromAlg,
} from './params.js';
export { mlDsa, listProviders, verifySignature, verifySignatureOffThread } from './ml-dsa.js';
export type { MlDsa, MlDsaOptions, ProviderChoice, ProviderInfo } from './ml-dsa.js';
export { PROVIDER_ORDER, getProvider } from './registry.js';
export { didFromPublicKey, isPqaidDid, PQAID_PREFIX } from './did.js';
export { Identity } from './identity.js';
export type { IdentityCreateOptions, IdentityLoadOptions, SaveKeyFileOptions } from './identity.js';
export {
  KEY_FILE_TYPE, KEY_FILE_VERSION, DEFAULT_SCRYPT_LOG_N, MAX_KEY_NAME_LENGTH, MAX_SCRYPT_LOG_N, MAX_SCRYPT_R, MAX_SCRYPT_P,
  encryptKeyFile, decryptKeyFile, parseKeyFile,
} from './key-file.js';
export type { KeyFile, KeyFileKdf, KeyFileCipher, KeyFileEncryption, KeyMaterial, KeyFileProtection } from './key-file.js';
