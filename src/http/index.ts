// quorumkit/http — the service toolkit: Hono app factory, signed requests, schemas, client, serving.
export { createServiceApp, readBodyBytes, readJsonBody, requestPath, requireSignedRequest, stderrLog, DEFAULT_MAX_BODY_BYTES } from './app.js';
export type { LogSink, ServiceAppOptions, ServiceEnv } from './app.js';
export { errorResponse, type HttpErrorBody } from './errors.js';
export { compileSchema, type Validator } from './schema.js';
export {
  DEFAULT_MAX_SKEW_MS,
  NonceCache,
  type NonceRefusal,
  REQUEST_PAYLOAD_TYPE,
  SIGNED_REQUEST_HEADERS,
  signRequest,
  verifySignedRequest,
  type RequestToSign,
  type VerifyRequestOptions,
} from './signed-request.js';
export { callService, ServiceCallError, type CallOptions } from './client.js';
export { serveApp, type RunningServer, type ServeOptions } from './serve.js';
