// quorumkit/envelope — DSSE-style signed envelopes over RFC 8785 canonical JSON bodies.
export { pae } from './pae.js';
export { payloadTypeFor, parsePayloadType, normalizePayloadType } from './payload-type.js';
export { signEnvelope, addSignature, type SignEnvelopeOptions } from './sign.js';
export {
  verifyEnvelope,
  openEnvelope,
  type VerifyEnvelopeOptions,
  type EnvelopeVerification,
  type SignatureCheck,
} from './verify.js';
export { checkEnvelopeShape, MAX_SIGNATURES } from './shape.js';
export { EnvelopeMalformedError, EnvelopeInvalidError, type EnvelopeErrorCode } from './errors.js';
export type { Envelope, EnvelopeSignature, EnvelopeSigner } from './types.js';
