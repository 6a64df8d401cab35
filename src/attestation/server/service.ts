// The attestation service (docs/new-service.md §3): issues ML-DSA-signed reports over the configured
// regions (files, a process's mappings) with the caller's nonce — bound to TEE evidence when an
// EvidenceSource is given (attestBound: SHA3-512 of the report body in SEV-SNP REPORT_DATA / TDX
// REPORTDATA) — and verifies reports (with evidence: verifyBoundReport). Every issued report and
// every verification is one record in the audit trail (RFC 6962 transparency log, signed
// checkpoints), staged in the store's outbox in the same transaction as the state change, so the
// answer is sent only once both are durable. Issuing hashes whole regions: issues run one at a time
// (a KeyedMutex on one key, its queue bounded). Node-only.

import { canonicalBytes, canonicalize } from '../../core/canonical-json.js';
import { toHex } from '../../core/bytes.js';
import { InvalidArgumentError, isQuorumkitError, NotFoundError } from '../../core/errors.js';
import { parseStrict } from '../../core/parse-strict.js';
import { sha3_256 } from '../../hash/index.js';
import type { AuditReader } from '../../http/log-routes.js';
import { KeyedMutex } from '../../http/keyed-mutex.js';
import type { ReplayGuard } from '../../http/replay-guard.js';
import type { AuditTrail } from '../../log/audit-trail.js';
import { openServiceFiles, type ServiceFiles } from '../../log/service-files.js';
import type { Identity } from '../../pq/identity.js';
import { parseTeePolicy } from '../../tee/policy-json.js';
import type { SnpRoot } from '../../tee/snp/roots.js';
import { Attester } from '../attester.js';
import { bindingDigest } from '../binding.js';
import { verifyBoundReport, type TeeEvidence } from '../bound.js';
import { createClaim, type AttestationClaim } from '../claim.js';
import { attestBound, type EvidenceSource } from '../evidence.js';
import { evidenceToJson, parseEvidence } from '../evidence-json.js';
import { createReport, parseReport, reportDigest, reportToJson, type AttestationReport } from '../report.js';
import { AttestationVerifier, type VerificationResult } from '../verifier.js';
import type { AttestConfig } from './config.js';
import { EvidenceUnavailableError, RegionUnavailableError } from './errors.js';
import { AttestStore } from './store.js';
import { nodeTdxEngine } from '../../tee/node/tdx-engine.js';

/** Options of {@link AttestService.open}. */
export interface AttestServiceOptions {
  /** The data dir (`attest.db`, `log.db`), or `:memory:`. */
  readonly dataDir: string;
  /** The service's ML-DSA identity: it signs reports and log checkpoints. */
  readonly identity: Identity;
  readonly config: AttestConfig;
  /** Where TEE evidence comes from (a guest device, configfs-tsm, a fake device); none: reports are not bound. */
  readonly evidenceSource?: EvidenceSource;
  /** Dids allowed to call the signed routes (default: any caller with a valid signature). */
  readonly callers?: ReadonlySet<string>;
  /** The service's clock (default: the system's). */
  readonly clock?: () => Date;
  /** Verification trusts these SEV-SNP roots / this TDX root instead of AMD's / Intel's (a test PKI; never by default). */
  readonly snpRoots?: readonly SnpRoot[];
  readonly tdxRoot?: Uint8Array | string;
}

/** `POST /v1/reports` input. */
export interface IssueRequest {
  /** The caller's freshness nonce, hex (8..64 bytes). */
  readonly nonce: string;
  readonly workload_id?: string;
}

/** An issued report and, when bound, its evidence (JSON form, evidence-json.ts). */
export interface IssuedReport {
  readonly report: AttestationReport;
  readonly evidence: unknown;
}

/** `POST /v1/verify` input: JSON values, checked here. */
export interface VerifyRequest {
  readonly report: unknown;
  readonly evidence?: unknown;
  readonly policy?: unknown;
}

/** What the service answers a verification with. */
export interface VerifyAnswer {
  readonly valid: boolean;
  readonly reasons: readonly string[];
  readonly verified_at: string;
  readonly report: VerificationResult;
  readonly evidence?: { readonly valid: boolean; readonly reasons: readonly string[] };
  readonly bound?: boolean;
}

/** Most issue requests waiting behind the one hashing. */
export const MAX_QUEUED_ISSUES = 32;
const MAX_LOGGED_REASONS = 16;

