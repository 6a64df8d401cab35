// The pure-JS Keccak engine (internal): @noble/hashes' FIPS 202 sponge, used where WebAssembly is
// unavailable and as the reference the WASM kernels are tested against.

import { Keccak } from '@noble/hashes/sha3.js';
import type { KeccakEngine, SpongeState } from './_engine.js';
import type { SpongeSpec } from './_spec.js';

const LEAF_PREFIX = new Uint8Array([0x00]);

class NobleState implements SpongeState {
  #k: Keccak;
  #padded = false;
  #dead = false;

  constructor(k: Keccak) {
    this.#k = k;
  }

  update(data: Uint8Array): void {
    this.#k.update(data);
  }

  pad(ds?: number): void {
    if (ds !== undefined) throw new RangeError('the noble engine pads with its fixed domain byte only');
    this.#padded = true;
  }

  squeeze(n: number): Uint8Array {
    // noble pads on the first xof() call; SHA3-d output is the first d bits of the same stream
    return this.#k.xof(n);
  }

  clone(): SpongeState {
    const c = new NobleState(this.#k.clone());
    c.#padded = this.#padded;
    return c;
  }

  destroy(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#k.destroy();
  }
}

function sponge(spec: SpongeSpec): Keccak {
  return new Keccak(spec.rate, spec.ds, spec.outLen, true);
}

/** @noble/hashes as a {@link KeccakEngine}. */
export const nobleEngine: KeccakEngine = {
  name: 'noble',
  hash(spec, msg, outLen) {
    return sponge(spec).update(msg).xof(outLen);
  },
  hashMany(spec, msgs, outLen) {
    return msgs.map((m) => sponge(spec).update(m).xof(outLen));
  },
  treeLeaves(data, chunkBytes, out, onBytes) {
    const spec = { name: 'SHA3-256', rate: 136, ds: 0x06, outLen: 32, xof: false };
    for (let off = 0, i = 0; off < data.length; off += chunkBytes, i++) {
      const chunk = data.subarray(off, Math.min(off + chunkBytes, data.length));
      out.set(sponge(spec).update(LEAF_PREFIX).update(chunk).xof(32), 32 * i);
      onBytes?.(chunk.length);
    }
  },
  createState(spec) {
    return new NobleState(sponge(spec));
  },
};
