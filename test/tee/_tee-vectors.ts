// Reading TEE vector files (../shared/data/tee through QUORUMKIT_VECTORS; see test/_vectors.ts) as bytes.
import { readFileSync } from 'node:fs';
import { vectorPath } from '../_vectors.js';

/** The bytes of a vector file, e.g. `tee/go-sev-guest/attestation.bin`. */
export function readVectorBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(vectorPath(rel)));
}
