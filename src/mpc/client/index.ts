// quorumkit/mpc/client — browser-safe: install MPC programs with secret parameters and evaluate
// them with inputs the client shares itself (no node:* imports; in the browser bundle).
export { MpcClient, type MpcClientOptions, type ClientCustodian, type InstallOptions, type InstallResult } from './client.js';
export { shareAt } from './share.js';
export { seal, openSealed, SealOpenError, MAX_SEALED_BYTES, type SealedBox } from '../channel/seal.js';
export { generateKemKeyPair, type KemKeyPair } from '../channel/kem.js';
export { signKeyCard, verifyKeyCard, KEY_CARD_PAYLOAD_TYPE, type KeyCard } from '../channel/key-card.js';
export { boxAad, type BoxPurpose } from '../channel/aad.js';
export { chainEntry, verifyChain, GENESIS_HASH, type AuditChainEntry } from '../audit-chain.js';
export * from '../compiler.js';
export * from '../errors.js';
export { parseElement, elementText, encodePacked, decodePacked, MAX_WIRE_ELEMENTS } from '../wire.js';
