import { defineConfig } from 'vitest/config';

// npm run test:ct — timing-leak checks only (dudect-style Welch t-tests); one file at a time so the
// measurements do not compete with each other for the 2 cores.
export default defineConfig({
  test: {
    include: ['test/**/*.ct.test.ts'],
    globalSetup: ['test/_global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
