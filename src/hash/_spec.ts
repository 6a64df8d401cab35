// Sponge parameters of the FIPS 202 functions (§6.1 SHA3-224/256/384/512, §6.2 SHAKE128/256) (internal).
// rate = 1600 − 2·capacity bits, in bytes; ds = the domain suffix byte with the first pad10*1 bit
// folded in (FIPS 202 §B.2: SHA3 "01" → 0x06, SHAKE "1111" → 0x1f).

/** One FIPS 202 function: its sponge rate (bytes), domain byte and default output length (bytes). */
export interface SpongeSpec {
  readonly name: string;
  readonly rate: number;
  readonly ds: number;
  readonly outLen: number;
  readonly xof: boolean;
}

/** SHA3-224 (FIPS 202 §6.1): c = 448. */
export const SHA3_224: SpongeSpec = { name: 'SHA3-224', rate: 144, ds: 0x06, outLen: 28, xof: false };
/** SHA3-256 (FIPS 202 §6.1): c = 512. */
export const SHA3_256: SpongeSpec = { name: 'SHA3-256', rate: 136, ds: 0x06, outLen: 32, xof: false };
/** SHA3-384 (FIPS 202 §6.1): c = 768. */
export const SHA3_384: SpongeSpec = { name: 'SHA3-384', rate: 104, ds: 0x06, outLen: 48, xof: false };
/** SHA3-512 (FIPS 202 §6.1): c = 1024. */
export const SHA3_512: SpongeSpec = { name: 'SHA3-512', rate: 72, ds: 0x06, outLen: 64, xof: false };
/** SHAKE128 (FIPS 202 §6.2): c = 256; default output 16 bytes, as node:crypto and @noble/hashes. */
export const SHAKE128: SpongeSpec = { name: 'SHAKE128', rate: 168, ds: 0x1f, outLen: 16, xof: true };
/** SHAKE256 (FIPS 202 §6.2): c = 512; default output 32 bytes, as node:crypto and @noble/hashes. */
export const SHAKE256: SpongeSpec = { name: 'SHAKE256', rate: 136, ds: 0x1f, outLen: 32, xof: true };

/** Largest output a single SHAKE call produces (1 GiB); larger streams squeeze incrementally. */
export const MAX_XOF_BYTES = 2 ** 30;
