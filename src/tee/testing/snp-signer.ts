// A FAKE SEV-SNP guest device for tests, signing with a TEST PKI (snp-pki.ts) — what the AMD
// secure processor answers to the guest ioctls of the Linux sev-guest driver (include/uapi/linux/
// sev-guest.h): SNP_GET_REPORT (an ATTESTATION_REPORT, ABI spec Table 22, with the caller's
// REPORT_DATA and VMPL), SNP_GET_EXT_REPORT (the report plus the certificate table, GHCB spec
// §4.1.8.1), SNP_GET_DERIVED_KEY (ABI spec "MSG_KEY_REQ": ROOT_KEY_SELECT, GUEST_FIELD_SELECT, VMPL,
// GUEST_SVN, TCB_VERSION → 32 bytes). The derived key is a FAKE: HMAC-SHA-256 under a per-signer
// secret of the request and the guest fields it selects — deterministic, never a real firmware key.
// Browser-safe (WebCrypto).

import { assertBytes, assertInt, assertOptions, optionKeys } from '../../core/assert.js';
import { concatBytes, utf8Encode } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { buildCertTable } from '../cert-table.js';
import { decodeSnpTcb } from '../snp/report.js';
import type { TestSnpPki, TestSnpTcb } from './snp-pki.js';
import { encodeSnpTcb, signSnpReport, SNP_TEST_CPUID, writeSnpReport } from './snp-report-writer.js';

/** What the fake guest was launched with (every field optional; defaults in the TSDoc of each). */
export interface FakeSnpGuest {
  /** MEASUREMENT, 48 bytes (default: the ASCII text "quorumkit FAKE SNP guest" zero-padded to 48 bytes). */
  readonly measurement?: Uint8Array;
  /** GUEST_POLICY (default 0x30000: SMT allowed, bit 17 set, debug off). */
  readonly policy?: bigint;
  /** 32 bytes (default zeros). */
  readonly hostData?: Uint8Array;
  /** 16 bytes each (default zeros). */
  readonly familyId?: Uint8Array;
  readonly imageId?: Uint8Array;
  /** GUEST_SVN (default 1). */
  readonly guestSvn?: number;
  /** PLATFORM_INFO (default 0x1: SMT enabled). */
  readonly platformInfo?: bigint;
}

/** Options of {@link FakeSnpSigner}. */
export interface FakeSnpSignerOptions {
  /** Sign with the VCEK (default) or the PKI's VLEK (then the PKI needs `vlek`). */
  readonly signingKey?: 'vcek' | 'vlek';
  readonly guest?: FakeSnpGuest;
  /** The secret derived keys come from, 32 bytes (default: random per signer). */
  readonly secret?: Uint8Array;
}

/** An SNP_GET_DERIVED_KEY request (ABI spec, MSG_KEY_REQ). */
export interface SnpDerivedKeyRequest {
  /** ROOT_KEY_SELECT, bit 0 of the first word: 0 the VCEK, 1 the VMRK. */
  readonly rootKeySelect: 0 | 1;
  /** KEY_SEL, bits 2:1 (0 default, 1 VCEK, 2 VLEK); default 0. */
  readonly keySelect?: 0 | 1 | 2;
  /** GUEST_FIELD_SELECT: bit 0 policy, 1 image id, 2 family id, 3 measurement, 4 guest svn, 5 tcb version, 6 launch mit vector. */
  readonly guestFieldSelect: bigint;
  readonly vmpl: number;
  readonly guestSvn: number;
  readonly tcbVersion: bigint;
}

/** The size of MSG_KEY_REQ as the kernel passes it (struct snp_derived_key_req). */
export const SNP_KEY_REQ_BYTES = 32;
/** The size of a derived key. */
export const SNP_DERIVED_KEY_BYTES = 32;
const FIELD_SELECT_MASK = 0x7fn;

