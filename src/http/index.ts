// quorumkit/http — the service toolkit: Hono app factory, signed requests, schemas, client, serving.
export { createServiceApp, readBodyBytes, readJsonBody, requestPath, requireSignedRequest, stderrLog, DEFAULT_MAX_BODY_BYTES } from './app.js';
export type { LogSink, ServiceAppOptions, ServiceEnv } from './app.js';
export { errorResponse, type HttpErrorBody } from './errors.js';
export { compileSchema, type Validator } from './schema.js';
export { ENVELOPE_SCHEMA, EMPTY_SCHEMA } from './envelope-schema.js';
export { NonceCache, type NonceRefusal, type NonceReservation, type ReplayGuard } from './replay-guard.js';
export { KeyedMutex, MutexQueueFullError, type KeyedMutexOptions } from './keyed-mutex.js';
export {
  DEFAULT_MAX_SKEW_MS,
  MAX_AUDIENCE_LENGTH,
  REQUEST_PAYLOAD_TYPE,
  REQUEST_SET_PAYLOAD_TYPE,
  MAX_REQUEST_SET,
  SIGNED_REQUEST_HEADERS,
  signRequest,
  signRequests,
  verifySignedRequest,
  acceptSignedRequest,
  type ReceivedRequest,
  type RequestToSign,
  type VerifyRequestOptions,
} from './signed-request.js';
export { callService, fetchTransport, ServiceCallError, type CallOptions, type HttpTransport } from './client.js';
export { nodeTransport, type NodeTransportOptions } from './node-transport.js';
export { serveApp, type RunningServer, type ServeOptions } from './serve.js';
export { mountLogRoutes, MAX_AUDIT_LIMIT, type AuditReader } from './log-routes.js';
