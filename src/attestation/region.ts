// Memory regions and their snapshots (the seed's region.py): a region is an addressable range the
// attester covers (guest-physical range of a VM, virtual range of a process, a weights object in a
// model server); a snapshot is the SHA3-256 (FIPS 202) of its exact bytes at a point in time, hex.
// Browser-safe.

import { toHex } from '../core/bytes.js';
import { sha3_256 } from '../hash/index.js';
import { pythonIsoformat } from './_time.js';
import { InvalidRegionError } from './errors.js';

/** Region protections the seed names. */
export type Protection = 'R' | 'RW' | 'RO' | 'RX';

/** An addressable region of memory (wire form: the seed's `MemoryRegion.to_dict()`). */
export interface MemoryRegion {
  readonly region_id: string;
  readonly description: string;
  /** Base address in the backend's address space (a safe integer). */
  readonly address: number;
  /** Bytes. */
  readonly size: number;
  readonly protection: Protection;
}

/**
 * A SHA3-256 fingerprint of a region's bytes (wire form: the seed's `RegionSnapshot.to_dict()`).
 * Beyond the seed, a large region may be fingerprinted by quorumkit/hash's chunked tree hash
 * (`hash_alg: 'sha3-256-tree'` with its `chunk_bytes`; hashed on the worker pool, re-hashed chunk
 * by chunk after writes): those two fields appear only then, so plain snapshots keep the seed's
 * canonical bytes. An expected hash must be computed the same way.
 */
export interface RegionSnapshot {
  readonly region_id: string;
  /** SHA3-256 of the exact bytes at `taken_at` (or their tree root), lower-case hex. */
  readonly content_hash: string;
  readonly size: number;
  /** Python `isoformat()` in UTC. */
  readonly taken_at: string;
  /** Absent: plain SHA3-256 (the seed's). */
  readonly hash_alg?: 'sha3-256-tree';
  /** With `hash_alg`: the tree's chunk size. */
  readonly chunk_bytes?: number;
}

const PROTECTIONS = new Set(['R', 'RW', 'RO', 'RX']);
/** Longest region id / description accepted. */
export const MAX_REGION_ID = 256;
export const MAX_DESCRIPTION = 4096;

/**
 * A checked MemoryRegion (protection default `RO`, as the seed's).
 * @throws InvalidRegionError for an empty or overlong id, a bad address or size, an unknown protection.
 * @example
 * const weights = memoryRegion({ region_id: 'model-weights-0', description: 'shard 0', address: 0x1000, size: 32 });
 */
export function memoryRegion(r: { region_id: string; description?: string; address: number; size: number; protection?: Protection }): MemoryRegion {
  if (typeof r?.region_id !== 'string' || r.region_id.length === 0 || r.region_id.length > MAX_REGION_ID) throw new InvalidRegionError(`"region_id" expected 1..${MAX_REGION_ID} characters`);
  const description = r.description ?? '';
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION) throw new InvalidRegionError(`"description" expected at most ${MAX_DESCRIPTION} characters`);
  if (!Number.isSafeInteger(r.address) || r.address < 0) throw new InvalidRegionError('"address" expected a non-negative safe integer');
  if (!Number.isSafeInteger(r.size) || r.size < 0) throw new InvalidRegionError('"size" expected a non-negative safe integer');
  const protection = r.protection ?? 'RO';
  if (!PROTECTIONS.has(protection)) throw new InvalidRegionError('"protection" expected R, RW, RO or RX');
  return { region_id: r.region_id, description, address: r.address, size: r.size, protection };
}

/** SHA3-256 of `data`, lower-case hex (the seed's `RegionSnapshot.hash_bytes`). */
export function hashBytes(data: Uint8Array): string {
  return toHex(sha3_256(data));
}

/**
 * A snapshot of `content` for region `regionId`, taken now (or at `at`).
 * @throws InvalidRegionError for an empty region id or content that is not bytes.
 */
export function snapshotOf(regionId: string, content: Uint8Array, at: Date = new Date()): RegionSnapshot {
  if (typeof regionId !== 'string' || regionId.length === 0 || regionId.length > MAX_REGION_ID) throw new InvalidRegionError(`"regionId" expected 1..${MAX_REGION_ID} characters`);
  if (!(content instanceof Uint8Array)) throw new InvalidRegionError('"content" expected a Uint8Array');
  return { region_id: regionId, content_hash: hashBytes(content), size: content.length, taken_at: pythonIsoformat(at) };
}
