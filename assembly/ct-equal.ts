// Constant-time byte equality over linear memory.
// The comparison time depends only on `len` (public), never on the bytes: every byte of both regions is
// read, differences are OR-accumulated, and the verdict is folded from the accumulator with arithmetic
// (no data-dependent branch, no data-dependent address, no early exit). Cf. BearSSL "Constant-Time Code"
// and the usual `acc |= a[i] ^ b[i]` construction (e.g. OpenSSL CRYPTO_memcmp).

/**
 * Folds a 64-bit accumulator to 1 when it is zero and 0 otherwise, without a branch:
 * `acc | -acc` has its top bit set iff `acc != 0`.
 */
@inline function ctIsZero64(acc: u64): i32 {
  return <i32>(1 - ((acc | (0 - acc)) >> 63));
}

/**
 * Compares `len` bytes at `aPtr` with `len` bytes at `bPtr` in constant time.
 *
 * Inputs: `aPtr + len` and `bPtr + len` lie inside linear memory (the TS loader checks lengths and
 * places both regions in its scratch area); the regions may overlap or be unaligned.
 * Returns: 1 when the regions are equal, 0 otherwise (an `i32` status, never a managed value).
 *
 * With the `simd` feature the bulk runs 16 bytes per step with v128 loads; otherwise 8 bytes per
 * step with u64 loads; the tail is bytewise. Only `len` picks loop trip counts.
 */
export function ctEqual(aPtr: usize, bPtr: usize, len: usize): i32 {
  // Debug build only (release uses noAssert): the TS side never passes wrapping ranges.
  assert(aPtr + len >= aPtr && bPtr + len >= bPtr, 'ctEqual: region wraps the address space');
  let acc: u64 = 0;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    // compile-time branch: this block exists only in the *.simd.wasm builds
    let vacc = v128.splat<u64>(0);
    const end16 = len & ~(<usize>15);
    for (; i < end16; i += 16) {
      vacc = v128.or(vacc, v128.xor(v128.load(aPtr + i), v128.load(bPtr + i)));
    }
    acc = v128.extract_lane<u64>(vacc, 0) | v128.extract_lane<u64>(vacc, 1);
  }
  const end8 = len & ~(<usize>7);
  for (; i < end8; i += 8) {
    acc |= load<u64>(aPtr + i) ^ load<u64>(bPtr + i);
  }
  for (; i < len; i++) {
    acc |= <u64>(load<u8>(aPtr + i) ^ load<u8>(bPtr + i));
  }
  return ctIsZero64(acc);
}
