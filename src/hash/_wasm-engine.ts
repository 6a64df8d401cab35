// The WASM Keccak engine (internal): TS side of assembly/keccak*.ts on one quorumkit.wasm instance.
// Memory plan per instance, all above the module's static data:
// - pinned once (ScratchArena.pin, never wiped by scratch releases): a 208-byte one-shot state, the
//   800-byte 2-lane state, a 256-byte output buffer and a 16 KiB input buffer, so a short message
//   costs one copy in, one call, one copy out — no allocation;
// - streaming states live in pinned 208-byte slots (slabs of 64), recycled on digest/destroy or,
//   for a hasher that is dropped unfinished, by a FinalizationRegistry;
// - longer inputs are copied into ordinary scratch in slices of SLICE_BYTES (4 MiB), one kernel
//   call per slice, so scratch stays bounded whatever the message size.
// Every buffer that held message bytes or a sponge state is zeroed after use (the permutation is
// invertible, so a leftover state would reveal the last absorbed block); see _scratch.ts for what
// wiping cannot do.

import type { WasmInstance } from '../wasm/_instance.js';
import type { KeccakEngine, SpongeState } from './_engine.js';
import { SHA3_256, type SpongeSpec } from './_spec.js';

/** Input slice copied into scratch per kernel call. */
export const SLICE_BYTES = 4 * 1024 * 1024;
const SMALL_IN_BYTES = 16 * 1024;
const SMALL_OUT_BYTES = 256;
/** The pinned input buffer also holds a one-shot output right after the input. */
const SMALL_BUF_BYTES = SMALL_IN_BYTES + SMALL_OUT_BYTES;
const SLOTS_PER_SLAB = 64;
const LEAF_PREFIX = new Uint8Array([0x00]);

class Ctx {
  readonly inst: WasmInstance;
  readonly stateBytes: number;
  readonly st: number;
  readonly st2: number;
  readonly out: number;
  readonly small: number;
  readonly free: number[] = [];
  readonly registry: FinalizationRegistry<number>;
  #u8: Uint8Array;

  constructor(inst: WasmInstance) {
    this.inst = inst;
    const ex = inst.exports;
    this.stateBytes = ex.keccakStateBytes();
    const st2Bytes = ex.keccakX2StateBytes();
    const s = inst.scratch;
    this.st = s.pin(this.stateBytes);
    this.st2 = s.pin(st2Bytes);
    this.out = s.pin(SMALL_OUT_BYTES);
    this.small = s.pin(SMALL_BUF_BYTES);
    this.#u8 = new Uint8Array(ex.memory.buffer);
    this.registry = new FinalizationRegistry((slot) => this.freeSlot(slot));
  }

  /** A view of all of linear memory, refreshed after growth (growth detaches old views). */
  mem(): Uint8Array {
    const b = this.inst.exports.memory.buffer;
    if (this.#u8.buffer !== b) this.#u8 = new Uint8Array(b);
    return this.#u8;
  }

  allocSlot(): number {
    if (this.free.length === 0) {
      const base = this.inst.scratch.pin(this.stateBytes * SLOTS_PER_SLAB);
      for (let i = SLOTS_PER_SLAB - 1; i >= 0; i--) this.free.push(base + i * this.stateBytes);
    }
    return this.free.pop()!;
  }

  freeSlot(slot: number): void {
    this.mem().fill(0, slot, slot + this.stateBytes);
    this.free.push(slot);
  }

  /** Absorbs `data` into the state at `st`, through the small buffer or scratch slices. */
  absorb(st: number, data: Uint8Array): void {
    const ex = this.inst.exports;
    if (data.length <= SMALL_IN_BYTES) {
      const u8 = this.mem();
      u8.set(data, this.small);
      ex.keccakUpdate(st, this.small, data.length);
      u8.fill(0, this.small, this.small + data.length);
      return;
    }
    const scratch = this.inst.scratch;
    const mark = scratch.mark();
    try {
      const buf = scratch.alloc(Math.min(SLICE_BYTES, data.length));
      for (let off = 0; off < data.length; off += SLICE_BYTES) {
        const part = data.subarray(off, off + SLICE_BYTES);
        this.mem().set(part, buf);
        ex.keccakUpdate(st, buf, part.length);
      }
    } finally {
      scratch.release(mark);
    }
  }

  /** Squeezes `n` bytes from the padded state at `st` into a new array. */
  squeeze(st: number, n: number): Uint8Array {
    const ex = this.inst.exports;
    if (n <= SMALL_OUT_BYTES) {
      ex.keccakSqueeze(st, this.out, n);
      const u8 = this.mem();
      const r = u8.slice(this.out, this.out + n);
      u8.fill(0, this.out, this.out + n);
      return r;
    }
    const result = new Uint8Array(n);
    const scratch = this.inst.scratch;
    const mark = scratch.mark();
    try {
      const buf = scratch.alloc(Math.min(SLICE_BYTES, n));
      for (let off = 0; off < n; off += SLICE_BYTES) {
        const m = Math.min(SLICE_BYTES, n - off);
        ex.keccakSqueeze(st, buf, m);
        result.set(this.mem().subarray(buf, buf + m), off);
      }
    } finally {
      scratch.release(mark);
    }
    return result;
  }
}

class WasmState implements SpongeState {
  readonly #ctx: Ctx;
  readonly #spec: SpongeSpec;
  #slot: number;
  readonly #token = {};

