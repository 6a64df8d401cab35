// quorumkit/tee TDX half: Intel TDX quote parsing and verification, TDREPORT parsing (browser-safe). Re-exports only.
export * from './errors.js';
export * from './quote.js';
export * from './pem.js';
export * from './collateral.js';
export * from './roots.js';
export * from './verify.js';
export type { PckTcb } from './_x509.js';
export * from './tdreport.js';
export type { TdxQuoteEngine, TdxLeafCertificate } from './engine.js';
export { WEBCRYPTO_TDX_ENGINE } from './engine-webcrypto.js';
