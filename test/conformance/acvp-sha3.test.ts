// NIST ACVP SHA3-224/256/384/512 (AFT and MCT groups) and SHAKE128/256 (every group in the files:
// AFT) on every WASM build (debug/release × scalar/SIMD). Messages and SHAKE outputs may be
// bit-length (ACVP left-justified hex); LDT groups (8–64 GiB) run only in acvp-sha3-ldt.slow.test.ts.
// SHA3 MCT ("standard", ACVP SHA-3 spec §6.2.2): MD_0 = seed; 100 × { 1000 × { MD_i = SHA3(MD_{i−1}) };
// output MD_1000; MD_0 = MD_1000 }.

import { afterAll, expect, it } from 'vitest';
import { describeVectors, readVectorJson } from '../_vectors.js';
import { wasmEngines } from '../hash/_builds.js';
import { hashBits } from '../../src/hash/_bits.js';
import { SHA3_224, SHA3_256, SHA3_384, SHA3_512, SHAKE128, SHAKE256, type SpongeSpec } from '../../src/hash/_spec.js';
import { fromHex, toHex } from '../../src/core/bytes.js';

interface Test {
  tcId: number;
  msg?: string;
  len?: number;
  outLen?: number;
  largeMsg?: unknown;
}
interface Group {
  tgId: number;
  testType: string;
  tests: Test[];
}
interface Expected {
  testGroups: { tgId: number; tests: { tcId: number; md?: string; resultsArray?: { md: string }[] }[] }[];
}

const FILES: [string, SpongeSpec][] = [
  ['SHA3-224-2.0', SHA3_224],
  ['SHA3-256-2.0', SHA3_256],
  ['SHA3-384-2.0', SHA3_384],
  ['SHA3-512-2.0', SHA3_512],
  ['SHAKE-128-FIPS202', SHAKE128],
  ['SHAKE-256-FIPS202', SHAKE256],
];

const counts: string[] = [];
afterAll(() => {
  if (counts.length) console.log(`[acvp-sha3] passed: ${counts.join('; ')}`);
});

describeVectors('NIST ACVP SHA3 / SHAKE', () => {
  const engines = wasmEngines();
  for (const [dir, spec] of FILES) {
    it(`${dir}: AFT and MCT on ${engines.map((e) => e.label).join(', ')}`, () => {
      const prompt = readVectorJson<{ testGroups: Group[] }>(`acvp/${dir}/prompt.json`);
      const expected = readVectorJson<Expected>(`acvp/${dir}/expectedResults.json`);
      const want = new Map<number, Expected['testGroups'][number]['tests'][number]>();
      for (const g of expected.testGroups) for (const t of g.tests) want.set(t.tcId, t);
      let aft = 0;
      let mct = 0;
      let ldt = 0;
      for (const g of prompt.testGroups) {
        if (g.testType === 'LDT') {
          ldt += g.tests.length; // acvp-sha3-ldt.slow.test.ts
          continue;
        }
        for (const t of g.tests) {
          const exp = want.get(t.tcId);
          expect(exp, `tcId ${t.tcId} has no expected result`).toBeDefined();
          for (const { label, engine } of engines) {
            if (g.testType === 'AFT') {
              const outBits = t.outLen ?? spec.outLen * 8;
              const md = hashBits(engine, spec, fromHex(t.msg!), t.len!, outBits);
              expect(toHex(md), `${dir} tcId ${t.tcId} on ${label}`).toBe(exp!.md!.toLowerCase());
            } else if (g.testType === 'MCT') {
              expect(spec.xof, 'MCT here is the SHA3 algorithm').toBe(false);
              let md = fromHex(t.msg!);
              const results = exp!.resultsArray!;
              expect(results.length).toBe(100);
              for (let j = 0; j < 100; j++) {
                for (let i = 0; i < 1000; i++) md = engine.hash(spec, md, spec.outLen);
                expect(toHex(md), `${dir} MCT output ${j} on ${label}`).toBe(results[j]!.md.toLowerCase());
              }
            } else {
              throw new Error(`${dir}: unknown test type ${g.testType}`);
            }
          }
          if (g.testType === 'AFT') aft++;
          else mct++;
        }
      }
      expect(aft, `${dir}: the loader found no AFT cases`).toBeGreaterThan(0);
      if (!spec.xof) expect(mct, `${dir}: the loader found no MCT case`).toBeGreaterThan(0);
      counts.push(`${dir} AFT ${aft}, MCT ${mct} (×${engines.length} builds; ${ldt} LDT deferred to test:slow)`);
    });
  }
});
