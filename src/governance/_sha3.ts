// FIPS 202 SHA3-256 for governance hashes, from quorumkit/hash (WASM Keccak, noble fallback).
export { sha3_256 } from '../hash/index.js';
