import { defineConfig } from 'vitest/config';

// npm run test:slow — long-running suites kept out of `npm test` (e.g. the 1–8 GiB NIST ACVP SHA3
// LDT messages). Same global setup (build if stale) as vitest.config.ts.
export default defineConfig({
  test: {
    include: ['test/**/*.slow.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/_global-setup.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
