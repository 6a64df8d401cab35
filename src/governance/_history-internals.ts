// Internal: what an offline verifier needs from a RegistryHistory, held in a module-private WeakMap so
// no public API hands out mutable key bytes and `offline-verify.ts` needs no runtime import of the
// history class (no import cycle); and the one check of a signature against the key the registry
// holds for a member, used by the offline verifier and the node alike.

import { base64Decode } from '../core/bytes.js';
import type { EnvelopeSignature } from '../envelope/types.js';
import { verifySignature } from '../pq/ml-dsa.js';

/** One member of one registry version, with its decoded key (never exposed publicly). */
export interface MemberEntry {
  readonly did: string;
  readonly name: string;
  readonly weight: number;
  /** Base64 of the raw public key, exactly as recorded. */
  readonly publicKeyB64: string;
  readonly publicKey: Uint8Array;
  /** `ML-DSA-44 | ML-DSA-65 | ML-DSA-87`, from the key length. */
  readonly alg: string;
}

/** One registry version: O(1) lookups by did and its total weight. */
export interface VersionView {
  readonly version: number;
  readonly members: ReadonlyMap<string, MemberEntry>;
  readonly totalWeight: number;
}

/** What a history exposes to its verifier. */
export interface HistoryInternals {
  /** The view at `version`, or undefined when no such version exists. */
  at(version: number): VersionView | undefined;
  /** The current (latest) version number. */
  current(): number;
}

const INTERNALS = new WeakMap<object, HistoryInternals>();

/** Registers the internals of a history object. */
export function setHistoryInternals(history: object, internals: HistoryInternals): void {
  INTERNALS.set(history, internals);
}

/** The internals of a history object, or undefined when `history` is not a RegistryHistory. */
export function getHistoryInternals(history: unknown): HistoryInternals | undefined {
  return history !== null && typeof history === 'object' ? INTERNALS.get(history) : undefined;
}

/**
 * Why `entry` is not a valid signature over `message` by `member` with the key the registry holds
 * (wrong alg, another embedded key, a bad signature), or null when it is. Never throws.
 */
export async function memberSignatureError(entry: EnvelopeSignature, member: MemberEntry, message: Uint8Array): Promise<string | null> {
  if (entry.alg !== member.alg) return `alg ${JSON.stringify(entry.alg.slice(0, 20))} does not match the member's ${member.alg} key`;
  if (entry.publicKey !== undefined && entry.publicKey !== member.publicKeyB64) return 'embedded publicKey is not the key the registry holds';
  try {
    if (await verifySignature(member.alg, base64Decode(entry.sig), message, member.publicKey)) return null;
  } catch {
    // A malformed signature is a failed check, not a crash.
  }
  return 'signature verification failed';
}
