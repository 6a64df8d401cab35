// quorumkit/mpc/client — browser-safe: install MPC programs with secret parameters and evaluate
// them with inputs the client shares itself (no node:* imports; in the browser bundle).
export { MpcClient, type MpcClientOptions, type ClientCustodian, type InstallOptions, type InstallResult, type RotateOptions } from './client.js';
export { authorizeMembers, verifyMembership, requireMember, MEMBERSHIP_PAYLOAD_TYPE, DEFAULT_MEMBERSHIP_TTL_S, MAX_MEMBERSHIP_TTL_S, MAX_MEMBERSHIP_MEMBERS, type AuthorizedMember } from '../membership.js';
export { shareAt } from './share.js';
export { seal, openSealed, SealOpenError, MAX_SEALED_BYTES, type SealedBox } from '../channel/seal.js';
export { generateKemKeyPair, type KemKeyPair } from '../channel/kem.js';
export { signKeyCard, verifyKeyCard, KEY_CARD_PAYLOAD_TYPE, type KeyCard } from '../channel/key-card.js';
export { boxAad, type BoxPurpose } from '../channel/aad.js';
export { chainEntry, verifyChain, GENESIS_HASH, type AuditChainEntry } from '../audit-chain.js';
export * from '../compiler.js';
export * from '../errors.js';
export { parseElement, elementText, encodePacked, decodePacked, MAX_WIRE_ELEMENTS } from '../wire.js';
