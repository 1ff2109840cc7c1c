import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Tests against a real Fabric network run only through `npm run test:fabric`.
    exclude: ['tests/**/*.fabric.test.ts', 'node_modules/**', 'chaincode/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
