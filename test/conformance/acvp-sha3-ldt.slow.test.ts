// NIST ACVP SHA3 LDT (large data test) groups: the `content` repeated ("expansionTechnique":
// "repeating") up to `fullLength` bits — 1, 2, 4 and 8 GiB per algorithm — hashed by streaming
// through a SHA3 hasher on the release WASM build (with SIMD when available). npm run test:slow only.

import { afterAll, expect, it } from 'vitest';
import { describeVectors, readVectorJson } from '../_vectors.js';
import { _createHasher } from '../../src/hash/sha3.js';
import { engineFor } from '../../src/hash/_engine.js';
import { SHA3_224, SHA3_256, SHA3_384, SHA3_512, type SpongeSpec } from '../../src/hash/_spec.js';
import { _loadBuild } from '../../src/wasm/_instance.js';
import { simdSupported } from '../../src/wasm/features.js';
import { fromHex, toHex } from '../../src/core/bytes.js';

interface LargeMsg {
  content: string;
  contentLength: number;
  fullLength: number;
  expansionTechnique: string;
}

const FILES: [string, SpongeSpec][] = [
  ['SHA3-224-2.0', SHA3_224],
  ['SHA3-256-2.0', SHA3_256],
  ['SHA3-384-2.0', SHA3_384],
  ['SHA3-512-2.0', SHA3_512],
];
const BUFFER_BYTES = 4 * 1024 * 1024;
const counts: string[] = [];
afterAll(() => {
  if (counts.length) console.log(`[acvp-sha3-ldt] passed: ${counts.join('; ')}`);
});

describeVectors('NIST ACVP SHA3 LDT', () => {
  const engine = engineFor(_loadBuild('release', { simd: simdSupported() }));
  for (const [dir, spec] of FILES) {
    it(`${dir}: LDT`, () => {
      const prompt = readVectorJson<{ testGroups: { testType: string; tests: { tcId: number; largeMsg: LargeMsg }[] }[] }>(`acvp/${dir}/prompt.json`);
      const expected = readVectorJson<{ testGroups: { tests: { tcId: number; md?: string }[] }[] }>(`acvp/${dir}/expectedResults.json`);
      const want = new Map(expected.testGroups.flatMap((g) => g.tests).map((t) => [t.tcId, t.md?.toLowerCase()]));
      let n = 0;
      for (const g of prompt.testGroups.filter((x) => x.testType === 'LDT')) {
        for (const t of g.tests) {
          const m = t.largeMsg;
          expect(m.expansionTechnique).toBe('repeating');
          expect(m.contentLength % 8).toBe(0);
          expect(m.fullLength % 8).toBe(0);
          const content = fromHex(m.content).subarray(0, m.contentLength / 8);
          const total = m.fullLength / 8;
          expect(BUFFER_BYTES % content.length).toBe(0);
          const buf = new Uint8Array(BUFFER_BYTES);
          for (let i = 0; i < buf.length; i += content.length) buf.set(content, i);
          const h = _createHasher(engine, spec);
          let left = total;
          while (left >= buf.length) {
            h.update(buf);
            left -= buf.length;
          }
          h.update(buf.subarray(0, left)); // buffer starts at a content boundary; totals are multiples of it
          const md = want.get(t.tcId);
          expect(md, `tcId ${t.tcId} has no expected digest`).toMatch(/^[0-9a-f]+$/);
          expect(toHex(h.digest()), `${dir} tcId ${t.tcId} (${total} bytes)`).toBe(md);
          n++;
        }
      }
      expect(n, `${dir}: the loader found no LDT cases`).toBeGreaterThan(0);
      counts.push(`${dir} LDT ${n}`);
    });
  }
});
