import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timing-leak checks (npm run test:ct) and the 8 GiB SHA3 LDT cases (npm run test:slow) run apart.
    exclude: ['**/node_modules/**', 'test/**/*.ct.test.ts', 'test/**/*.slow.test.ts'],
    globalSetup: ['test/_global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
