import { defineConfig } from 'vitest/config';

/**
 * `npm run test:fabric`: the ledger tests against a real Fabric network described by the
 * FABRIC_* variables. Without them the tests skip and say so loudly.
 */
export default defineConfig({
  test: {
    include: ['tests/**/*.fabric.test.ts'],
    exclude: ['node_modules/**', 'chaincode/**'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
