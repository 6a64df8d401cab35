// Fuzzing parseTdReport (TDREPORT_STRUCT, Intel TDX Module ABI): random bytes, 1024 random bytes with
// the TDX report type (so parsing goes past the header), and mutations (flips, truncations,
// extensions) of a report the fake TD wrote. Law: it returns a report or throws a typed error
// (./_runs.ts), and what it returns has its 64-byte REPORTDATA. Default 2000 inputs; 100,000 under
// `npm run test:slow`.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { parseTdReport, TDX_TDREPORT_BYTES } from '../../src/tee/tdx/tdreport.js';
import { writeTdReport } from '../../src/tee/testing/tdreport-writer.js';
import { fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { mutateBytes, randomBytes } from './_inputs.js';

it('parseTdReport returns or throws a typed error for any bytes', async () => {
  const z = (n: number): Uint8Array => new Uint8Array(n);
  const key = await globalThis.crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const good = await writeTdReport({
    cpuSvn: z(16), reportData: z(64), teeTcbSvn: z(16), mrSeam: z(48), mrSignerSeam: z(48), seamAttributes: z(8), teeTcbSvn2: z(16), tdAttributes: z(8),
    xfam: z(8), mrTd: z(48), mrConfigId: z(48), mrOwner: z(48), mrOwnerConfig: z(48), rtmrs: [z(48), z(48), z(48), z(48)], servTdHash: z(48),
  }, key);
  const typed = fc.uint8Array({ minLength: TDX_TDREPORT_BYTES, maxLength: TDX_TDREPORT_BYTES }).map((b) => {
    b[0] = 0x81;
    return b;
  });
  const tally = fuzzSync('parseTdReport', fc.oneof(randomBytes, typed, mutateBytes(good)), (b) => {
    expect(parseTdReport(b).reportData).toHaveLength(64);
  }, fuzzRuns());
  expect(tally.line()).toMatch(/parseTdReport/);
}, fuzzTimeout());
