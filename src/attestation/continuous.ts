// The continuous attester (the seed's continuous.py): every interval, enumerate the workload's
// regions, snapshot each, and sign a fresh report with a fresh nonce and the pinned expected hashes.
// `runFor` bounds the loop in time (tests, demos); a deployment calls attestOnce from its own timer.
// With a TEE backend (tee-backend.ts) `attestBoundOnce` / `runForBound` also fetch hardware evidence
// carrying each report's binding digest. Browser-safe.

import { toHex } from '../core/bytes.js';
import type { Attester } from './attester.js';
import type { AttestationBackend } from './backend.js';
import { createClaim } from './claim.js';
import { BackendError } from './errors.js';
import { attestBound, type BoundReport } from './evidence.js';
import { createReport, DEFAULT_REPORT_TTL_S, type AttestationReport } from './report.js';
import { isTeeBackend } from './tee-backend.js';

function freshNonce(): string {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}

/** Periodic attestation of one workload. */
export class ContinuousAttester {
  readonly attester: Attester;
  readonly backend: AttestationBackend;
  readonly workloadId: string;
  /** region_id → expected SHA3-256 hex. */
  readonly expectedHashes: ReadonlyMap<string, string>;
  readonly ttlSeconds: number;

  constructor(o: { attester: Attester; backend: AttestationBackend; workloadId: string; expectedHashes?: Readonly<Record<string, string>> | ReadonlyMap<string, string>; ttlSeconds?: number }) {
    this.attester = o.attester;
    this.backend = o.backend;
    this.workloadId = o.workloadId;
    const e = o.expectedHashes ?? {};
    this.expectedHashes = e instanceof Map ? new Map(e) : new Map(Object.entries(e as Record<string, string>));
    this.ttlSeconds = o.ttlSeconds ?? DEFAULT_REPORT_TTL_S;
  }

  /** One signed report: every region snapshot, `nonce` (default 16 random bytes, hex). */
  async attestOnce(nonce: string = freshNonce()): Promise<AttestationReport> {
    return this.attester.sign(await this.#unsigned(nonce));
  }

  /**
   * One signed report and the TEE evidence carrying its binding digest (see evidence.ts).
   * @throws BackendError when the backend is not a TEE backend.
   */
  async attestBoundOnce(nonce: string = freshNonce()): Promise<BoundReport> {
    const b = this.backend;
    if (!isTeeBackend(b)) throw new BackendError(`backend ${b.name} has no TEE evidence source`);
    return attestBound(this.attester, await this.#unsigned(nonce), b.evidenceSource);
  }

  async #unsigned(nonce: string): Promise<AttestationReport> {
    const regions = await this.backend.listRegions(this.workloadId);
    const claims = [];
    for (const region of regions) {
      claims.push(createClaim({ region, snapshot: await this.backend.snapshot(region), expectedHash: this.expectedHashes.get(region.region_id) ?? '', workloadId: this.workloadId, platform: this.backend.platform, nonce }));
    }
    return createReport(claims, { attesterId: this.attester.identity.did, platform: this.backend.platform, ttlSeconds: this.ttlSeconds });
  }

  /**
   * Attests every `intervalSeconds` for `seconds`; returns the reports (each also passed to `onReport`).
   * @throws RangeError for a negative duration or a non-positive interval.
   */
  runFor(seconds: number, intervalSeconds = 1, onReport?: (r: AttestationReport) => void): Promise<AttestationReport[]> {
    return loop(seconds, intervalSeconds, () => this.attestOnce(), onReport);
  }

  /**
   * {@link runFor} with TEE evidence on every report ({@link attestBoundOnce}).
   * @throws RangeError as runFor; BackendError when the backend is not a TEE backend.
   */
  runForBound(seconds: number, intervalSeconds = 1, onReport?: (r: BoundReport) => void): Promise<BoundReport[]> {
    if (!isTeeBackend(this.backend)) return Promise.reject(new BackendError(`backend ${this.backend.name} has no TEE evidence source`));
    return loop(seconds, intervalSeconds, () => this.attestBoundOnce(), onReport);
  }
}

async function loop<T>(seconds: number, intervalSeconds: number, once: () => Promise<T>, onEach?: (r: T) => void): Promise<T[]> {
  if (!(seconds >= 0) || !(intervalSeconds > 0)) throw new RangeError('"seconds" expected ≥ 0 and "intervalSeconds" > 0');
  const out: T[] = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const r = await once();
    out.push(r);
    onEach?.(r);
    await new Promise((resolve) => setTimeout(resolve, intervalSeconds * 1000));
  }
  return out;
}
