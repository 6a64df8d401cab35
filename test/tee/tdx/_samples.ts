// The genuine Intel TDX quotes of $QUORUMKIT_VECTORS/tee (see its README for provenance): file,
// how it is stored, and facts the tests check. Read from the vectors folder, never copied here.
import { readVectorBytes, readVectorText } from '../../_vectors.js';

/** One genuine quote sample. */
export interface TdxSample {
  readonly file: string;
  readonly version: 4 | 5;
  readonly bodyType: 2 | 3;
  /** The quote's own length by its length fields. */
  readonly length: number;
  /** The TD has the DEBUG attribute (trustee's tdx_quote_4 is a debug TD). */
  readonly debug: boolean;
}

/** Every TDX quote in the vectors README table. */
export const TDX_SAMPLES: readonly TdxSample[] = [
  { file: 'tee/go-tdx-guest/tdx_prod_quote_SPR_E4.dat', version: 4, bodyType: 2, length: 4935, debug: false },
  { file: 'tee/go-tdx-guest/cos-113-tdx-quote.dat', version: 4, bodyType: 2, length: 4935, debug: false },
  { file: 'tee/go-tdx-guest/quote_v5_sample.dat', version: 5, bodyType: 3, length: 5006, debug: false },
  { file: 'tee/trustee/tdx_quote_4.dat', version: 4, bodyType: 2, length: 4936, debug: true },
  { file: 'tee/trustee/tdx_quote_5.dat', version: 5, bodyType: 3, length: 5006, debug: false },
  { file: 'tee/trustee/tdx_quote_6.dat', version: 4, bodyType: 2, length: 4936, debug: false },
  { file: 'tee/trustee/az-tdx-vtpm_td-quote.bin', version: 4, bodyType: 2, length: 4936, debug: false },
  { file: 'tee/teekit/tdx-v4-edgeless.dat', version: 4, bodyType: 2, length: 4936, debug: false },
  { file: 'tee/teekit/tdx-v4-azure', version: 4, bodyType: 2, length: 4940, debug: false },
];

/** The quote bytes of a sample (teekit's tdx-v4-azure is base64 text). */
export function sampleBytes(s: TdxSample): Uint8Array {
  if (s.file.endsWith('tdx-v4-azure')) return new Uint8Array(Buffer.from(readVectorText(s.file).trim(), 'base64'));
  return readVectorBytes(s.file);
}

/** A "now" inside every sample's PCK chain validity: the newest leaf (quote_v5_sample) is from 2026-01-27, the first to expire (SPR_E4) ends 2029-09-20. */
export const SAMPLE_NOW = new Date('2026-06-01T00:00:00Z');
