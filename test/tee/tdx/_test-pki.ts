// The test TCB-signing PKI that re-signs Intel PCS collateral now lives in quorumkit/tee/testing
// (createTestTdxPki: root → TCB Signing, `signCollateral`); this helper only cuts the signed value's
// raw JSON text out of an Intel PCS body, so a test can re-sign it unchanged.

/** The raw text of the signed value of an Intel PCS body `{"<name>":…,"signature":"…"}`. */
export function signedValueText(body: string, n: string): string {
  return body.slice(`{"${n}":`.length, body.lastIndexOf(',"signature":"'));
}