/**
 * Decodes a 32-byte MSG_KEY_REQ (struct snp_derived_key_req: u32 root_key_select, u32 reserved,
 * u64 guest_field_select, u32 vmpl, u32 guest_svn, u64 tcb_version; little-endian).
 * @throws RangeError when `bytes` is not 32 bytes; InvalidArgumentError (`ERR_INVALID_ARGUMENT`)
 *   for reserved bits set (the firmware's INVALID_PARAM).
 */
export function decodeSnpKeyRequest(bytes: Uint8Array): SnpDerivedKeyRequest {
  assertBytes('bytes', bytes, SNP_KEY_REQ_BYTES);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = dv.getUint32(0, true);
  if ((word & ~7) !== 0 || dv.getUint32(4, true) !== 0 || ((word >>> 1) & 3) === 3) throw new InvalidArgumentError('MSG_KEY_REQ has reserved bits set');
  return {
    rootKeySelect: (word & 1) as 0 | 1,
    keySelect: ((word >>> 1) & 3) as 0 | 1 | 2,
    guestFieldSelect: dv.getBigUint64(8, true),
    vmpl: dv.getUint32(16, true),
    guestSvn: dv.getUint32(20, true),
    tcbVersion: dv.getBigUint64(24, true),
  };
}

const OPTION_KEYS = optionKeys<FakeSnpSignerOptions>({ signingKey: true, guest: true, secret: true });
const GUEST_KEYS = optionKeys<FakeSnpGuest>({ measurement: true, policy: true, hostData: true, familyId: true, imageId: true, guestSvn: true, platformInfo: true });
const REQ_KEYS = optionKeys<SnpDerivedKeyRequest>({ rootKeySelect: true, keySelect: true, guestFieldSelect: true, vmpl: true, guestSvn: true, tcbVersion: true });

function u64le(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
}

function u32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}

function checkReportArgs(reportData: Uint8Array, vmpl: number): void {
  assertBytes('reportData', reportData, 64);
  assertInt('vmpl', vmpl, 0, 3);
}

/**
 * A FAKE SEV-SNP guest device signing with a TEST PKI (never AMD's): answers SNP_GET_REPORT,
 * SNP_GET_EXT_REPORT and SNP_GET_DERIVED_KEY as the firmware would, for tests and the demo.
 * Reports are v3 (Milan, Genoa) or v5 (Turin), with the PKI's CHIP_ID and TCB, debug off unless
 * the guest policy says otherwise; each call gets a fresh REPORT_ID.
 * @example
 * const signer = new FakeSnpSigner(await createTestSnpPki({ product: 'Milan' }));
 * const report = await signer.snpReport(reportData, 0);
 * await verifySnpReport(report, { vcek: signer.pki.vcekPem, chain: signer.pki.chainPem, now, trustedRoots: [signer.pki.root] });
 */
export class FakeSnpSigner {
  /** The TEST PKI whose VCEK (or VLEK) signs. */
  readonly pki: TestSnpPki;
  /** 'vcek' or 'vlek'. */
  readonly signingKey: 'vcek' | 'vlek';
  readonly #guest: Required<FakeSnpGuest>;
  readonly #secret: Uint8Array;
  #macKey: Promise<CryptoKey> | undefined;

