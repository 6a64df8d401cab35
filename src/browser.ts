// quorumkit browser/edge bundle (dist/browser/quorumkit.js): the verifier surface, no `node:*`
// module anywhere in its graph (build.mjs fails otherwise). Call `await init()` before using
// WASM-backed functions on a browser main thread.
// @oqs/liboqs-js stays an external import in this bundle (it loads its WASM through a computed
// dynamic import that esbuild cannot follow); provide it via an import map or your own bundler.

export * from './core/index.js';
export * from './wasm/index.js';
export * from './pq/index.js';
export * from './envelope/index.js';
export * from './log/verifier.js';
export * from './field/index.js';
export * from './governance/index.js';
export * from './hash/index.js';
export * from './mpc/client/index.js';
export * from './attestation/index.js';
export * from './tee/index.js';
export * from './authz/index.js';
