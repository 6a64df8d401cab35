// The SEV-SNP certificate table: what SNP_GET_EXT_REPORT returns beside the report and what
// configfs-tsm's `auxblob` holds for SNP (AMD SEV-SNP GHCB specification, §4.1.8.1 "SNP Extended
// Guest Request", "certificate table"): entries { guid[16], offset u32 LE, length u32 LE } from
// the blob's start, ended by an all-zero entry; each offset/length names a DER certificate (or a
// CRL) inside the same blob. GUIDs are stored in RFC 4122 byte order (as their text reads).
// Browser-safe.

import { toHex } from '../core/bytes.js';
import { InvalidArgumentError } from '../core/errors.js';

/** Table entry size, bytes. */
const ENTRY_BYTES = 24;
/** Most entries one table may hold (the kernel's buffer is a few pages; AMD defines five GUIDs). */
export const MAX_CERT_TABLE_ENTRIES = 64;

/** The GUIDs AMD defines, by name. */
export const SNP_CERT_GUIDS = {
  ark: 'c0b406a4-a803-4952-9743-3fb6014cd0ae',
  ask: '4ab7b379-bbac-4fe4-a02f-05aef327c782',
  vcek: '63da758d-e664-4564-adc5-f4b93be8accd',
  vlek: 'a8074bc2-a25a-483e-aae6-39c045a0b8a1',
  crl: '92f81bc3-5811-4d3d-97ff-d19f88dc67ea',
} as const;

/** One entry: its GUID (text), the known name ('' for another GUID), and its bytes (a copy). */
export interface CertTableEntry {
  readonly guid: string;
  readonly name: keyof typeof SNP_CERT_GUIDS | '';
  readonly bytes: Uint8Array;
}

const NAMES = new Map<string, keyof typeof SNP_CERT_GUIDS>(Object.entries(SNP_CERT_GUIDS).map(([k, v]) => [v, k as keyof typeof SNP_CERT_GUIDS]));

function guidText(b: Uint8Array): string {
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function guidBytes(text: string): Uint8Array {
  const hex = text.replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new InvalidArgumentError(`"guid" expected a UUID, got ${JSON.stringify(text)}`);
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

/**
 * The entries of a certificate table blob.
 * @throws InvalidArgumentError for a table without its terminator, an entry outside the blob or
 *   overlapping the table, or more than MAX_CERT_TABLE_ENTRIES entries.
 */
export function parseCertTable(blob: Uint8Array): CertTableEntry[] {
  if (!(blob instanceof Uint8Array)) throw new InvalidArgumentError('certificate table expected bytes');
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const raw: { guid: string; offset: number; length: number }[] = [];
  let at = 0;
  for (;; at += ENTRY_BYTES) {
    if (at + ENTRY_BYTES > blob.length) throw new InvalidArgumentError('certificate table has no terminating entry');
    const guid = blob.subarray(at, at + 16);
    const offset = view.getUint32(at + 16, true);
    const length = view.getUint32(at + 20, true);
    if (guid.every((b) => b === 0)) {
      if (offset !== 0 || length !== 0) throw new InvalidArgumentError('certificate table terminator is not all zero');
      break;
    }
    if (raw.length === MAX_CERT_TABLE_ENTRIES) throw new InvalidArgumentError(`certificate table has more than ${MAX_CERT_TABLE_ENTRIES} entries`);
    raw.push({ guid: guidText(guid), offset, length });
  }
  const tableEnd = at + ENTRY_BYTES;
  return raw.map((e, i) => {
    if (e.length === 0 || e.offset < tableEnd || e.offset + e.length > blob.length) throw new InvalidArgumentError(`certificate table entry ${i} lies outside the blob's data`);
    return { guid: e.guid, name: NAMES.get(e.guid) ?? '', bytes: blob.slice(e.offset, e.offset + e.length) };
  });
}

/** A certificate table blob holding `entries` (by GUID text or AMD name), in order. */
export function buildCertTable(entries: readonly { guid: string; bytes: Uint8Array }[]): Uint8Array {
  if (entries.length > MAX_CERT_TABLE_ENTRIES) throw new InvalidArgumentError(`at most ${MAX_CERT_TABLE_ENTRIES} entries`);
  const head = (entries.length + 1) * ENTRY_BYTES;
  const total = head + entries.reduce((s, e) => s + e.bytes.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let data = head;
  entries.forEach((e, i) => {
    const g = e.guid in SNP_CERT_GUIDS ? SNP_CERT_GUIDS[e.guid as keyof typeof SNP_CERT_GUIDS] : e.guid;
    out.set(guidBytes(g), i * ENTRY_BYTES);
    view.setUint32(i * ENTRY_BYTES + 16, data, true);
    view.setUint32(i * ENTRY_BYTES + 20, e.bytes.length, true);
    out.set(e.bytes, data);
    data += e.bytes.length;
  });
  return out;
}