  /**
   * @throws TypeError / RangeError for unknown option keys or wrong field sizes; RangeError when
   *   `signingKey` is 'vlek' and the PKI has no VLEK.
   */
  constructor(pki: TestSnpPki, options: FakeSnpSignerOptions = {}) {
    const o = assertOptions('options', options, OPTION_KEYS);
    if (pki === null || typeof pki !== 'object' || !(pki.chipId instanceof Uint8Array)) throw new TypeError('"pki" expected a TestSnpPki (createTestSnpPki)');
    this.pki = pki;
    this.signingKey = o.signingKey ?? 'vcek';
    if (this.signingKey !== 'vcek' && this.signingKey !== 'vlek') throw new RangeError('"options.signingKey" expected vcek or vlek');
    if (this.signingKey === 'vlek' && pki.vlek === undefined) throw new RangeError('"options.signingKey" is vlek but the PKI was made without one (createTestSnpPki({ vlek: true }))');
    const g = assertOptions('options.guest', o.guest, GUEST_KEYS);
    const bytes = (k: keyof FakeSnpGuest, n: number, d: Uint8Array): Uint8Array => {
      const v = g[k] ?? d;
      assertBytes(`options.guest.${k}`, v, n);
      return (v as Uint8Array).slice();
    };
    const defaultMeasurement = new Uint8Array(48);
    defaultMeasurement.set(utf8Encode('quorumkit FAKE SNP guest'));
    const measurement = bytes('measurement', 48, defaultMeasurement);
    const guestSvn = g.guestSvn ?? 1;
    assertInt('options.guest.guestSvn', guestSvn, 0, 0xffffffff);
    for (const k of ['policy', 'platformInfo'] as const) {
      const v = g[k];
      if (v !== undefined && (typeof v !== 'bigint' || v < 0n || v >= 1n << 64n)) throw new TypeError(`"options.guest.${k}" expected a 64-bit bigint`);
    }
    this.#guest = {
      measurement, guestSvn,
      policy: g.policy ?? 0x30000n,
      hostData: bytes('hostData', 32, new Uint8Array(32)),
      familyId: bytes('familyId', 16, new Uint8Array(16)),
      imageId: bytes('imageId', 16, new Uint8Array(16)),
      platformInfo: g.platformInfo ?? 1n,
    };
    const secret = o.secret ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
    assertBytes('options.secret', secret, 32);
    this.#secret = secret.slice();
  }

  /** The guest's MEASUREMENT (a copy). */
  get measurement(): Uint8Array {
    return this.#guest.measurement.slice();
  }

  /**
   * SNP_GET_REPORT: a signed 1184-byte report with `reportData` (64 bytes) and `vmpl` (0–3).
   * @throws TypeError / RangeError for a wrong size or VMPL.
   */
  async snpReport(reportData: Uint8Array, vmpl: number): Promise<Uint8Array> {
    checkReportArgs(reportData, vmpl);
    const pki = this.pki;
    const g = this.#guest;
    const tcb: TestSnpTcb = pki.tcb;
    const turin = pki.product === 'Turin';
    const unsigned = writeSnpReport({
      version: turin ? 5 : 3,
      guestSvn: g.guestSvn, policy: g.policy, familyId: g.familyId, imageId: g.imageId, vmpl,
      currentTcb: tcb, platformInfo: g.platformInfo, signingKey: this.signingKey === 'vcek' ? 0 : 1,
      reportData, measurement: g.measurement, hostData: g.hostData,
      idKeyDigest: new Uint8Array(48), authorKeyDigest: new Uint8Array(48),
      reportId: globalThis.crypto.getRandomValues(new Uint8Array(32)), reportIdMa: new Uint8Array(32).fill(0xff),
      reportedTcb: tcb, cpuid: SNP_TEST_CPUID[pki.product], chipId: pki.chipId, committedTcb: tcb,
      currentVersion: { major: 1, minor: 55, build: 4 }, launchTcb: tcb,
    });
    const key = this.signingKey === 'vcek' ? pki.vcekPrivateKey : pki.vlek!.privateKey;
    return signSnpReport(unsigned, key);
  }

  /**
   * SNP_GET_EXT_REPORT: the report and the certificate table (cert-table.ts) the host supplies —
   * VCEK, ASK, ARK (with a VLEK: VLEK, then the ASVK under the ASK GUID, ARK), DER.
   */
  async snpExtReport(reportData: Uint8Array, vmpl: number): Promise<{ report: Uint8Array; certs: Uint8Array }> {
    const report = await this.snpReport(reportData, vmpl);
    const p = this.pki;
    const certs = this.signingKey === 'vcek'
      ? buildCertTable([{ guid: 'vcek', bytes: p.vcekDer }, { guid: 'ask', bytes: p.askDer }, { guid: 'ark', bytes: p.arkDer }])
      : buildCertTable([{ guid: 'vlek', bytes: p.vlek!.vlekDer }, { guid: 'ask', bytes: p.vlek!.asvkDer }, { guid: 'ark', bytes: p.arkDer }]);
    return { report, certs };
  }

  /**
   * SNP_GET_DERIVED_KEY: a FAKE deterministic 32-byte key — HMAC-SHA-256(secret, label ‖ the
   * request ‖ the guest fields GUEST_FIELD_SELECT names). As the firmware does, it refuses reserved
   * field-select bits, a VMPL above 3, a GUEST_SVN above the guest's and a TCB_VERSION above the
   * current one (any component).
   * @throws TypeError / RangeError for wrong types; InvalidArgumentError (`ERR_INVALID_ARGUMENT`) for
   *   what the firmware refuses (INVALID_PARAM).
   */
  async snpDerivedKey(req: SnpDerivedKeyRequest): Promise<Uint8Array> {
    const r = assertOptions('req', req, REQ_KEYS);
    if (r.rootKeySelect !== 0 && r.rootKeySelect !== 1) throw new RangeError('"req.rootKeySelect" expected 0 or 1');
    const keySel = r.keySelect ?? 0;
    if (keySel !== 0 && keySel !== 1 && keySel !== 2) throw new RangeError('"req.keySelect" expected 0, 1 or 2');
    for (const k of ['guestFieldSelect', 'tcbVersion'] as const) {
      if (typeof r[k] !== 'bigint' || r[k] < 0n || r[k] >= 1n << 64n) throw new TypeError(`"req.${k}" expected a 64-bit bigint`);
    }
    assertInt('req.vmpl', r.vmpl, 0, 0xffffffff);
    assertInt('req.guestSvn', r.guestSvn, 0, 0xffffffff);
    if ((r.guestFieldSelect & ~FIELD_SELECT_MASK) !== 0n) throw new InvalidArgumentError('GUEST_FIELD_SELECT has reserved bits set');
    if (r.vmpl > 3) throw new InvalidArgumentError('VMPL above 3');
    if (keySel === 2 && this.pki.vlek === undefined) throw new InvalidArgumentError('KEY_SEL names the VLEK, and none is installed');
    if (r.guestSvn > this.#guest.guestSvn) throw new InvalidArgumentError("GUEST_SVN above the guest's");
    const turin = this.pki.product === 'Turin';
    const want = decodeSnpTcb(r.tcbVersion, turin);
    const have = this.pki.tcb;
    const comps = ['bootloader', 'tee', 'snp', 'microcode', ...(turin ? (['fmc'] as const) : [])] as const;
    if (comps.some((k) => (want[k] ?? 0) > (have[k] ?? 0)) || r.tcbVersion !== encodeSnpTcb(want as TestSnpTcb, turin)) {
      throw new InvalidArgumentError('TCB_VERSION above the current TCB');
    }
    const sel = (bit: number): boolean => ((r.guestFieldSelect >> BigInt(bit)) & 1n) === 1n;
    const g = this.#guest;
    const material = concatBytes(
      utf8Encode('quorumkit FAKE SNP derived key v1'),
      u32le(r.rootKeySelect | (keySel << 1)), u64le(r.guestFieldSelect), u32le(r.vmpl),
      sel(0) ? u64le(g.policy) : new Uint8Array(0),
      sel(1) ? g.imageId : new Uint8Array(0),
      sel(2) ? g.familyId : new Uint8Array(0),
      sel(3) ? g.measurement : new Uint8Array(0),
      sel(4) ? u32le(r.guestSvn) : new Uint8Array(0),
      sel(5) ? u64le(r.tcbVersion) : new Uint8Array(0),
      sel(6) ? u64le(0n) : new Uint8Array(0),
      this.pki.chipId,
    );
    this.#macKey ??= globalThis.crypto.subtle.importKey('raw', new Uint8Array(this.#secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', await this.#macKey, new Uint8Array(material)));
  }
}
