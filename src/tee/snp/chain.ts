// AMD SEV-SNP certificate chain: VCEK ← ASK ← ARK, or VLEK ← ASVK ← ARK (AMD pub. 57230, and
// AMD's VLEK specification), every link RSASSA-PSS with SHA-384 except the leaf's own
// ECDSA P-384 key. Signatures are checked by pkijs through WebCrypto; the ARK must be one of the
// pinned roots (src/tee/snp/roots.ts) or a root the caller passes explicitly — an ARK found in a
// caller's bundle is never trusted for being there.

import * as pkijs from 'pkijs';
import { constantTimeEqual } from '../../core/bytes.js';
import { decodeSnpCertificates, issuerCommonName, type SnpCertificate } from './certs.js';
import type { SnpProduct, SnpRoot } from './roots.js';

/** One named check of a verification, with what it found. */
export interface SnpCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** A decoded trust anchor. */
export interface SnpTrustAnchor {
  readonly product: SnpProduct | string;
  readonly cert: SnpCertificate;
}

/** What the chain walk found: the checks, and the anchor and intermediate when they exist. */
export interface SnpChainResult {
  readonly checks: SnpCheck[];
  readonly root?: SnpTrustAnchor;
  readonly intermediate?: SnpCertificate;
}

const anchorCache = new WeakMap<readonly SnpRoot[], SnpTrustAnchor[]>();

/** Decodes trust roots once per array (the pinned array is frozen, so its decoding is cached). */
export function decodeTrustAnchors(roots: readonly SnpRoot[]): SnpTrustAnchor[] {
  const hit = anchorCache.get(roots);
  if (hit !== undefined) return hit;
  const out = roots.map((r) => ({ product: r.product, cert: decodeSnpCertificates(r.pem, `trusted root ${r.product}`)[0]! }));
  anchorCache.set(roots, out);
  return out;
}

const RSASSA_PSS = '1.2.840.113549.1.1.10';
const SHA384 = '2.16.840.1.101.3.4.2.2';
const MGF1 = '1.2.840.113549.1.1.8';

// The RSA-PSS/SHA-384 WebCrypto key of a certificate, imported once per decoded certificate (CA
// certificates are decoded once per distinct DER, trust anchors once per roots array).
const pssKeys = new WeakMap<SnpCertificate, Promise<CryptoKey | null>>();

function pssKey(c: SnpCertificate): Promise<CryptoKey | null> {
  let k = pssKeys.get(c);
  if (k === undefined) {
    const spki = new Uint8Array(c.cert.subjectPublicKeyInfo.toSchema().toBER(false));
    k = globalThis.crypto.subtle.importKey('spki', spki, { name: 'RSA-PSS', hash: 'SHA-384' }, false, ['verify']).catch(() => null);
    pssKeys.set(c, k);
  }
  return k;
}

// AMD's chain signs with RSASSA-PSS, SHA-384, MGF1-SHA-384, 48-byte salt (AMD pub. 57230; RFC 4055
// §3.1 for the parameters): that case is verified with the parent's key imported once,
// over the TBSCertificate bytes as received; any other algorithm or parameters go through pkijs.
function amdPssSaltLength(child: SnpCertificate): number | undefined {
  const alg = child.cert.signatureAlgorithm;
  if (alg.algorithmId !== RSASSA_PSS || alg.algorithmParams === undefined) return undefined;
  const p = new pkijs.RSASSAPSSParams({ schema: alg.algorithmParams });
  const mgfHash = p.maskGenAlgorithm.algorithmParams === undefined ? undefined : new pkijs.AlgorithmIdentifier({ schema: p.maskGenAlgorithm.algorithmParams });
  const ok = p.hashAlgorithm.algorithmId === SHA384 && p.maskGenAlgorithm.algorithmId === MGF1 && mgfHash?.algorithmId === SHA384 && p.trailerField === 1;
  return ok ? p.saltLength : undefined;
}

async function signedBy(child: SnpCertificate, parent: SnpCertificate): Promise<boolean> {
  try {
    const saltLength = amdPssSaltLength(child);
    if (saltLength === undefined) return await child.cert.verify(parent.cert);
    const key = await pssKey(parent);
    if (key === null) return false;
    return await globalThis.crypto.subtle.verify({ name: 'RSA-PSS', saltLength }, key, new Uint8Array(child.cert.signatureValue.valueBlock.valueHexView), new Uint8Array(child.cert.tbsView));
  } catch {
    return false; // an unsupported or broken signature algorithm is a failed check, not a crash
  }
}

