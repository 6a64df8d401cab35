// Inputs of the `tee` and `attest verify` commands: evidence files (binary, or base64 text as some
// clouds hand quotes out), certificate files, the --now flag (RFC 3339), policy files
// (src/tee/policy-json.ts), the --collateral directory (Intel PCS v4 collateral under fixed names),
// --trust-root (a root instead of the pinned ones, for test PKIs),
// and a JSON-safe form of parsed evidence for --json. Every failure is exit 2 with one line.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { base64Decode, toHex } from '../../core/bytes.js';
import { parseRfc3339 } from '../../core/clock.js';
import { isQuorumkitError } from '../../core/errors.js';
import { parseTeePolicy, type TeePolicy } from '../../tee/policy-json.js';
import { decodeSnpCertificates } from '../../tee/snp/certs.js';
import type { SnpProduct, SnpRoot } from '../../tee/snp/roots.js';
import type { TdxCollateral } from '../../tee/tdx/verify.js';
import { badInput } from '../errors.js';
import { readJsonFile } from '../io.js';

/** What --trusted and a callers file accept as a did (`did:<method>:<id>`). */
export const DID_PATTERN = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]{1,512}$/;

/** Largest file these commands read (evidence, certificates, collateral). */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/** The bytes of a file of at most MAX_INPUT_FILE_BYTES, or exit 2. */
export function readBytesFile(path: string, what: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw badInput(`${what} is a directory: ${path}`);
    size = st.size;
  } catch (e) {
    if (!(e instanceof Error) || !('code' in e)) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw badInput(code === 'ENOENT' ? `${what} not found: ${path}` : `cannot read ${what} ${path}: ${code ?? 'error'}`);
  }
  if (size > MAX_INPUT_FILE_BYTES) throw badInput(`${what} ${path} is ${size} bytes, more than the ${MAX_INPUT_FILE_BYTES} accepted`);
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw badInput(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/** Evidence bytes: the file's bytes, or what they decode to when the file is base64 text. */
export function readEvidenceFile(path: string): Uint8Array {
  const bytes = readBytesFile(path, 'evidence file');
  if (bytes.length === 0) throw badInput(`evidence file ${path} is empty`);
  const text = new TextDecoder('latin1').decode(bytes);
  if (bytes.length >= 16 && BASE64_TEXT.test(text)) {
    try {
      return base64Decode(text.replace(/\s+/g, ''));
    } catch {
      return bytes; // not base64 after all: let detection say what it is not
    }
  }
  return bytes;
}

/** The --now flag as a Date (default: the current time), or exit 2. */
export function nowFlag(value: string | undefined): Date {
  if (value === undefined) return new Date();
  try {
    return parseRfc3339(value);
  } catch (e) {
    throw badInput(`--now: ${(e as Error).message}`);
  }
}

/** The roots a `--trust-root` file names, in the shape of VerifyEvidenceOptions / VerifyBoundOptions. */
export interface TrustRootOptions {
  readonly snpRoots?: readonly SnpRoot[];
  readonly tdxRoot?: string;
}

/**
 * `--trust-root PEM`: one self-signed root to trust *instead of* the pinned AMD / Intel ones (a test
 * PKI such as quorumkit/tee/testing's; genuine evidence never needs it). An AMD-style ARK (common
 * name naming Milan, Genoa or Turin) becomes the SEV-SNP root; any root becomes the TDX root.
 * Exit 2 for an unreadable file or one that holds no certificate.
 */
export function trustRootFlag(path: string | undefined): TrustRootOptions {
  if (path === undefined) return {};
  const text = new TextDecoder().decode(readBytesFile(path, 'trust root'));
  let cn: string;
  try {
    cn = decodeSnpCertificates(text, 'trust root')[0]!.commonName;
  } catch (e) {
    if (isQuorumkitError(e)) throw badInput(`--trust-root ${path}: ${e.message}`);
    throw e;
  }
  const product = /\b(Milan|Genoa|Turin)\b/.exec(cn)?.[1] as SnpProduct | undefined;
  return { ...(product === undefined ? {} : { snpRoots: [{ product, pem: text }] }), tdxRoot: text };
}

/** A policy file, or exit 2 naming the file and the bad field. */
export function readPolicyFile(path: string | undefined): TeePolicy {
  if (path === undefined) return {};
  const json = readJsonFile(path, 'policy file');
  try {
    return parseTeePolicy(json);
  } catch (e) {
    if (isQuorumkitError(e)) throw badInput(`policy file ${path}: ${e.message}`);
    throw e;
  }
}

/** The file names of a --collateral directory and the TdxCollateral fields they fill. */
export const COLLATERAL_FILES: Readonly<Record<string, keyof TdxCollateral>> = Object.freeze({
  'pck.crl': 'pckCrl', // DER CRL of the PCK Platform/Processor CA (Intel PCS /pckcrl)
  'root.crl': 'rootCrl', // DER CRL of the Intel SGX Root CA
  'tcb-info.json': 'tcbInfo', // Intel PCS v4 GET /tdx/certification/v4/tcb response body
  'qe-identity.json': 'qeIdentity', // Intel PCS v4 GET /tdx/certification/v4/qe/identity response body
  'tcb-signing-chain.pem': 'tcbSigningChain', // the TCB-Info-Issuer-Chain header: TCB Signing cert, then root
});

/** Reads a --collateral directory (see COLLATERAL_FILES); other files are refused, so a typo is not ignored. */
export function readCollateralDir(dir: string): TdxCollateral {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw badInput(code === 'ENOENT' ? `collateral directory not found: ${dir}` : `cannot read collateral directory ${dir}: ${code ?? 'error'}`);
  }
  const out: Record<string, Uint8Array | string> = {};
  for (const name of names) {
    const field = COLLATERAL_FILES[name];
    if (field === undefined) throw badInput(`collateral directory ${dir}: unexpected file ${JSON.stringify(name)} (expected ${Object.keys(COLLATERAL_FILES).join(', ')})`);
    const bytes = readBytesFile(join(dir, name), 'collateral file');
    out[field] = field === 'pckCrl' || field === 'rootCrl' ? bytes : new TextDecoder().decode(bytes);
  }
  if (Object.keys(out).length === 0) throw badInput(`collateral directory ${dir} holds none of ${Object.keys(COLLATERAL_FILES).join(', ')}`);
  return out as TdxCollateral;
}

/** Fields left out of --json output: signed byte ranges and certificate DER, which repeat the input. */
const OMITTED = new Set(['signed', 'signedBytes', 'raw', 'rawR', 'rawS', 'pckChain']);

/** `value` with bytes as hex and bigints as decimal strings, for JSON output. */
export function jsonSafe(value: unknown, depth = 0): unknown {
  if (depth > 8) return null;
  if (value instanceof Uint8Array) return toHex(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !OMITTED.has(k)).map(([k, v]) => [k, jsonSafe(v, depth + 1)]));
  }
  return value;
}