/** The attestation service (see the header). */
export class AttestService {
  readonly did: string;
  readonly replayGuard: ReplayGuard;
  readonly #o: AttestServiceOptions;
  readonly #files: ServiceFiles<AttestStore>;
  readonly #store: AttestStore;
  readonly #trail: AuditTrail;
  readonly #attester: Attester;
  readonly #issuing = new KeyedMutex({ maxQueuePerKey: MAX_QUEUED_ISSUES });
  readonly #clock: () => Date;

  private constructor(o: AttestServiceOptions, files: ServiceFiles<AttestStore>) {
    this.#o = o;
    this.#files = files;
    this.#store = files.store;
    this.#trail = files.trail;
    this.did = o.identity.did;
    this.replayGuard = files.store.replayGuard();
    this.#attester = new Attester(o.identity);
    this.#clock = o.clock ?? (() => new Date());
  }

  /**
   * Opens the data dir (locked to this process) and its store and trail.
   * @throws ConflictError when another process holds the data dir; whatever opening the files throws.
   */
  static async open(o: AttestServiceOptions): Promise<AttestService> {
    const files = await openServiceFiles(o.dataDir, { database: 'attest.db', openStore: (p) => AttestStore.open(p), origin: `quorumkit/attestation/${o.identity.did.slice(10, 26)}`, signer: o.identity });
    return new AttestService(o, files);
  }

  /** May `did` call the signed routes? */
  mayCall(did: string): boolean {
    return this.#o.callers === undefined || this.#o.callers.has(did);
  }

  /** What the service attests and how much it has done. */
  info(): { did: string; workload_id: string; evidence: string; regions: string[]; reports: number; verifications: number; log_size: number } {
    return { did: this.did, workload_id: this.#o.config.workloadId, evidence: this.#o.evidenceSource?.platform ?? 'none', regions: this.#o.config.sources.map((s) => s.label), ...this.#store.counts(), log_size: this.#trail.size };
  }

  async #claims(workloadId: string, nonce: string): Promise<AttestationClaim[]> {
    const claims: AttestationClaim[] = [];
    for (const s of this.#o.config.sources) {
      try {
        for (const region of await s.backend.listRegions(workloadId)) {
          const snapshot = await s.backend.snapshot(region);
          claims.push(createClaim({ region, snapshot, expectedHash: s.expected.get(region.region_id) ?? '', workloadId, platform: s.backend.platform, nonce }));
        }
      } catch (e) {
        if (isQuorumkitError(e) && !(e instanceof RegionUnavailableError)) throw new RegionUnavailableError(`${s.label}: ${e.message}`, { cause: e });
        throw e;
      }
    }
    return claims;
  }

