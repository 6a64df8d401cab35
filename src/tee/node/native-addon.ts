// The lazy loader of native/ (the guest-device N-API addon, native/README.md): found relative to
// the package root (native/build/Release/quorumkit_native.node), loaded on first use with
// createRequire, and checked against the struct sizes this side expects (Linux <linux/sev-guest.h>,
// tdx-guest.h; AMD SEV-SNP ABI spec Table 22; TDX TDREPORT_STRUCT) — an addon compiled against
// another ABI is refused. A missing, unloadable or switched-off (QUORUMKIT_NATIVE_ADDON=off) addon
// never breaks import: callers get TeeNativeUnavailableError, "native addon unavailable: <why>".
// Node-only.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStrict } from '../../core/parse-strict.js';
import { TeeNativeUnavailableError } from './errors.js';

/** The struct and payload sizes, bytes, the addon must have been compiled with. */
export const GUEST_ABI_SIZES = Object.freeze({
  snpReportReq: 96,
  snpReportResp: 4000,
  snpDerivedKeyReq: 32,
  snpDerivedKeyResp: 64,
  snpGuestRequestIoctl: 32,
  snpExtReportReq: 112,
  tdxReportReq: 1088,
  reportData: 64,
  snpReport: 0x4a0,
  snpDerivedKey: 32,
  tdxReport: 1024,
});

/** The error the addon rejects with (native/src/addon.c make_error). */
export interface NativeFailure extends Error {
  readonly code: 'ERR_TEE_NATIVE';
  readonly kind: 'DEVICE_ABSENT' | 'PERMISSION' | 'INVALID' | 'FIRMWARE' | 'VMM' | 'IO' | 'BUSY' | 'CERTS_TOO_LARGE' | 'MALFORMED' | 'OTHER';
  readonly op: string;
  readonly errno: number;
  readonly errnoName: string;
  readonly fwError: number;
  readonly vmmError: number;
  readonly status: number;
  readonly certsNeeded: number;
  readonly attempts: number;
}

/** The raw derived-key request the addon takes (MSG_KEY_REQ fields, snp_derived_key_req). */
export interface NativeDerivedKeyRequest {
  readonly rootKeySelect: number;
  readonly guestFieldSelect: bigint;
  readonly vmpl: number;
  readonly guestSvn: number;
  readonly tcbVersion: bigint;
}

/** What the addon exports (native/src/addon.c init). */
export interface NativeAddon {
  snpGetReport(path: string, reportData: Uint8Array, vmpl: number): Promise<Buffer>;
  snpGetExtReport(path: string, reportData: Uint8Array, vmpl: number): Promise<{ report: Buffer; certs: Buffer; attempts: number }>;
  snpGetDerivedKey(path: string, request: NativeDerivedKeyRequest): Promise<Buffer>;
  tdxGetReport0(path: string, reportData: Uint8Array): Promise<Buffer>;
  readonly sizes: Readonly<Record<keyof typeof GUEST_ABI_SIZES, number>>;
  readonly limits: { readonly certsInitialBytes: number; readonly certsMaxBytes: number; readonly certsMaxAttempts: number };
  readonly napiVersion: number;
}

/** Whether the addon can be used, and why not. */
export type NativeAddonStatus =
  | { readonly available: true; readonly path: string; readonly napiVersion: number }
  | { readonly available: false; readonly reason: string };

/** The addon's file under the package root. */
export const NATIVE_ADDON_RELATIVE_PATH = 'native/build/Release/quorumkit_native.node';
/** Most directories walked up from this module to find the package root (src/tee/node or dist/chunks). */
const MAX_ROOT_DEPTH = 8;

let cached: { addon: NativeAddon; path: string } | { reason: string } | undefined;

/** The directory of quorumkit's package.json above this module, or null. */
function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < MAX_ROOT_DEPTH; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const name = (parseStrict(readFileSync(pkg, 'utf8')) as { name?: unknown }).name;
        if (name === 'quorumkit') return dir;
      } catch {
        // not ours (or unreadable): keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/**
 * Loads the addon at `path` and checks its struct sizes (the loader's core; the package's own
 * addon is found by {@link nativeAddon}). Never throws: an unusable file is a reason.
 */
export function loadNativeAddonFrom(path: string): { addon: NativeAddon; path: string } | { reason: string } {
  if (!existsSync(path)) return { reason: `${NATIVE_ADDON_RELATIVE_PATH} is not built (npm ci runs native/build.mjs; it needs a C compiler, make and python3)` };
  let addon: NativeAddon;
  try {
    addon = createRequire(import.meta.url)(path) as NativeAddon;
  } catch (e) {
    return { reason: `${NATIVE_ADDON_RELATIVE_PATH} does not load: ${String((e as Error).message).split('\n')[0]}` };
  }
  for (const [k, v] of Object.entries(GUEST_ABI_SIZES)) {
    const got = (addon as Partial<NativeAddon> | null)?.sizes?.[k as keyof typeof GUEST_ABI_SIZES];
    if (got !== v) return { reason: `the addon was compiled with ${k} = ${String(got)} bytes, expected ${v}` };
  }
  return { addon, path };
}

function load(): { addon: NativeAddon; path: string } | { reason: string } {
  if (process.env.QUORUMKIT_NATIVE_ADDON === 'off') return { reason: 'switched off by QUORUMKIT_NATIVE_ADDON=off' };
  if (process.platform !== 'linux') return { reason: `the guest devices are Linux-only, this is ${process.platform}` };
  const root = packageRoot();
  if (root === null) return { reason: 'the quorumkit package root was not found' };
  return loadNativeAddonFrom(join(root, NATIVE_ADDON_RELATIVE_PATH));
}

/** Whether the addon is usable (loads it on first call; the answer is cached for the process). */
export function nativeAddonStatus(): NativeAddonStatus {
  cached ??= load();
  return 'reason' in cached ? { available: false, reason: cached.reason } : { available: true, path: cached.path, napiVersion: cached.addon.napiVersion };
}

/**
 * The loaded addon.
 * @throws TeeNativeUnavailableError ("native addon unavailable: <why>") when it is not built, does
 *   not load, has other struct sizes, or QUORUMKIT_NATIVE_ADDON=off.
 */
export function nativeAddon(): NativeAddon {
  cached ??= load();
  if ('reason' in cached) throw new TeeNativeUnavailableError(`native addon unavailable: ${cached.reason}`);
  return cached.addon;
}
