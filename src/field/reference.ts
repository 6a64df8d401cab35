// quorumkit/field/reference — the same API as quorumkit/field on plain BigInt arithmetic: the
// specification the WASM kernels are tested against, and the fallback where WebAssembly is
// unavailable. Variable time (JS BigInt is not constant time): do not use it on secrets where
// timing is observable.

import { makeFieldApi } from './_api.js';
import { referenceEngine } from './_reference-engine.js';
import type { FieldApi } from './types.js';

/** The reference (pure BigInt) field API. */
export const referenceField: FieldApi = makeFieldApi(referenceEngine);

export { P, FIELD_ELEMENT_BYTES, MAX_SHARES } from './constants.js';
export { invEuclid } from './_reference-engine.js';
export type * from './types.js';

/** Scalar operations (BigInt). */
export const fp = referenceField.fp;
/** Batch operations over packed elements (BigInt). */
export const batch = referenceField.batch;
/** Splits a secret into n Shamir shares with threshold k (BigInt). */
export const split = referenceField.split;
/** Reconstructs a secret from shares (BigInt). */
export const reconstruct = referenceField.reconstruct;
/** Reconstructs a secret from packed abscissas and packed share values, returning it packed (BigInt). */
export const reconstructPacked = referenceField.reconstructPacked;
/** Lagrange coefficients for abscissas `xs` at `at` (default 0) (BigInt). */
export const lagrangeCoefficients = referenceField.lagrangeCoefficients;
/** Shares a batch of packed secrets (BigInt). */
export const splitMany = referenceField.splitMany;
/** Reconstructs a batch of packed secrets (BigInt). */
export const reconstructMany = referenceField.reconstructMany;
/** Evaluates the shared polynomial at x from shares (BigInt). */
export const interpolateAt = referenceField.interpolateAt;
/** Shares a byte secret (BigInt). */
export const splitBytes = referenceField.splitBytes;
/** Recombines a byte secret (BigInt). */
export const combineBytes = referenceField.combineBytes;
/** Allocates n zeroed elements (plain memory in the reference backend). */
export const allocElements = referenceField.allocElements;
