import { defineConfig } from 'vitest/config';

// npm run test:slow — long-running suites kept out of `npm test`: the 1–8 GiB NIST ACVP SHA3 LDT
// messages (*.slow.test.ts) and the fuzz suites (test/fuzz, and the TEE parsers' test/tee/**/*fuzz*) at
// 100,000 inputs per parser (set QK_FUZZ_RUNS to change it). Same global setup (build if stale) as vitest.config.ts.
export default defineConfig({
  test: {
    include: ['test/**/*.slow.test.ts', 'test/fuzz/**/*.test.ts', 'test/tee/**/*fuzz*.test.ts'],
    exclude: ['**/node_modules/**'],
    env: { QK_FUZZ_RUNS: process.env.QK_FUZZ_RUNS ?? '100000' },
    globalSetup: ['test/_global-setup.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