  constructor(ctx: Ctx, spec: SpongeSpec, slot: number) {
    this.#ctx = ctx;
    this.#spec = spec;
    this.#slot = slot;
    ctx.registry.register(this, slot, this.#token);
  }

  update(data: Uint8Array): void {
    this.#ctx.absorb(this.#slot, data);
  }

  pad(ds: number = this.#spec.ds): void {
    this.#ctx.inst.exports.keccakPad(this.#slot, ds);
  }

  squeeze(n: number): Uint8Array {
    return this.#ctx.squeeze(this.#slot, n);
  }

  clone(): SpongeState {
    const c = this.#ctx;
    const slot = c.allocSlot();
    c.mem().copyWithin(slot, this.#slot, this.#slot + c.stateBytes);
    return new WasmState(c, this.#spec, slot);
  }

  destroy(): void {
    if (this.#slot < 0) return;
    this.#ctx.registry.unregister(this.#token);
    this.#ctx.freeSlot(this.#slot);
    this.#slot = -1;
  }
}

class WasmEngine implements KeccakEngine {
  readonly name = 'wasm' as const;
  readonly #c: Ctx;

  constructor(inst: WasmInstance) {
    this.#c = new Ctx(inst);
  }

  hash(spec: SpongeSpec, msg: Uint8Array, outLen: number): Uint8Array {
    const c = this.#c;
    const ex = c.inst.exports;
    const len = msg.length;
    if (len <= SMALL_IN_BYTES && outLen <= SMALL_OUT_BYTES) {
      // hot path for short messages: output right after the input, one wipe for both; the
      // kernel zeroes its own state
      const u8 = c.mem();
      const out = c.small + len;
      u8.set(msg, c.small);
      ex.keccakHash(c.st, spec.rate, spec.ds, c.small, len, out, outLen);
      const r = u8.slice(out, out + outLen);
      u8.fill(0, c.small, out + outLen);
      return r;
    }
    try {
      ex.keccakInit(c.st, spec.rate);
      c.absorb(c.st, msg);
      ex.keccakPad(c.st, spec.ds);
      return c.squeeze(c.st, outLen);
    } finally {
      c.mem().fill(0, c.st, c.st + c.stateBytes);
    }
  }

  hashMany(spec: SpongeSpec, msgs: readonly Uint8Array[], outLen: number): Uint8Array[] {
    const c = this.#c;
    const ex = c.inst.exports;
    const result: Uint8Array[] = new Array<Uint8Array>(msgs.length);
    let i = 0;
    while (i < msgs.length) {
      const first = msgs[i]!;
      if (first.length > SLICE_BYTES) {
        result[i] = this.hash(spec, first, outLen);
        i++;
        continue;
      }
      // a batch of consecutive messages whose bytes fit one slice: one kernel call
      let j = i;
      let bytes = 0;
      while (j < msgs.length && bytes + msgs[j]!.length <= SLICE_BYTES) bytes += msgs[j++]!.length;
      const count = j - i;
      const scratch = c.inst.scratch;
      const mark = scratch.mark();
      try {
        const data = scratch.alloc(bytes);
        const lens = scratch.alloc(4 * count);
        const out = scratch.alloc(outLen * count);
        const u8 = c.mem();
        const lv = new Uint32Array(u8.buffer, lens, count);
        for (let k = 0, p = data; k < count; k++) {
          const m = msgs[i + k]!;
          u8.set(m, p);
          p += m.length;
          lv[k] = m.length;
        }
        ex.keccakHashMany(c.st, c.st2, spec.rate, spec.ds, data, lens, count, out, outLen);
        const v = c.mem();
        for (let k = 0; k < count; k++) result[i + k] = v.slice(out + k * outLen, out + (k + 1) * outLen);
      } finally {
        scratch.release(mark);
        c.mem().fill(0, c.st, c.st + c.stateBytes).fill(0, c.st2, c.st2 + ex.keccakX2StateBytes());
      }
      i = j;
    }
    return result;
  }

  treeLeaves(data: Uint8Array, chunkBytes: number, out: Uint8Array, onBytes?: (n: number) => void): void {
    const c = this.#c;
    const ex = c.inst.exports;
    if (chunkBytes > SLICE_BYTES) {
      for (let off = 0, i = 0; off < data.length; off += chunkBytes, i++) {
        const chunk = data.subarray(off, Math.min(off + chunkBytes, data.length));
        const s = this.createState(SHA3_256);
        try {
          s.update(LEAF_PREFIX);
          s.update(chunk);
          s.pad();
          out.set(s.squeeze(32), 32 * i);
        } finally {
          s.destroy();
        }
        onBytes?.(chunk.length);
      }
      return;
    }
    const perSlice = Math.floor(SLICE_BYTES / chunkBytes) * chunkBytes;
    for (let off = 0; off < data.length; off += perSlice) {
      const part = data.subarray(off, Math.min(off + perSlice, data.length));
      const leaves = Math.ceil(part.length / chunkBytes);
      const scratch = c.inst.scratch;
      const mark = scratch.mark();
      try {
        const buf = scratch.alloc(part.length);
        const o = scratch.alloc(32 * leaves);
        c.mem().set(part, buf);
        ex.keccakTreeLeaves(c.st, c.st2, buf, part.length, chunkBytes, o);
        out.set(c.mem().subarray(o, o + 32 * leaves), (32 * off) / chunkBytes);
      } finally {
        scratch.release(mark);
      }
      // after the release, so a callback that hashes finds a clean arena
      onBytes?.(part.length);
    }
  }

  createState(spec: SpongeSpec): SpongeState {
    const slot = this.#c.allocSlot();
    this.#c.inst.exports.keccakInit(slot, spec.rate);
    return new WasmState(this.#c, spec, slot);
  }
}

/** A new WASM engine on one instance; it pins its buffers there, so build one per instance (_engine.ts does). */
export function wasmEngine(inst: WasmInstance): KeccakEngine {
  return new WasmEngine(inst);
}
