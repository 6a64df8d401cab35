// F_p with p = 2^127 − 1, the Mersenne prime M127 (Lucas 1876), the field of QuorumVM's MPC runtime.
// Elements travel as 16-byte little-endian words (lo u64, hi u64) and are canonical: 0 ≤ x < p.

/** The field modulus p = 2^127 − 1. */
export const P: bigint = (1n << 127n) - 1n;

/** Bytes of one packed field element (16, little-endian). */
export const FIELD_ELEMENT_BYTES = 16;

/** Bytes of a secret chunk in {@link splitBytes}: 15 bytes = 120 bits, always below p. */
export const SECRET_CHUNK_BYTES = 15;

/**
 * Most shares one reconstruction, interpolation or split handles (and most abscissas in
 * `lagrangeCoefficients`). Lagrange interpolation is quadratic in the share count (1,024 shares
 * take ~60 ms, 20,000 take ~17 s), and shares arrive from other parties: a bound keeps that work
 * small, refused with a typed error before any arithmetic.
 */
export const MAX_SHARES = 1024;
