// Scratch arena in WASM linear memory (internal). The TS side owns memory above the module's
// `scratchBase()` (assembly/scratch.ts): it bump-allocates regions, copies inputs in, calls a kernel
// with pointers, reads outputs, and wipes and releases the regions in `finally`.
// What wiping can and cannot do: it zeroes our copies in linear memory; it cannot erase copies the JS
// engine or the caller made, and linear memory never shrinks (it stays at its high-water mark).

/** Size of one WebAssembly memory page (WebAssembly core spec §2.5.7). */
export const WASM_PAGE_BYTES = 65536;
/** wasm32 addresses are below 2^32. */
const MAX_ADDRESS = 2 ** 32;
const DEFAULT_ALIGN = 16;

/** A bump allocator over the scratch region of one instance's exported memory. */
export class ScratchArena {
  readonly #memory: WebAssembly.Memory;
  #base: number;
  #top: number;

  /**
   * @param memory the instance's exported memory
   * @param base first usable byte (the module's `scratchBase()`)
   */
  constructor(memory: WebAssembly.Memory, base: number) {
    this.#memory = memory;
    this.#base = base;
    this.#top = base;
  }

  /** First byte of the scratch region. */
  get base(): number {
    return this.#base;
  }

  /** Returns the current top; pass it to {@link release} to free everything allocated after it. */
  mark(): number {
    return this.#top;
  }

  /**
   * Reserves `len` bytes aligned to `align` (a power of two) and returns their address, growing
   * memory by whole pages when needed. Grown memory detaches earlier views: take views after the
   * last `alloc` of a call.
   * @throws RangeError when the region would pass the 4 GiB wasm32 limit or the engine refuses to grow.
   */
  alloc(len: number, align: number = DEFAULT_ALIGN): number {
    const ptr = this.#top + ((align - (this.#top % align)) % align); // no 32-bit `&`: addresses reach 2^32
    const end = ptr + len;
    if (ptr < this.#top || end > MAX_ADDRESS) {
      throw new RangeError(`"len" expected a scratch region below 4 GiB, got ${len} bytes at ${this.#top}`);
    }
    const have = this.#memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / WASM_PAGE_BYTES);
      try {
        this.#memory.grow(pages);
      } catch (cause) {
        throw new RangeError(`WASM memory cannot grow by ${pages} pages for ${len} scratch bytes`, { cause });
      }
    }
    this.#top = end;
    return ptr;
  }

  /**
   * Reserves `len` bytes for the life of the instance (state that must survive between kernel calls,
   * e.g. streaming hash states) by moving the scratch base above them. Allowed only between calls
   * (nothing allocated since the base); {@link release} never wipes or frees pinned bytes. Callers
   * pin in slabs and recycle slots themselves: pinned memory is never returned to the arena.
   * @throws RangeError while scratch regions are allocated, or as {@link alloc} when memory cannot grow.
   */
  pin(len: number, align: number = DEFAULT_ALIGN): number {
    if (this.#top !== this.#base) {
      throw new RangeError(`cannot pin ${len} bytes while ${this.#top - this.#base} scratch bytes are allocated`);
    }
    const ptr = this.alloc(len, align);
    this.#base = this.#top;
    return ptr;
  }

  /** Returns a fresh view of `len` bytes at `ptr` over the current memory buffer. */
  view(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.#memory.buffer, ptr, len);
  }

  /** Allocates a region, copies `bytes` into it and returns its address. */
  write(bytes: Uint8Array): number {
    const ptr = this.alloc(bytes.length);
    this.view(ptr, bytes.length).set(bytes);
    return ptr;
  }

  /** Zeroes everything allocated since `mark` and makes it free again. */
  release(mark: number): void {
    if (mark < this.#base) mark = this.#base; // a mark from before a pin never reaches pinned bytes
    if (this.#top > mark) this.view(mark, this.#top - mark).fill(0);
    this.#top = mark;
  }
}
