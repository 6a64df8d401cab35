// SHA3 / SHAKE on the WASM Keccak (README "hash"): one-shot, streaming, XOF and batch digests.
// Run: npm run example -- examples/hash-sha3.ts
import { hash } from 'node:crypto';
import { toHex, utf8Encode } from 'quorumkit/core';
import { createSha3_256, createShake256, sha3_256, sha3_256Many, shake128 } from 'quorumkit/hash';

const body = utf8Encode('{"action":"authorize","model":"medical-ai-v2"}');
const digest = sha3_256(body); // 32 bytes; WASM when available, @noble/hashes otherwise
const seed = shake128(body, { dkLen: 64 });

const h = createSha3_256(); // streaming: the state lives in WASM memory between calls
h.update(body.subarray(0, 10));
const fork = h.clone();
h.update(body.subarray(10));
console.log(toHex(h.digest()) === toHex(digest)); // true

const xof = createShake256();
xof.update(body);
const stream = [xof.xof(16), xof.xof(48)]; // read the output stream in pieces

const ids = sha3_256Many([body, body, utf8Encode('another body')]); // batched WASM calls
console.log(toHex(ids[0]!) === hash('sha3-256', body)); // true
console.log(seed.length === 64 && stream[1]!.length === 48 && fork.digest().length === 32); // true
