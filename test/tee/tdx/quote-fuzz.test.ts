// Fuzzing the TDX parsers: random bytes and mutations (bit flips, truncations, extensions, zeroed
// bytes) of the genuine quotes go to parseTdxQuote; random and mutated text goes to the TCB Info and
// QE Identity parsers. Law: each call returns or throws a typed error (test/fuzz/_runs.ts), never an
// engine error. Default 2000 inputs per property; QK_FUZZ_RUNS=100000 for the slow run.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeVectors, readVectorText } from '../../_vectors.js';
import { decodePemCertificates, INTEL_SGX_ROOT_CA_PEM, parseTdxQeIdentity, parseTdxQuote, parseTdxTcbInfo, verifyTdxQuote } from '../../../src/tee/tdx/index.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout } from '../../fuzz/_runs.js';
import { jsonText, mutateBytes, mutateString, randomBytes } from '../../fuzz/_inputs.js';
import { SAMPLE_NOW, TDX_SAMPLES, sampleBytes } from './_samples.js';

const T = fuzzTimeout(2000, 5);

describeVectors('TDX parsers under fuzzing', () => {
  const quotes = TDX_SAMPLES.map(sampleBytes);
  const quoteInput = fc.oneof(
    { weight: 1, arbitrary: randomBytes },
    { weight: 4, arbitrary: fc.constantFrom(...quotes).chain(mutateBytes) },
    // a genuine header and body with random signature data: reaches the nested length fields
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...quotes), fc.uint8Array({ maxLength: 1200 })).map(([q, tail]) => {
      const head = parseTdxQuote(q).signedBytes;
      const out = new Uint8Array(head.length + tail.length);
      out.set(head);
      out.set(tail, head.length);
      return out;
    }) },
  );

  it('parseTdxQuote returns or throws a typed error for any bytes', () => {
    const tally = fuzzSync('parseTdxQuote', quoteInput, (bytes) => {
      const q = parseTdxQuote(bytes);
      expect(q.length + q.trailingBytes).toBe(bytes.length);
    });
    expect(tally.returned + tally.typed).toBe(fuzzRuns());
  }, T);

  it('verifyTdxQuote never throws on mutated quotes and never accepts one whose signed bytes changed', async () => {
    const runs = Math.max(1, Math.floor(fuzzRuns(200) / 10));
    await fuzzAsync('verifyTdxQuote', fc.tuple(fc.nat({ max: quotes.length - 1 }), fc.nat(), fc.nat({ max: 7 })), async ([qi, at, bit]) => {
      const orig = quotes[qi]!;
      const signed = parseTdxQuote(orig).signedBytes.length;
      const b = orig.slice();
      b[at % signed]! ^= 1 << bit;
      const r = await verifyTdxQuote(b, { now: SAMPLE_NOW, policy: { allowDebug: true } });
      expect(r.valid).toBe(false);
    }, runs);
  }, T);

  const tcbText = readVectorText('tee/go-tdx-guest/sample_tcbInfo_response');
  const tcbV5Text = readVectorText('tee/go-tdx-guest/sample_tcbinfo_response_v5');
  const qeText = readVectorText('tee/go-tdx-guest/sample_qeIdentity_response');
  const collateralText = fc.oneof(jsonText, fc.constantFrom(tcbText, tcbV5Text, qeText).chain(mutateString));

  it('parseTdxTcbInfo / parseTdxQeIdentity return or throw a typed error for any text', () => {
    fuzzSync('parseTdxTcbInfo', collateralText, (text) => void parseTdxTcbInfo(text));
    fuzzSync('parseTdxQeIdentity', collateralText, (text) => void parseTdxQeIdentity(text));
  }, T);

  it('decodePemCertificates returns or throws a typed error for any text', () => {
    const pemText = fc.oneof(fc.constantFrom(INTEL_SGX_ROOT_CA_PEM, readVectorText('tee/go-tdx-guest/trusted_root.pem')).chain(mutateString), jsonText);
    fuzzSync('decodePemCertificates', pemText, (text) => void decodePemCertificates(text, 'pem'));
  }, T);
});
