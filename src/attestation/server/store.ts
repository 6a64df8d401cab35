// The attestation service's store (docs/new-service.md §2): every report it issued (the signed
// report and its TEE evidence, canonical JSON, as sent) and every verification it ran (the verdict
// and its reasons). Writes are synchronous and run inside `commit()` with their audit records.
// Node-only.

import { DurableStore } from '../../store/durable-store.js';

const MIGRATIONS = [
  `CREATE TABLE reports (report_id TEXT PRIMARY KEY, issued_at TEXT NOT NULL, caller TEXT NOT NULL, nonce TEXT NOT NULL, report_json TEXT NOT NULL, evidence_json TEXT) STRICT;
   CREATE TABLE verifications (id INTEGER PRIMARY KEY AUTOINCREMENT, verified_at TEXT NOT NULL, caller TEXT NOT NULL, report_id TEXT NOT NULL, valid INTEGER NOT NULL, result_json TEXT NOT NULL) STRICT;`,
];

/** An issued report as stored. */
export interface StoredReport {
  readonly reportId: string;
  readonly reportJson: string;
  readonly evidenceJson: string | null;
}

/** The store (see the header). */
export class AttestStore extends DurableStore {
  /** Opens (creating or migrating) the store at `path` (`:memory:` for tests). */
  static open(path: string): AttestStore {
    return new AttestStore(DurableStore.openDatabase(path, { what: 'attestation store', migrations: MIGRATIONS }));
  }

  /** Records an issued report (write; run inside commit). */
  addReport(r: { reportId: string; issuedAt: string; caller: string; nonce: string; reportJson: string; evidenceJson: string | null }): void {
    this.statement('INSERT INTO reports (report_id, issued_at, caller, nonce, report_json, evidence_json) VALUES (?, ?, ?, ?, ?, ?)').run(r.reportId, r.issuedAt, r.caller, r.nonce, r.reportJson, r.evidenceJson);
  }

  /** Records a verification (write; run inside commit). */
  addVerification(v: { verifiedAt: string; caller: string; reportId: string; valid: boolean; resultJson: string }): void {
    this.statement('INSERT INTO verifications (verified_at, caller, report_id, valid, result_json) VALUES (?, ?, ?, ?, ?)').run(v.verifiedAt, v.caller, v.reportId, v.valid ? 1 : 0, v.resultJson);
  }

  /** An issued report, or undefined. */
  report(reportId: string): StoredReport | undefined {
    const row = this.statement('SELECT report_id, report_json, evidence_json FROM reports WHERE report_id = ?').get(reportId) as { report_id: string; report_json: string; evidence_json: string | null } | undefined;
    return row && { reportId: row.report_id, reportJson: row.report_json, evidenceJson: row.evidence_json };
  }

  /** The newest issued report ids, newest first. */
  recentReports(limit: number): { report_id: string; issued_at: string }[] {
    return (this.statement('SELECT report_id, issued_at FROM reports ORDER BY rowid DESC LIMIT ?').all(limit) as { report_id: string; issued_at: string }[]).map((r) => ({ report_id: r.report_id, issued_at: r.issued_at }));
  }

  /** How many reports were issued and verifications run. */
  counts(): { reports: number; verifications: number } {
    const n = (t: string): number => Number((this.statement(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n);
    return { reports: n('reports'), verifications: n('verifications') };
  }
}
