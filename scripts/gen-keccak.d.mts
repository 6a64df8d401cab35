// Types of scripts/gen-keccak.mjs (for the TypeScript test that imports it).

/** Where the generated file lives in the repository (absolute path of `assembly/`). */
export declare const DEFAULT_DIR: string;
/** The file the generator writes, a name inside the output directory (`keccak-f1600.ts`). */
export declare const OUTPUT_FILE: string;
/** ρ offsets per lane x + 5y (FIPS 202 §3.2.2 Algorithm 2). */
export declare function rhoOffsets(): number[];
/** π source lane of each lane x + 5y (FIPS 202 §3.2.3 Algorithm 3). */
export declare function piSources(): number[];
/** The 24 ι round constants (FIPS 202 §3.2.5 Algorithms 5 and 6). */
export declare function roundConstants(): bigint[];
/** The full text of assembly/keccak-f1600.ts. */
export declare function generateKeccakF1600(): string;
/** Null when the bytes equal the generated text, else the first differing line (1-based) and both texts. */
export declare function firstDifference(
  expected: string,
  actual: string | Uint8Array,
): { line: number; expected: string; actual: string } | null;
