// The attestation service's regions config (strict JSON, read with parseStrict):
//   { "workload_id"?: "llm-7b",              default workload id of issued reports
//     "ttl_seconds"?: 300,                    report lifetime (1..MAX_REPORT_TTL_S)
//     "regions": [                            1..MAX_CONFIG_SOURCES sources
//       { "file": "/models/w.bin", "region_id"?: "w.bin", "expected_hash"?: hex64 },
//       { "pid": 1234, "path_pattern"?: "weights\\.bin$", "expected_hashes"?: { "<region_id>": hex64 } } ] }
// A file is one region (FileBackend); a pid is its selected mappings (ProcessMemoryBackend, procfs).
// Expected hashes are optional: a region without one is reported, not pinned (no drift check).
// Node-only (the backends read files and /proc).

import { basename } from 'node:path';
import { isPlainObject } from '../../core/assert.js';
import type { AttestationBackend } from '../backend.js';
import { FileBackend, ProcessMemoryBackend } from '../node/index.js';
import { MAX_REPORT_TTL_S } from '../report.js';
import { AttestConfigError } from './errors.js';

/** Most region sources one config names. */
export const MAX_CONFIG_SOURCES = 256;

/** One configured source of regions and the hashes pinned for them. */
export interface RegionSource {
  /** `file:<path>` or `pid:<n>`, for the service's description. */
  readonly label: string;
  readonly backend: AttestationBackend;
  /** region_id → expected SHA3-256 hex. */
  readonly expected: ReadonlyMap<string, string>;
  /** A file source's region id. */
  readonly regionId?: string;
}

/** A parsed config. */
export interface AttestConfig {
  readonly workloadId: string;
  readonly ttlSeconds?: number;
  readonly sources: readonly RegionSource[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const bad = (m: string): AttestConfigError => new AttestConfigError(`regions config: ${m}`);

function keys(o: Record<string, unknown>, what: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw bad(`${what} has an unknown field ${JSON.stringify(k.slice(0, 64))}`);
}

function text(v: unknown, what: string, max = 4096): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw bad(`${what} expected a non-empty string of at most ${max} characters`);
  return v;
}

function hash(v: unknown, what: string): string {
  if (typeof v !== 'string' || !HEX64.test(v)) throw bad(`${what} expected 64 lower-case hex digits`);
  return v;
}

function source(v: unknown, i: number): RegionSource {
  const at = `regions[${i}]`;
  if (!isPlainObject(v)) throw bad(`${at} expected an object`);
  if (('file' in v) === ('pid' in v)) throw bad(`${at} expected exactly one of "file" and "pid"`);
  if ('file' in v) {
    keys(v, at, ['file', 'region_id', 'expected_hash']);
    const path = text(v['file'], `${at}.file`);
    const id = v['region_id'] === undefined ? basename(path) : text(v['region_id'], `${at}.region_id`, 256);
    const expected = new Map(v['expected_hash'] === undefined ? [] : [[id, hash(v['expected_hash'], `${at}.expected_hash`)]]);
    return { label: `file:${path}`, backend: new FileBackend({ [id]: path }), expected, regionId: id };
  }
  keys(v, at, ['pid', 'path_pattern', 'expected_hashes']);
  const pid = v['pid'];
  if (!Number.isSafeInteger(pid) || (pid as number) < 1 || (pid as number) > 4_194_304) throw bad(`${at}.pid expected a process id (1..4194304)`);
  let pattern: RegExp | undefined;
  if (v['path_pattern'] !== undefined) {
    try {
      pattern = new RegExp(text(v['path_pattern'], `${at}.path_pattern`, 1024));
    } catch (e) {
      if (e instanceof AttestConfigError) throw e;
      throw bad(`${at}.path_pattern is not a regular expression`);
    }
  }
  const expected = new Map<string, string>();
  const e = v['expected_hashes'];
  if (e !== undefined) {
    if (!isPlainObject(e) || Object.keys(e).length > 4096) throw bad(`${at}.expected_hashes expected an object of at most 4096 region ids`);
    for (const [id, h] of Object.entries(e)) expected.set(text(id, `${at}.expected_hashes key`, 256), hash(h, `${at}.expected_hashes[${JSON.stringify(id.slice(0, 64))}]`));
  }
  return { label: `pid:${pid}`, backend: new ProcessMemoryBackend({ pid: pid as number, ...(pattern ? { pathPattern: pattern } : {}) }), expected };
}

/**
 * The config from its JSON value (see the header).
 * @throws AttestConfigError (`ERR_ATTEST_CONFIG`) naming the first bad field.
 */
export function parseAttestConfig(value: unknown): AttestConfig {
  if (!isPlainObject(value)) throw bad('expected an object');
  keys(value, 'the config', ['workload_id', 'ttl_seconds', 'regions']);
  const regions = value['regions'];
  if (!Array.isArray(regions) || regions.length === 0 || regions.length > MAX_CONFIG_SOURCES) throw bad(`"regions" expected an array of 1..${MAX_CONFIG_SOURCES} sources`);
  const ttl = value['ttl_seconds'];
  if (ttl !== undefined && (!Number.isSafeInteger(ttl) || (ttl as number) < 1 || (ttl as number) > MAX_REPORT_TTL_S)) throw bad(`"ttl_seconds" expected 1..${MAX_REPORT_TTL_S}`);
  const sources = regions.map(source);
  const labels = new Set(sources.map((s) => s.label));
  if (labels.size !== sources.length) throw bad('"regions" names a file or pid twice');
  const fileIds = sources.flatMap((s) => (s.regionId === undefined ? [] : [s.regionId]));
  if (new Set(fileIds).size !== fileIds.length) throw bad('two files have the same region id: give one a "region_id"');
  return {
    workloadId: value['workload_id'] === undefined ? 'default' : text(value['workload_id'], '"workload_id"', 256),
    ...(ttl === undefined ? {} : { ttlSeconds: ttl as number }),
    sources,
  };
}
