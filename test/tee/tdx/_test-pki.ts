// A throwaway ECDSA P-256 PKI for tests (root → TCB-signing leaf), built with pkijs and WebCrypto,
// to re-sign Intel PCS collateral: the genuine TCB Signing chain is not in the vectors, so this
// shows the collateral signature path accepts a correct signature and refuses a changed document.
// The verifier trusts this root only when a test passes it as `trustedRoot`.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const subtle = globalThis.crypto.subtle;
const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

function name(cn: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({ typesAndValues: [new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) })] });
}

async function issue(subject: string, keys: CryptoKeyPair, issuer: string, issuerKey: CryptoKey, serial: number, ca: boolean): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: serial });
  cert.subject = name(subject);
  cert.issuer = name(issuer);
  cert.notBefore.value = new Date('2020-01-01T00:00:00Z');
  cert.notAfter.value = new Date('2040-01-01T00:00:00Z');
  cert.extensions = [new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: ca }).toSchema().toBER(false), parsedValue: new pkijs.BasicConstraints({ cA: ca }) })];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  await cert.sign(issuerKey, 'SHA-256');
  return cert;
}

function pem(cert: pkijs.Certificate): string {
  const b64 = Buffer.from(cert.toSchema().toBER(false)).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}

/** A test root and TCB-signing leaf; `signCollateral` re-signs an Intel PCS body with the leaf. */
export interface TestTcbPki {
  readonly rootPem: string;
  /** Leaf then root, as the TCB-Info-Issuer-Chain header carries them. */
  readonly chainPem: string;
  /** `{"<name>":<value>,"signature":"<hex>"}` with `value` (raw JSON text) signed by the leaf. */
  signCollateral(name: string, valueText: string): Promise<string>;
}

/** Makes a fresh test PKI (new keys every call). */
export async function makeTestTcbPki(): Promise<TestTcbPki> {
  const rootKeys = await subtle.generateKey(P256, true, ['sign', 'verify']);
  const leafKeys = await subtle.generateKey(P256, true, ['sign', 'verify']);
  const root = await issue('Test Root CA (not Intel)', rootKeys, 'Test Root CA (not Intel)', rootKeys.privateKey, 1, true);
  const leaf = await issue('Test TCB Signing (not Intel)', leafKeys, 'Test Root CA (not Intel)', rootKeys.privateKey, 2, false);
  return {
    rootPem: pem(root),
    chainPem: pem(leaf) + pem(root),
    async signCollateral(n: string, valueText: string): Promise<string> {
      const sig = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, leafKeys.privateKey, new TextEncoder().encode(valueText)));
      return `{"${n}":${valueText},"signature":"${Buffer.from(sig).toString('hex')}"}`;
    },
  };
}

/** The raw text of the signed value of an Intel PCS body `{"<name>":…,"signature":"…"}`. */
export function signedValueText(body: string, n: string): string {
  return body.slice(`{"${n}":`.length, body.lastIndexOf(',"signature":"'));
}
