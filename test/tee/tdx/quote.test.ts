// parseTdxQuote on genuine quotes and on broken ones: fields land where Appendix A puts them,
// trailing padding is ignored, every truncation and every inconsistent length is a typed error.
import { describe, expect, it } from 'vitest';
import { describeVectors, readVectorBytes } from '../../_vectors.js';
import { isTdxDebug, parseTdxQuote, TdxQuoteMalformedError, TdxQuoteUnsupportedError } from '../../../src/tee/tdx/index.js';
import { TDX_SAMPLES, sampleBytes } from './_samples.js';

function u16(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = b.slice();
  c[at] = v & 0xff;
  c[at + 1] = v >> 8;
  return c;
}

describeVectors('parseTdxQuote on the genuine samples', () => {
  for (const s of TDX_SAMPLES) {
    it(`${s.file}: header, body and signature data by their length fields`, () => {
      const bytes = sampleBytes(s);
      const q = parseTdxQuote(bytes);
      expect(q.header.version).toBe(s.version);
      expect(q.header.teeType).toBe(0x81);
      expect(q.header.attestationKeyType).toBe(2);
      expect(Buffer.from(q.header.qeVendorId).toString('hex')).toBe('939a7233f79c4ca9940a0db3957f0607');
      expect(q.body.bodyType).toBe(s.bodyType);
      expect(q.signedBytes.length).toBe(s.version === 4 ? 48 + 584 : 48 + 6 + 648);
      expect(q.length).toBe(s.length);
      expect(q.trailingBytes).toBe(bytes.length - s.length);
      expect(q.signatureData.pckChain.length).toBe(3);
      expect(isTdxDebug(q.body)).toBe(s.debug);
      if (s.bodyType === 3) {
        expect(q.body.teeTcbSvn2?.length).toBe(16);
        expect(q.body.mrServiceTd?.length).toBe(48);
      } else {
        expect(q.body.teeTcbSvn2).toBeUndefined();
      }
    });
  }

  it('cos-113 (zero-padded to 8000 bytes) carries the REPORTDATA of its nonce.dat', () => {
    const q = parseTdxQuote(readVectorBytes('tee/go-tdx-guest/cos-113-tdx-quote.dat'));
    expect(q.trailingBytes).toBe(8000 - 4935);
    expect(Buffer.from(q.body.reportData)).toEqual(Buffer.from(readVectorBytes('tee/go-tdx-guest/nonce.dat')));
  });

  for (const s of [TDX_SAMPLES[0]!, TDX_SAMPLES[2]!]) {
    it(`${s.file}: every truncation is ERR_TDX_QUOTE_MALFORMED`, () => {
      const bytes = sampleBytes(s).subarray(0, s.length);
      for (let n = 0; n < bytes.length; n++) {
        expect(() => parseTdxQuote(bytes.subarray(0, n)), `length ${n}`).toThrow(TdxQuoteMalformedError);
      }
    });

    it(`${s.file}: other versions, TEE types, key types and lengths are typed errors`, () => {
      const bytes = sampleBytes(s).slice(0, s.length);
      expect(() => parseTdxQuote(u16(bytes, 0, 3))).toThrow(TdxQuoteUnsupportedError);
      expect(() => parseTdxQuote(u16(bytes, 2, 3))).toThrow(TdxQuoteUnsupportedError);
      const sgx = bytes.slice();
      sgx[4] = 0;
      expect(() => parseTdxQuote(sgx)).toThrow(/not TDX/);
      const sigLenAt = q0(bytes);
      const longer = bytes.slice();
      new DataView(longer.buffer).setUint32(sigLenAt, new DataView(bytes.buffer, bytes.byteOffset).getUint32(sigLenAt, true) + 1, true);
      expect(() => parseTdxQuote(longer)).toThrow(TdxQuoteMalformedError);
      const shorter = bytes.slice();
      new DataView(shorter.buffer).setUint32(sigLenAt, new DataView(bytes.buffer, bytes.byteOffset).getUint32(sigLenAt, true) - 1, true);
      expect(() => parseTdxQuote(shorter)).toThrow(TdxQuoteMalformedError);
      // certification data type (right after signature ‖ attestation key)
      expect(() => parseTdxQuote(u16(bytes, sigLenAt + 4 + 128, 5))).toThrow(TdxQuoteUnsupportedError);
      if (s.version === 5) {
        expect(() => parseTdxQuote(u16(bytes, 48, 4))).toThrow(TdxQuoteUnsupportedError);
        expect(() => parseTdxQuote(u16(bytes, 48, 2))).toThrow(/expected size 584/);
      }
    });
  }
});

/** Offset of the signature data length field: the signed bytes' length. */
function q0(bytes: Uint8Array): number {
  return parseTdxQuote(bytes).signedBytes.length;
}

describe('parseTdxQuote argument checks', () => {
  it('refuses a non-Uint8Array with a TypeError', () => {
    expect(() => parseTdxQuote('quote' as unknown as Uint8Array)).toThrow(TypeError);
  });
  it('empty input is ERR_TDX_QUOTE_MALFORMED', () => {
    expect(() => parseTdxQuote(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'ERR_TDX_QUOTE_MALFORMED', status: 400 }));
  });
});
