import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships CommonJS (main) and ESM (module) without an exports map: Node (and so
  // yoga and Pothos) loads the CommonJS build, Vite would hand our files the ESM one, and
  // two GraphQL realms cannot share a schema. Resolve our imports as Node does.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
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
