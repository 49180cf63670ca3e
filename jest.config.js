// Three projects: fast unit tests; integration tests against the real embedded stack (Temporal, Kafka, anvil), which
// the global setup brings up when it is not already running; and the chaos suite, which runs its own private stack.
const transform = { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      testEnvironment: '<rootDir>/test/support/node-realm-environment.ts',
      transform,
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/chaos/'],
      testEnvironment: '<rootDir>/test/support/node-realm-environment.ts',
      transform,
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/timeouts.ts'],
    },
    {
      // The chaos suite brings up its own private stack (it restarts Kafka and Temporal), so it has no global setup:
      // it neither needs the shared stack nor may it start one.
      displayName: 'chaos',
      testMatch: ['<rootDir>/test/integration/chaos/**/*.test.ts'],
      testEnvironment: '<rootDir>/test/support/node-realm-environment.ts',
      transform,
      setupFilesAfterEnv: ['<rootDir>/test/integration/timeouts.ts'],
    },
  ],
};
