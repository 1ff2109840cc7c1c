import { defineConfig } from 'vitest/config';

/**
 * `npm run test:fabric`: the ledger tests against a real Fabric network described by the
 * FABRIC_* variables. Without them the tests skip and say so loudly.
 */
export default defineConfig({
  test: {
    include: ['tests/**/*.fabric.test.ts'],
    exclude: ['node_modules/**', 'chaincode/**'],
    // The outbox side of the Fabric tests needs the run's embedded PostgreSQL, as `npm test` does.
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    // One network, one writer policy: files that change it must not run side by side.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