// A bundle certificate's signature by a trust anchor never changes either: the verified ASK/ASVK
// to ARK links, per pair of decoded certificates. The leaf's signature is checked on every call.
const caSignedBy = new WeakMap<SnpCertificate, WeakMap<SnpCertificate, Promise<boolean>>>();

function intermediateSignedBy(intermediate: SnpCertificate, anchor: SnpCertificate): Promise<boolean> {
  let byAnchor = caSignedBy.get(intermediate);
  if (byAnchor === undefined) caSignedBy.set(intermediate, (byAnchor = new WeakMap()));
  let p = byAnchor.get(anchor);
  if (p === undefined) byAnchor.set(anchor, (p = signedBy(intermediate, anchor)));
  return p;
}

// A trust anchor's self-signature never changes: checked once per decoded anchor.
const selfSigned = new WeakMap<SnpCertificate, Promise<boolean>>();

function anchorSelfSigned(c: SnpCertificate): Promise<boolean> {
  let p = selfSigned.get(c);
  if (p === undefined) {
    p = signedBy(c, c);
    selfSigned.set(c, p);
  }
  return p;
}

function validAt(c: SnpCertificate, now: Date): boolean {
  const t = now.getTime();
  return c.cert.notBefore.value.getTime() <= t && t <= c.cert.notAfter.value.getTime();
}

function range(c: SnpCertificate): string {
  return `${c.cert.notBefore.value.toISOString()} – ${c.cert.notAfter.value.toISOString()}`;
}

function sameCert(a: SnpCertificate, b: SnpCertificate): boolean {
  return constantTimeEqual(a.der, b.der);
}

/**
 * Walks leaf ← intermediate ← root. The intermediate is the first certificate of `bundle` (not a
 * trusted root) whose subject CN is the leaf's issuer CN and whose signature over the leaf holds;
 * the root is the first trusted anchor whose signature over that intermediate holds and whose own
 * self-signature holds. Every certificate on the path must be valid at `now`.
 * Never throws on bad evidence: each failure is a check with `ok: false`.
 */
export async function verifySnpChain(leaf: SnpCertificate, bundle: readonly SnpCertificate[], anchors: readonly SnpTrustAnchor[], now: Date): Promise<SnpChainResult> {
  const checks: SnpCheck[] = [];
  const wanted = issuerCommonName(leaf);
  const candidates = bundle.filter((c) => !anchors.some((a) => sameCert(a.cert, c)) && c.commonName === wanted);
  let intermediate: SnpCertificate | undefined;
  for (const c of candidates) {
    if (await signedBy(leaf, c)) {
      intermediate = c;
      break;
    }
  }
  checks.push({
    name: 'leaf signed by ASK/ASVK',
    ok: intermediate !== undefined,
    detail: intermediate !== undefined
      ? `${leaf.commonName} signed by ${intermediate.commonName}`
      : candidates.length === 0 ? `no certificate named ${JSON.stringify(wanted)} (the leaf's issuer) in the chain` : `no ${JSON.stringify(wanted)} in the chain signed the leaf`,
  });
  if (intermediate === undefined) return { checks };
  let root: SnpTrustAnchor | undefined;
  for (const a of anchors) {
    if (a.cert.commonName === issuerCommonName(intermediate) && (await intermediateSignedBy(intermediate, a.cert)) && (await anchorSelfSigned(a.cert))) {
      root = a;
      break;
    }
  }
  checks.push({
    name: 'ASK/ASVK signed by a trusted ARK',
    ok: root !== undefined,
    detail: root !== undefined
      ? `${intermediate.commonName} signed by pinned ${root.cert.commonName}`
      : `${intermediate.commonName} (issuer ${issuerCommonName(intermediate)}) is not signed by any trusted root (${anchors.map((a) => a.cert.commonName).join(', ')})`,
  });
  const path = root === undefined ? [leaf, intermediate] : [leaf, intermediate, root.cert];
  const expired = path.filter((c) => !validAt(c, now));
  checks.push({
    name: 'certificates valid at now',
    ok: expired.length === 0,
    detail: expired.length === 0
      ? `all ${path.length} valid at ${now.toISOString()}`
      : expired.map((c) => `${c.commonName} valid ${range(c)}, not at ${now.toISOString()}`).join('; '),
  });
  return root === undefined ? { checks, intermediate } : { checks, root, intermediate };
}