  async #bind(report: AttestationReport): Promise<{ report: AttestationReport; evidence?: TeeEvidence }> {
    const source = this.#o.evidenceSource;
    if (source === undefined) return { report: await this.#attester.sign(report) };
    try {
      return await attestBound(this.#attester, report, source);
    } catch (e) {
      throw new EvidenceUnavailableError(`evidence source ${source.platform}: ${isQuorumkitError(e) ? e.message : 'failed'}`, { cause: e });
    }
  }

  /**
   * Issues a signed report over every configured region with the caller's nonce (bound to TEE
   * evidence when a source is configured), records it and appends it to the audit trail.
   * @throws RegionUnavailableError / EvidenceUnavailableError (503) when a region or the evidence
   *   cannot be read; MutexQueueFullError (429) when too many issues are queued.
   */
  issue(caller: string, req: IssueRequest): Promise<IssuedReport> {
    return this.#issuing.run('issue', async () => {
      const workloadId = req.workload_id ?? this.#o.config.workloadId;
      const now = this.#clock();
      const claims = await this.#claims(workloadId, req.nonce);
      const platform = this.#o.evidenceSource?.platform ?? 'unbound';
      const unsigned = createReport(claims, { attesterId: this.did, platform, now, ...(this.#o.config.ttlSeconds === undefined ? {} : { ttlSeconds: this.#o.config.ttlSeconds }) });
      const { report, evidence } = await this.#bind(unsigned);
      const evidenceJson = evidence === undefined ? null : canonicalize(evidenceToJson(evidence));
      const record = canonicalBytes({
        type: 'attestation.report.issued', report_id: report.report_id, caller, nonce: req.nonce, workload_id: workloadId,
        report_sha3_256: toHex(reportDigest(report)), binding_sha3_512: toHex(bindingDigest(report)), signer_did: report.signer_did,
        issued_at: report.issued_at, expires_at: report.expires_at,
        regions: claims.map((c) => ({ region_id: c.region.region_id, content_hash: c.snapshot.content_hash, expected_hash: c.expected_hash })),
        evidence: evidence === undefined ? null : { kind: evidence.kind, sha3_256: toHex(sha3_256(new TextEncoder().encode(evidenceJson!))) },
      });
      const reportJson = reportToJson(report);
      await this.#store.commit(() => this.#store.addReport({ reportId: report.report_id, issuedAt: report.issued_at, caller, nonce: req.nonce, reportJson, evidenceJson }), [record]);
      return { report, evidence: evidenceJson === null ? null : parseStrict(evidenceJson) };
    });
  }

  /**
   * Verifies a report (with evidence: the report, the evidence under the policy, the binding) at the
   * service's time, records the verdict and appends it to the audit trail. A report that does not
   * verify is a result (`valid: false`), not an error.
   * @throws AttestationError / InvalidEvidenceError / TeePolicyInvalidError (400) for a malformed
   *   report, evidence or policy — then nothing is recorded.
   */
  async verify(caller: string, req: VerifyRequest): Promise<VerifyAnswer> {
    const report = parseReport(req.report);
    const evidence = req.evidence === undefined || req.evidence === null ? undefined : parseEvidence(req.evidence);
    if (req.policy !== undefined && evidence === undefined) throw new InvalidArgumentError('"policy" applies to TEE evidence: send "evidence" with it');
    const policy = req.policy === undefined ? {} : parseTeePolicy(req.policy);
    const now = this.#clock();
    let answer: VerifyAnswer;
    if (evidence === undefined) {
      const r = await AttestationVerifier.verify(report, { now });
      answer = { valid: r.valid, reasons: r.error === null ? [] : [r.error], verified_at: now.toISOString(), report: r };
    } else {
      const r = await verifyBoundReport(report, evidence, {
        now, ...(policy.snp ? { snpPolicy: policy.snp } : {}), ...(policy.tdx ? { tdxPolicy: policy.tdx } : {}),
        ...(this.#o.snpRoots ? { snpRoots: this.#o.snpRoots } : {}), ...(this.#o.tdxRoot === undefined ? {} : { tdxRoot: this.#o.tdxRoot }),
        tdxEngine: nodeTdxEngine(), // Node-only service: the node:crypto engine, same verdicts
      });
      answer = { valid: r.valid, reasons: r.reasons, verified_at: now.toISOString(), report: r.report, evidence: r.evidence, bound: r.bound };
    }
    const record = canonicalBytes({
      type: 'attestation.verification', caller, report_id: report.report_id, signer_did: report.signer_did, report_sha3_256: toHex(reportDigest(report)),
      evidence: evidence === undefined ? null : { kind: evidence.kind, sha3_256: toHex(sha3_256(canonicalBytes(evidenceToJson(evidence)))) },
      policy: req.policy === undefined ? null : toHex(sha3_256(canonicalBytes(req.policy))),
      valid: answer.valid, reasons: answer.reasons.slice(0, MAX_LOGGED_REASONS).map((r) => r.slice(0, 512)), verified_at: answer.verified_at,
    });
    await this.#store.commit(() => this.#store.addVerification({ verifiedAt: answer.verified_at, caller, reportId: report.report_id, valid: answer.valid, resultJson: canonicalize(answer) }), [record]);
    return answer;
  }

  /**
   * An issued report and its evidence.
   * @throws NotFoundError (404) for an id this service did not issue.
   */
  report(reportId: string): IssuedReport {
    const r = this.#store.report(reportId);
    if (r === undefined) throw new NotFoundError(`no report ${JSON.stringify(reportId.slice(0, 80))} was issued here`);
    return { report: parseReport(parseStrict(r.reportJson)), evidence: r.evidenceJson === null ? null : parseStrict(r.evidenceJson) };
  }

  /** The newest issued reports' ids, newest first. */
  recentReports(limit: number): { report_id: string; issued_at: string }[] {
    return this.#store.recentReports(limit);
  }

  /** The audit trail (read-only). */
  auditLog(): AuditReader {
    return this.#trail;
  }

  /** Closes the store and the trail, then releases the data dir. */
  async close(): Promise<void> {
    await this.#files.close();
  }
}
