// TEE evidence through configfs-tsm (Linux ≥ 6.7, Documentation/ABI/testing/configfs-tsm-report):
// a report is requested by creating a directory under /sys/kernel/config/tsm/report, writing up to
// 64 bytes of user data to `inblob` (SEV-SNP REPORT_DATA, TDX REPORTDATA) — and, for SNP, the VMPL
// to `privlevel` — then reading `outblob` (the SNP report or the TDX quote), `auxblob` (SNP: the
// certificate table, cert-table.ts) and `provider` (`sev_guest`, `tdx_guest`). `generation` counts
// the writes to the directory: read before and after `outblob`, a difference means another writer
// changed the request meanwhile and the blob may answer someone else's data — refused. Plain file
// I/O through a small file-system interface, so tests run it against a fake kernel tree. Node-only.

import { mkdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '../../core/bytes.js';
import { ConflictError, InvalidArgumentError, IoError } from '../../core/errors.js';
import { parseCertTable, type CertTableEntry } from '../cert-table.js';

/** The kernel's default mount point of TSM reports. */
export const TSM_REPORT_ROOT = '/sys/kernel/config/tsm/report';

/** The file operations configfs-tsm needs (synchronous; the attributes are tiny). */
export interface TsmFs {
  exists(path: string): boolean;
  mkdir(path: string): void;
  rmdir(path: string): void;
  read(path: string): Uint8Array;
  write(path: string, data: Uint8Array): void;
}

/** node:fs. */
export const nodeTsmFs: TsmFs = {
  exists: (p) => { try { statSync(p); return true; } catch { return false; } },
  mkdir: (p) => mkdirSync(p),
  rmdir: (p) => rmdirSync(p),
  read: (p) => new Uint8Array(readFileSync(p)),
  write: (p, d) => writeFileSync(p, d),
};

/** What one request returned. */
export interface TsmReport {
  /** `sev_guest`, `tdx_guest`, … */
  readonly provider: string;
  /** The SNP attestation report or the TDX quote. */
  readonly outblob: Uint8Array;
  /** Auxiliary data (SNP: the certificate table), or null. */
  readonly auxblob: Uint8Array | null;
  /** SNP: the certificate table's entries (VCEK/VLEK, ASK, ARK…); empty otherwise. */
  readonly certificates: readonly CertTableEntry[];
  /** The directory's generation the blobs belong to. */
  readonly generation: number;
}

/** Options of {@link tsmReport}. */
export interface TsmReportOptions {
  /** Where TSM reports are (default /sys/kernel/config/tsm/report). */
  readonly root?: string;
  /** SNP: the VMPL to request the report at (0..3). */
  readonly privlevel?: number;
  readonly fs?: TsmFs;
}

function errno(e: unknown): string {
  return (e as { code?: string }).code ?? (e as Error).message;
}

function readText(fs: TsmFs, path: string): string {
  return new TextDecoder().decode(fs.read(path)).trim();
}

/**
 * Requests a report or quote carrying `reportData` (at most 64 bytes) through configfs-tsm.
 * @throws InvalidArgumentError for more than 64 bytes or a bad privlevel; IoError when configfs-tsm
 *   is not there (no TSM provider, kernel < 6.7, configfs not mounted) or the kernel refuses
 *   (errno in the message); ConflictError when another writer changed the request meanwhile.
 */
export function tsmReport(reportData: Uint8Array, o: TsmReportOptions = {}): TsmReport {
  if (!(reportData instanceof Uint8Array) || reportData.length > 64) throw new InvalidArgumentError('"reportData" expected at most 64 bytes');
  if (o.privlevel !== undefined && (!Number.isSafeInteger(o.privlevel) || o.privlevel < 0 || o.privlevel > 3)) throw new InvalidArgumentError('"privlevel" expected 0..3');
  const fs = o.fs ?? nodeTsmFs;
  const root = o.root ?? TSM_REPORT_ROOT;
  if (!fs.exists(root)) throw new IoError(`configfs-tsm is not available: ${root} does not exist (Linux ≥ 6.7 in a confidential VM with configfs mounted)`);
  const dir = join(root, `quorumkit-${toHex(globalThis.crypto.getRandomValues(new Uint8Array(8)))}`);
  try {
    fs.mkdir(dir);
  } catch (e) {
    throw new IoError(`cannot create a TSM report in ${root}: ${errno(e)}`);
  }
  try {
    const step = <T>(what: string, f: () => T): T => {
      try {
        return f();
      } catch (e) {
        throw new IoError(`configfs-tsm ${what}: ${errno(e)}`);
      }
    };
    if (o.privlevel !== undefined) step('privlevel', () => fs.write(join(dir, 'privlevel'), new TextEncoder().encode(String(o.privlevel))));
    step('inblob', () => fs.write(join(dir, 'inblob'), reportData));
    const before = Number(step('generation', () => readText(fs, join(dir, 'generation'))));
    const outblob = step('outblob', () => fs.read(join(dir, 'outblob')));
    const aux = fs.exists(join(dir, 'auxblob')) ? step('auxblob', () => fs.read(join(dir, 'auxblob'))) : new Uint8Array(0);
    const provider = step('provider', () => readText(fs, join(dir, 'provider')));
    const after = Number(step('generation', () => readText(fs, join(dir, 'generation'))));
    if (!Number.isSafeInteger(before) || before !== after) throw new ConflictError(`another writer changed the TSM report request (generation ${before} → ${after}): retry`);
    const auxblob = aux.length === 0 ? null : aux;
    const certificates = provider === 'sev_guest' && auxblob !== null ? parseCertTable(auxblob) : [];
    return { provider, outblob, auxblob, certificates, generation: after };
  } finally {
    try {
      fs.rmdir(dir);
    } catch {
      // configfs removes the report's attributes with the directory; nothing else to clean up
    }
  }
}
