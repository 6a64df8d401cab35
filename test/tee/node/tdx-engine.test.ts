// nodeTdxEngine (node:crypto) against the default WebCrypto + pkijs engine: on every genuine quote,
// on flipped bytes across each quote (signed region, QE report and its signature, PCK chain), with
// CRLs, with a TEST PKI quote under its explicit root, and with garbage leaves, verifyTdxQuote gives
// the same verdict, the same checks passing and failing, and the same reasons — except that when a
// damaged PCK chain fails, its detail may name another of the chain's faults first (OpenSSL and pkijs
// read a damaged name differently). The engine changes the speed, never the answer.
import { describe, expect, it } from 'vitest';
import { nodeTdxEngine } from '../../../src/tee/node/index.js';
import { verifyTdxQuote, WEBCRYPTO_TDX_ENGINE, type TdxQuoteEngine, type VerifyTdxQuoteOptions } from '../../../src/tee/tdx/index.js';
import { createTestTdxPki, FakeTdxQuoter } from '../../../src/tee/testing/index.js';
import { describeVectors, readVectorBytes } from '../../_vectors.js';
import { SAMPLE_NOW, sampleBytes, TDX_SAMPLES } from '../tdx/_samples.js';

const node = nodeTdxEngine();

async function both(bytes: Uint8Array, o: Omit<VerifyTdxQuoteOptions, 'engine'>): Promise<{ valid: boolean; reasons: readonly string[] }> {
  const run = async (engine: TdxQuoteEngine) => {
    const r = await verifyTdxQuote(bytes, { ...o, engine });
    const reasons = r.reasons.map((x) => (x.startsWith('pck-chain: ') ? 'pck-chain' : x));
    return { valid: r.valid, reasons, checks: r.checks.map((c) => [c.name, c.ok]) };
  };
  const [a, b] = await Promise.all([run(WEBCRYPTO_TDX_ENGINE), run(node)]);
  expect(b).toEqual(a);
  return { valid: a.valid, reasons: a.reasons };
}

describe('nodeTdxEngine', () => {
  it('is named and rejects what is no P-256 point or certificate without throwing', async () => {
    expect(node.name).toBe('node:crypto');
    expect(await node.verifyRawP256(new Uint8Array(64), new Uint8Array(64), new Uint8Array(1))).toBeNull();
    expect(await node.verifyRawP256(new Uint8Array(63), new Uint8Array(64), new Uint8Array(1))).toBeNull();
    expect(() => node.decodeLeaf(new Uint8Array([0x30, 3, 1, 2, 3]), 'PCK chain[0]')).toThrow(expect.objectContaining({ code: 'ERR_TDX_COLLATERAL_MALFORMED', message: 'PCK chain[0] is not a DER X.509 certificate' }));
  });

  it('a TEST PKI quote: valid with its root given, the same refusal without', async () => {
    const quoter = await FakeTdxQuoter.create(await createTestTdxPki());
    const q = await quoter.tdxQuote(new Uint8Array(64).fill(3));
    expect((await both(q, { now: new Date(), trustedRoot: quoter.pki.rootPem })).valid).toBe(true);
    expect((await both(q, { now: new Date() })).valid).toBe(false);
  });
});

describeVectors('nodeTdxEngine on the genuine quotes', () => {
  for (const s of TDX_SAMPLES) {
    it(`${s.file}: same verdict as WebCrypto, genuine and with every 97th byte flipped`, async () => {
      const bytes = sampleBytes(s).subarray(0, s.length);
      const policy = { allowDebug: s.debug };
      expect((await both(bytes, { now: SAMPLE_NOW, policy })).valid).toBe(true);
      let refused = 0;
      for (let i = 0; i < bytes.length; i += 97) {
        const flipped = bytes.slice();
        flipped[i]! ^= 0x10;
        if (!(await both(flipped, { now: SAMPLE_NOW, policy })).valid) refused++;
      }
      expect(refused).toBeGreaterThan(0);
      // outside the leaf's validity: the same reason
      expect((await both(bytes, { now: new Date('2060-01-01T00:00:00Z'), policy })).reasons).toContain('pck-chain');
    });
  }

  it('with CRLs (June 2023): the same checks', async () => {
    const collateral = { pckCrl: readVectorBytes('tee/go-tdx-guest/pckcrl'), rootCrl: readVectorBytes('tee/go-tdx-guest/rootcrl.der') };
    const bytes = sampleBytes(TDX_SAMPLES[0]!);
    expect(await both(bytes, { now: new Date('2023-06-20T00:00:00Z'), collateral })).toEqual({ valid: true, reasons: [] });
  });
});
